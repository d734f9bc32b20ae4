using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: the concentration covers every account of the silo, so nothing else may write here.</summary>
public sealed class RankingSiloFactory : SiloFactory;

public class RankingApiTests(RankingSiloFactory silo) : IClassFixture<RankingSiloFactory>
{
    private readonly Dictionary<string, List<(DateOnly Day, long Amount)>> _accepted = [];
    private readonly Dictionary<string, string> _parents = [];

    private DateOnly Today => DateOnly.FromDateTime(silo.Clock.GetUtcNow().UtcDateTime);

    private static RevenueEvent Event(string account, string id, long amount, DateTimeOffset at, string currency = "CNY") => new()
    {
        AccountId = account, EventId = id, AmountMinor = amount, CurrencyCode = currency, OccurredAt = Timestamp.FromDateTimeOffset(at),
    };

    private async Task CreateAccountAsync(string id, string parent = "")
    {
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id, parent) });
        _parents[id] = parent;
    }

    private async Task<RecordRevenueResponse> RecordAsync(params RevenueEvent[] events)
    {
        var response = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { events } });
        foreach (var (e, result) in events.Zip(response.Results))
            if (result.Status == RevenueEventStatus.Accepted)
            {
                if (!_accepted.TryGetValue(e.AccountId, out var list)) _accepted[e.AccountId] = list = [];
                list.Add((DateOnly.FromDateTime(e.OccurredAt.ToDateTime()), e.AmountMinor));
            }
        return response;
    }

    /// <summary>The figures recomputed from scratch (sort and sum) from what the test knows was accepted.</summary>
    private (long N, long NonPositive, long Total, double Pareto, double Hhi, double Gini, string[] Order) Oracle(bool groups)
    {
        var today = Today;
        var totals = new Dictionary<string, (long Total, bool InWindow)>();
        foreach (var (account, events) in _accepted)
        {
            var live = events.Where(e => e.Day <= today && e.Day.DayNumber > today.DayNumber - 365).ToList();
            if (live.Count == 0) continue;
            var key = groups ? RootOf(account) : account;
            var (t, _) = totals.GetValueOrDefault(key);
            totals[key] = (t + live.Sum(e => e.Amount), true);
        }
        var ranked = totals.Where(t => t.Value.Total > 0)
            .OrderByDescending(t => t.Value.Total).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();
        var n = ranked.Count;
        if (n == 0) return (0, totals.Count, 0, 0, 0, 0, []);
        decimal sum = ranked.Sum(r => r.Value.Total);
        var k = (int)Math.Ceiling(0.2 * n);
        var pareto = (double)(ranked.Take(k).Sum(r => (decimal)r.Value.Total) / sum);
        var hhi = (double)ranked.Sum(r => (decimal)r.Value.Total / sum * ((decimal)r.Value.Total / sum));
        var ascending = ranked.Select(r => (decimal)r.Value.Total).Reverse().ToList();
        var weighted = ascending.Select((y, i) => (i + 1) * y).Sum();
        var gini = (double)(2 * weighted / (n * sum) - (decimal)(n + 1) / n);
        return (n, totals.Count - n, (long)sum, pareto, hhi, gini, ranked.Select(r => r.Key).ToArray());
    }

    private string RootOf(string account)
    {
        while (_parents.TryGetValue(account, out var parent) && parent.Length > 0) account = parent;
        return account;
    }

    /// <summary>Polls until the ranking equals the oracle (it lags by at most a flush), for at most ~2 s.</summary>
    private async Task AssertMatchesOracleAsync(RankingScope scope)
    {
        var expected = Oracle(scope == RankingScope.Group);
        Concentration actual = null!;
        for (var attempt = 0; attempt < 20; attempt++) // within 1 s
        {
            actual = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = scope });
            if (actual.AccountCount == expected.N && actual.TotalRevenueMinor == expected.Total && actual.NonPositiveCount == expected.NonPositive
                && Math.Abs(actual.ParetoShare - expected.Pareto) < 1e-12 && Math.Abs(actual.Hhi - expected.Hhi) < 1e-12) break;
            await Task.Delay(50);
        }
        Assert.Equal(expected.N, actual.AccountCount);
        Assert.Equal(expected.NonPositive, actual.NonPositiveCount);
        Assert.Equal(expected.Total, actual.TotalRevenueMinor);
        Assert.Equal(expected.Total.ToString(), actual.TotalRevenueDecimal);
        Assert.Equal(expected.Pareto, actual.ParetoShare, 12);
        Assert.Equal(expected.Hhi, actual.Hhi, 12);
        Assert.Equal(expected.Gini, actual.Gini, 9);
        Assert.Equal(21, actual.Lorenz.Count);
        Assert.Equal(365, actual.WindowDays);

        var rows = await silo.Ranking.ListTopAccountsAsync(new ListTopAccountsRequest { Scope = scope, PageSize = 1000 });
        Assert.Equal(expected.Order, rows.Rows.Select(r => r.AccountId));
    }

    [Fact]
    public async Task Revenue_drives_the_concentration_exactly_through_duplicates_refunds_expiry_and_moves()
    {
        var now = silo.Clock.GetUtcNow();
        var p = Ids.New("rk");
        string hq = $"{p}-hq", bureau = $"{p}-bureau", unit = $"{p}-unit", other = $"{p}-other", small = $"{p}-small";
        await CreateAccountAsync(hq);
        await CreateAccountAsync(bureau, hq);
        await CreateAccountAsync(unit, bureau);
        await CreateAccountAsync(other);
        await CreateAccountAsync(small);

        var response = await RecordAsync(
            Event(hq, "inv-1", 500_000_00, now.AddDays(-10)),
            Event(bureau, "inv-1", 300_000_00, now.AddDays(-364).AddHours(-1)), // the oldest day that still counts
            Event(unit, "inv-1", 200_000_00, now.AddDays(-3)),
            Event(other, "inv-1", 900_000_00, now.AddDays(-100)),
            Event(small, "inv-1", 10_000_00, now),
            Event(small, "inv-1", 10_000_00, now),                 // duplicate
            Event(small, "inv-1", 10_000_01, now),                 // same id, different payload
            Event(small, "refund-1", -4_000_00, now),              // refund
            Event(small, "late", 1_00, now.AddDays(-400)),         // expired
            Event(small, "tomorrow", 7_00, now.AddDays(1)),        // counts from tomorrow
            Event(small, "next-week", 7_00, now.AddDays(7)),       // too far ahead
            Event($"{p}-ghost", "inv-1", 1_00, now),               // unknown account
            Event(small, "usd", 1_00, now, currency: "USD"),       // other currency
            Event(small, "Bad Id", 1_00, now));                    // invalid id

        Assert.Equal(
        [
            RevenueEventStatus.Accepted, RevenueEventStatus.Accepted, RevenueEventStatus.Accepted, RevenueEventStatus.Accepted,
            RevenueEventStatus.Accepted, RevenueEventStatus.Duplicate, RevenueEventStatus.Rejected, RevenueEventStatus.Accepted,
            RevenueEventStatus.Expired, RevenueEventStatus.Accepted, RevenueEventStatus.Rejected, RevenueEventStatus.Rejected,
            RevenueEventStatus.Rejected, RevenueEventStatus.Rejected,
        ], response.Results.Select(r => r.Status));
        Assert.Equal(["EVENT_ID_CONFLICT", "TOO_FAR_IN_FUTURE", "UNKNOWN_ACCOUNT", "CURRENCY_NOT_ACCEPTED", "INVALID_EVENT"],
            response.Results.Where(r => r.Status == RevenueEventStatus.Rejected).Select(r => r.ReasonCode));

        await AssertMatchesOracleAsync(RankingScope.Account);
        await AssertMatchesOracleAsync(RankingScope.Group);

        var unitRank = await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = unit, Scope = RankingScope.Group });
        Assert.Equal(hq, unitRank.RankedAccountId);
        Assert.Equal(1_000_000_00, unitRank.RevenueMinor);

        // A day later, with no new event: the bureau's oldest revenue has aged out and "tomorrow" counts.
        silo.Clock.Advance(TimeSpan.FromDays(1));
        await AssertMatchesOracleAsync(RankingScope.Account);
        await AssertMatchesOracleAsync(RankingScope.Group);

        // The bureau (with its unit) moves under "other": its group revenue moves with it.
        var bureauAccount = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = bureau });
        await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = bureau, Etag = bureauAccount.Etag, ParentAccountId = other },
            UpdateMask = new FieldMask { Paths = { "parent_account_id" } },
        });
        _parents[bureau] = other;
        await AssertMatchesOracleAsync(RankingScope.Group);
        await AssertMatchesOracleAsync(RankingScope.Account);

        // What if the largest customer churned? Nothing changes for real.
        var before = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest());
        var whatIf = await silo.Ranking.WhatIfAsync(new WhatIfRequest { RemoveAccountIds = { other } });
        Assert.Equal(before.AccountCount - 1, whatIf.AccountCount);
        Assert.Equal(before.TotalRevenueMinor - 900_000_00, whatIf.TotalRevenueMinor);
        var after = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest());
        after.AsOf = before.AsOf;
        Assert.Equal(before, after);

        var history = await silo.Ranking.GetConcentrationHistoryAsync(new GetConcentrationHistoryRequest());
        Assert.True(history.Days.Count >= 2, "a snapshot for the day that ended and one for today");
    }

    [Fact]
    public async Task Bad_ranking_and_revenue_requests_are_refused()
    {
        var tooMany = new RecordRevenueRequest();
        tooMany.Events.AddRange(Enumerable.Range(0, 10_001).Select(i => Event("a", $"e{i}", 1, silo.Clock.GetUtcNow())));
        await ApiAssert.InvalidField("events", () => silo.Revenue.RecordRevenueAsync(tooMany));
        await ApiAssert.InvalidField("scope", () => silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = (RankingScope)7 }));
        await ApiAssert.InvalidField("page_token", () => silo.Ranking.ListTopAccountsAsync(new ListTopAccountsRequest { PageToken = "nope" }));
        await ApiAssert.InvalidField("account_id", () => silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = "Nope!" }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = Ids.New("ghost") }));
        await ApiAssert.InvalidField("remove_account_ids[0]", () => silo.Ranking.WhatIfAsync(new WhatIfRequest { RemoveAccountIds = { "Bad Id" } }));
        await ApiAssert.InvalidField("from", () => silo.Ranking.GetConcentrationHistoryAsync(new GetConcentrationHistoryRequest
        {
            From = new Date { Year = 2026, Month = 5, Day = 2 }, To = new Date { Year = 2026, Month = 5, Day = 1 },
        }));
    }
}
