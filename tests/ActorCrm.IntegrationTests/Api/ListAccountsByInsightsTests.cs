using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: the ranking must hold only these tests' accounts.</summary>
public sealed class ListByInsightsSiloFactory : SiloFactory;

/// <summary>ListAccounts filters and sorts by coverage and ABC class, and its rows carry rank, class and coverage.</summary>
public class ListAccountsByInsightsTests(ListByInsightsSiloFactory silo) : IClassFixture<ListByInsightsSiloFactory>
{
    [Fact]
    public async Task A_class_accounts_we_know_least_about_worst_first_is_one_call()
    {
        // Five accounts known to different degrees; revenue makes a, b and c class A, d class C (share 3%), e unranked.
        string[] ids = ["ins-a", "ins-b", "ins-c", "ins-d", "ins-e"];
        for (var i = 0; i < ids.Length; i++)
        {
            var account = AccountApiTests.NewAccount(ids[i]);
            if (i % 2 == 1) account.OrganisationProfile = new OrganisationProfile(); // less known
            if (i == 2) account.Competitors.Clear();
            await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = account });
        }
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact("ins-a-boss", "ins-a") });
        long[] amounts = [400_000_00, 300_000_00, 270_000_00, 30_000_00, 0];
        var today = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow());
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { ids.Zip(amounts).Where(p => p.Second > 0).Select(p => new RevenueEvent { EventId = "inv-" + p.First, AccountId = p.First, AmountMinor = p.Second, CurrencyCode = "CNY", OccurredAt = today }) },
        });

        // What each account's own insights say (the directory's copy must agree), and its class once ranked.
        var coverage = new Dictionary<string, double>();
        foreach (var id in ids) coverage[id] = await EventuallyAsync(id);
        Assert.True(coverage.Values.Distinct().Count() >= 3, "the accounts should be known to different degrees");
        var classes = await ClassesAsync(ids.Length - 1);

        // A-class accounts we know least about, worst first.
        var aClass = classes.Where(c => c.Value == AbcClass.A).Select(c => c.Key).ToList();
        Assert.Equal(["ins-a", "ins-b", "ins-c"], aClass.Order());
        var expected = aClass.OrderBy(id => coverage[id]).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var worstFirst = await ListAllAsync(new ListAccountsRequest { AbcClass = AbcClass.A, Sort = AccountListSort.CoverageAscending, PageSize = 1 });
        Assert.Equal(expected, worstFirst.Select(a => a.AccountId));
        Assert.All(worstFirst, row =>
        {
            Assert.Equal(AbcClass.A, row.AbcClass);
            Assert.True(row.Rank is >= 1 and <= 3);
            Assert.Equal(coverage[row.AccountId], row.Coverage, 12);
        });

        // Coverage bounds over all accounts, best known first (across the directory's partitions).
        var threshold = coverage.Values.Order().ElementAt(2);
        var wellKnown = await ListAllAsync(new ListAccountsRequest { MinCoverage = threshold, Sort = AccountListSort.CoverageDescending, PageSize = 2 });
        Assert.Equal(ids.Where(id => coverage[id] >= threshold).OrderByDescending(id => coverage[id]).ThenBy(id => id, StringComparer.Ordinal),
            wellKnown.Select(a => a.AccountId).Where(ids.Contains));
        var poorlyKnown = await ListAllAsync(new ListAccountsRequest { MaxCoverage = threshold });
        Assert.Equal(ids.Where(id => coverage[id] <= threshold).Order(StringComparer.Ordinal), poorlyKnown.Select(a => a.AccountId).Where(ids.Contains));

        // By rank: the ranked ones, largest first; the unranked one is not in it.
        var byRank = await ListAllAsync(new ListAccountsRequest { Sort = AccountListSort.Rank, PageSize = 2 });
        Assert.Equal(["ins-a", "ins-b", "ins-c", "ins-d"], byRank.Select(a => a.AccountId));
        Assert.Equal([1L, 2, 3, 4], byRank.Select(a => a.Rank));
        var unranked = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest())).Accounts.Single(a => a.AccountId == "ins-e");
        Assert.Equal((0L, AbcClass.Unspecified), (unranked.Rank, unranked.AbcClass));

        // The same from the command line.
        var cli = await Cli.CliRunner.RunAsync(silo, "list", "accounts", "--class", "A", "--sort", "coverage", "--output", "json");
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(expected, cli.JsonLines.Select(line => line.GetProperty("account_id").GetString()));
        var table = await Cli.CliRunner.RunAsync(silo, "list", "accounts", "--sort", "rank");
        Assert.Contains("coverage", table.Out);

        await ApiAssert.InvalidField("max_coverage", () => silo.Accounts.ListAccountsAsync(new ListAccountsRequest { MinCoverage = 0.5, MaxCoverage = 0.4 }));
        await ApiAssert.InvalidField("min_coverage", () => silo.Accounts.ListAccountsAsync(new ListAccountsRequest { MinCoverage = 1.5 }));
    }

    /// <summary>The account's overall coverage, once the directory's copy has caught up with it.</summary>
    private async Task<double> EventuallyAsync(string id)
    {
        for (var attempt = 0; ; attempt++)
        {
            var own = (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id })).Insights.OverallCoverage;
            var listed = (await ListAllAsync(new ListAccountsRequest())).Single(a => a.AccountId == id).Coverage;
            if (Math.Abs(own - listed) < 1e-12) return own;
            Assert.True(attempt < 40, $"{id}: the directory lists coverage {listed}, the account says {own}");
            await Task.Delay(50);
        }
    }

    private async Task<Dictionary<string, AbcClass>> ClassesAsync(int ranked)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rows = await ListAllAsync(new ListAccountsRequest());
            if (rows.Count(r => r.Rank > 0) >= ranked || attempt == 40) return rows.ToDictionary(r => r.AccountId, r => r.AbcClass);
            await Task.Delay(50); // the ranking hears of revenue at its next flush
        }
    }

    private async Task<List<Account>> ListAllAsync(ListAccountsRequest request)
    {
        var rows = new List<Account>();
        do
        {
            var page = await silo.Accounts.ListAccountsAsync(request);
            rows.AddRange(page.Accounts);
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
        return rows;
    }
}
