using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: "all" and the ranking must hold only these tests' accounts.</summary>
public sealed class PipelineSiloFactory : SiloFactory;

/// <summary>GetPipelineSummary: a group's figures are the sums over its subtree; owner and all scopes; writes move the figures at once.</summary>
public class PipelineSummaryTests(PipelineSiloFactory silo) : IClassFixture<PipelineSiloFactory>
{
    private const string Won = "技术方案领先";
    private const string Lost = "价格高于竞争对手";

    private readonly OpportunityService.OpportunityServiceClient _opportunities = silo.Opportunities;

    [Fact]
    public async Task A_groups_summary_equals_the_sum_over_its_subtree_and_the_hand_computed_figures()
    {
        // hq ─┬─ b1 ─┬─ l1
        //     │      └─ l2
        //     └─ b2          and an outsider, not in the group
        var p = Ids.New("pg");
        string hq = $"{p}-hq", b1 = $"{p}-b1", b2 = $"{p}-b2", l1 = $"{p}-l1", l2 = $"{p}-l2", outsider = $"{p}-out";
        string ownerA = $"u-{p}-a", ownerB = $"u-{p}-b";
        await Account(hq, "", StrategicTier.NationalHq, ownerA);
        await Account(b1, hq, StrategicTier.BureauOrProvince, ownerB);
        await Account(b2, hq, StrategicTier.BureauOrProvince, ownerA);
        await Account(l1, b1, StrategicTier.LocalOrOther, ownerB);
        await Account(l2, b1, StrategicTier.LocalOrOther, ownerB);
        await Account(outsider, "", StrategicTier.LocalOrOther, ownerB);

        await Deal(hq, "o1", Stage.Solution, 1_000_000, 40);
        await Deal(hq, "w1", Stage.Closed, 500_000, 100, OpportunityStatus.Won, Won);
        await Deal(b1, "o2", Stage.Bidding, 2_000_005, 35);              // weighted 700,001.75 → 700,002
        await Deal(b1, "x1", Stage.Bidding, 300_000, 20, OpportunityStatus.Lost, Lost);
        await Deal(b2, "o3", Stage.Lead, 100_000, 10);
        await Deal(l1, "o4", Stage.Solution, 333, 50);                   // weighted 166.5 → 167
        await Deal(l1, "w2", Stage.Closed, 700, 100, OpportunityStatus.Won, Won);
        await Deal(l2, "o5", Stage.Negotiation, 800_000, 80);
        await Deal(l2, "x2", Stage.Lead, 1_000, 5, OpportunityStatus.Lost, Lost);
        await Deal(l2, "usd", Stage.Lead, 9_999, 50, currency: "USD");   // another currency: counted apart
        await Deal(outsider, "o6", Stage.Lead, 5, 100);

        // Revenue ranks hq A (it crosses 80%), b1 B (90% above it), b2 C (96% above it); l1 and l2 stay unranked.
        var today = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow());
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new[] { (hq, 900_00L), (b1, 60_00L), (b2, 40_00L) }.Select(r => new RevenueEvent { EventId = $"inv-{r.Item1}", AccountId = r.Item1, AmountMinor = r.Item2, CurrencyCode = "CNY", OccurredAt = today }) },
        });
        await EventuallyClassAsync(b2, AbcClass.C);

        var group = await Summary(new GetPipelineSummaryRequest { AccountId = hq });
        Assert.Equal((5L, 3_900_338L, 1_750_169L), (group.OpenCount, group.OpenAmountMinor, group.WeightedAmountMinor));
        Assert.Equal([Open(Stage.Lead, 1, 100_000, 10_000), Open(Stage.Solution, 2, 1_000_333, 400_167), Open(Stage.Bidding, 1, 2_000_005, 700_002),
            Open(Stage.Negotiation, 1, 800_000, 640_000)], group.ByStage);
        Assert.Equal([Open(StrategicTier.NationalHq, 1, 1_000_000, 400_000), Open(StrategicTier.BureauOrProvince, 2, 2_100_005, 710_002),
            Open(StrategicTier.LocalOrOther, 2, 800_333, 640_167)], group.ByTier);
        Assert.Equal([Open(AbcClass.Unspecified, 2, 800_333, 640_167), Open(AbcClass.A, 1, 1_000_000, 400_000), Open(AbcClass.B, 1, 2_000_005, 700_002),
            Open(AbcClass.C, 1, 100_000, 10_000)], group.ByAbcClass);
        Assert.Equal([new ClosedBucket { CloseReason = Won, Count = 2, AmountMinor = 500_700 }], group.Won);
        Assert.Equal([new ClosedBucket { CloseReason = Lost, Count = 2, AmountMinor = 301_000 }], group.Lost);
        Assert.Equal((2L, 500_700L, 2L, 301_000L), (group.WonCount, group.WonAmountMinor, group.LostCount, group.LostAmountMinor));
        Assert.Equal((5, 1L, "CNY"), (group.AccountCount, group.OtherCurrencyCount, group.CurrencyCode));

        // Every group in it is the sum over its own subtree, computed here from the opportunities themselves…
        var subtrees = new Dictionary<string, string[]>
        {
            [hq] = [hq, b1, b2, l1, l2], [b1] = [b1, l1, l2], [b2] = [b2], [l1] = [l1], [l2] = [l2],
        };
        foreach (var (root, members) in subtrees)
            Assert.Equal(await OracleAsync(members), await Summary(new GetPipelineSummaryRequest { AccountId = root }));
        // …and the sum of the summaries of its children plus its own deals.
        Assert.Equal(group, Combine(await Summary(new GetPipelineSummaryRequest { AccountId = b1 }), await Summary(new GetPipelineSummaryRequest { AccountId = b2 }), await OracleAsync([hq])));
        Assert.Equal(await Summary(new GetPipelineSummaryRequest { AccountId = b1 }),
            Combine(await Summary(new GetPipelineSummaryRequest { AccountId = l1 }), await Summary(new GetPipelineSummaryRequest { AccountId = l2 }), await OracleAsync([b1])));

        // By owner: the accounts owned, wherever they are.
        Assert.Equal(await OracleAsync([hq, b2]), await Summary(new GetPipelineSummaryRequest { Owner = ownerA }));
        Assert.Equal(await OracleAsync([b1, l1, l2, outsider]), await Summary(new GetPipelineSummaryRequest { Owner = ownerB }));
        Assert.Equal(0, (await Summary(new GetPipelineSummaryRequest { Owner = "u-nobody" })).AccountCount);

        // All: every account of this silo.
        var everyAccount = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 1000 })).Accounts.Select(a => a.AccountId).ToArray();
        Assert.Equal(await OracleAsync(everyAccount), await Summary(new GetPipelineSummaryRequest { All = true }));

        // The command line prints the same figures (Chinese reasons included), as a table and as JSON.
        var table = await Cli.CliRunner.RunAsync(silo, "pipeline", "--account", hq);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("39,003.38", table.Out);   // open amount in yuan
        Assert.Contains("17,501.69", table.Out);   // weighted
        Assert.Contains(Won, table.Out);
        Assert.Contains(Lost, table.Out);
        Assert.Contains("NEGOTIATION", table.Out);
        Assert.Contains("unranked", table.Out);
        var json = await Cli.CliRunner.RunAsync(silo, "pipeline", "--owner", ownerA, "--output", "json");
        Assert.Equal(0, json.ExitCode);
        var line = Assert.Single(json.JsonLines);
        Assert.Equal("1100000", line.GetProperty("open_amount_minor").GetString());
        Assert.Equal(2, line.GetProperty("account_count").GetInt32());
        Assert.Equal(2, (await Cli.CliRunner.RunAsync(silo, "pipeline", "--account", hq, "--owner", ownerA)).ExitCode);
        Assert.Equal(0, (await Cli.CliRunner.RunAsync(silo, "pipeline")).ExitCode);
    }

    [Fact]
    public async Task Writes_move_the_figures_as_soon_as_they_are_acknowledged()
    {
        var p = Ids.New("pw");
        string root = $"{p}-root", child = $"{p}-child", elsewhere = $"{p}-else", owner = $"u-{p}";
        await Account(root, "", StrategicTier.NationalHq, owner);
        await Account(child, root, StrategicTier.BureauOrProvince, owner);
        await Account(elsewhere, "", StrategicTier.NationalHq, "u-other");
        var group = new GetPipelineSummaryRequest { AccountId = root };

        var deal = await Deal(child, "d", Stage.Qualified, 10_000, 30);
        Assert.Equal((1L, 10_000L, 3_000L), Open(await Summary(group)));

        // Amount and stage change.
        deal = await _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = child, OpportunityId = "d", Etag = deal.Etag, AmountMinor = 20_000, Stage = Stage.Bidding },
            UpdateMask = new FieldMask { Paths = { "amount_minor", "stage" } },
        });
        var moved = await Summary(group);
        Assert.Equal((1L, 20_000L, 6_000L), Open(moved));
        Assert.Equal(Stage.Bidding, Assert.Single(moved.ByStage).Stage);

        // An edit that changes no figure changes nothing.
        deal = await _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = child, OpportunityId = "d", Etag = deal.Etag, Name = "改名" },
            UpdateMask = new FieldMask { Paths = { "name" } },
        });
        Assert.Equal(moved, await Summary(group));

        // The account's tier and owner are read from its row.
        var childAccount = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = child });
        childAccount = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = child, Etag = childAccount.Etag, Tier = StrategicTier.LocalOrOther, Owner = "u-someone-else" },
            UpdateMask = new FieldMask { Paths = { "tier", "owner" } },
        });
        Assert.Equal(StrategicTier.LocalOrOther, Assert.Single((await Summary(group)).ByTier).Tier);
        Assert.Equal(0, (await Summary(new GetPipelineSummaryRequest { Owner = owner })).OpenCount);

        // Closing it as lost with its reason (the mask names both).
        deal = await _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = child, OpportunityId = "d", Etag = deal.Etag, Status = OpportunityStatus.Lost, Stage = Stage.Closed, CloseReason = "  " + Lost + " " },
            UpdateMask = new FieldMask { Paths = { "status", "stage", "close_reason" } },
        });
        Assert.Equal(Lost, deal.CloseReason); // trimmed, and kept
        var closed = await Summary(group);
        Assert.Equal((0L, 0L, 0L), Open(closed));
        Assert.Equal([new ClosedBucket { CloseReason = Lost, Count = 1, AmountMinor = 20_000 }], closed.Lost);

        // Reopening it needs the reason cleared in the same update.
        await ApiAssert.InvalidField("opportunity.close_reason", () => _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = child, OpportunityId = "d", Etag = deal.Etag, Status = OpportunityStatus.Open },
            UpdateMask = new FieldMask { Paths = { "status" } },
        }));

        // Moving the sub-account out of the group takes its deals along.
        childAccount = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = child, Etag = childAccount.Etag, ParentAccountId = elsewhere },
            UpdateMask = new FieldMask { Paths = { "parent_account_id" } },
        });
        Assert.Equal(0, (await Summary(group)).LostCount);
        Assert.Equal(1, (await Summary(new GetPipelineSummaryRequest { AccountId = elsewhere })).LostCount);

        // Deleting the opportunity, then an account with deals, removes them.
        await _opportunities.DeleteOpportunityAsync(new DeleteOpportunityRequest { AccountId = child, OpportunityId = "d" });
        Assert.Equal(0, (await Summary(new GetPipelineSummaryRequest { AccountId = elsewhere })).AccountCount);
        await Deal(child, "e", Stage.Lead, 1_000, 50);
        Assert.Equal(1, (await Summary(new GetPipelineSummaryRequest { Owner = "u-someone-else" })).OpenCount);
        await silo.Accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = child });
        Assert.Equal(0, (await Summary(new GetPipelineSummaryRequest { Owner = "u-someone-else" })).AccountCount);
        Assert.Equal(0, (await Summary(new GetPipelineSummaryRequest { AccountId = elsewhere })).AccountCount);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_the_field_named()
    {
        await ApiAssert.InvalidField("scope", () => _opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest()));
        await ApiAssert.InvalidField("all", () => _opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { All = false }));
        await ApiAssert.InvalidField("account_id", () => _opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { AccountId = "Not An Id" }));
        await ApiAssert.InvalidField("owner", () => _opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { Owner = "有空格 的" }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { AccountId = Ids.New("missing") }));

        // A oneof: a request carries one scope; setting another replaces it.
        var request = new GetPipelineSummaryRequest { AccountId = "a", Owner = "u" };
        Assert.Equal((GetPipelineSummaryRequest.ScopeOneofCase.Owner, ""), (request.ScopeCase, request.AccountId));

        // close_reason belongs to won and lost deals only.
        var account = Ids.New("pv");
        await Account(account, "", StrategicTier.NationalHq, "u-x");
        var open = ContactAndOpportunityApiTests.NewOpportunity(account, "o");
        open.CloseReason = Won;
        await ApiAssert.InvalidField("opportunity.close_reason", () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = open }));
        var lost = ContactAndOpportunityApiTests.NewOpportunity(account, "l");
        lost.Status = OpportunityStatus.Lost;
        lost.CloseReason = new string('价', 501);
        await ApiAssert.InvalidField("opportunity.close_reason", () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = lost }));
        lost.CloseReason = Lost;
        Assert.Equal(Lost, (await _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = lost })).CloseReason);
        Assert.Equal(Lost, (await _opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = account, OpportunityId = "l" })).CloseReason);
    }

    // ---------------------------------------------------------------- helpers

    private async Task Account(string id, string parent, StrategicTier tier, string owner)
    {
        var account = AccountApiTests.NewAccount(id, parent, tier);
        account.Owner = owner;
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = account });
    }

    private async Task<Opportunity> Deal(string accountId, string id, Stage stage, long amount, int probability,
        OpportunityStatus status = OpportunityStatus.Open, string reason = "", string currency = "CNY")
    {
        var deal = ContactAndOpportunityApiTests.NewOpportunity(accountId, id);
        deal.Stage = stage;
        deal.AmountMinor = amount;
        deal.ProbabilityPercent = probability;
        deal.Status = status;
        deal.CloseReason = reason;
        deal.CurrencyCode = currency;
        return await _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = deal });
    }

    private Task<PipelineSummary> Summary(GetPipelineSummaryRequest request) => _opportunities.GetPipelineSummaryAsync(request).ResponseAsync;

    private static (long, long, long) Open(PipelineSummary s) => (s.OpenCount, s.OpenAmountMinor, s.WeightedAmountMinor);

    private static PipelineBucket Open(Stage stage, long count, long amount, long weighted) =>
        new() { Stage = stage, OpenCount = count, OpenAmountMinor = amount, WeightedAmountMinor = weighted };

    private static PipelineBucket Open(StrategicTier tier, long count, long amount, long weighted) =>
        new() { Tier = tier, OpenCount = count, OpenAmountMinor = amount, WeightedAmountMinor = weighted };

    private static PipelineBucket Open(AbcClass abcClass, long count, long amount, long weighted) =>
        new() { AbcClass = abcClass, OpenCount = count, OpenAmountMinor = amount, WeightedAmountMinor = weighted };

    private async Task EventuallyClassAsync(string accountId, AbcClass expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rank = await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = accountId });
            if (rank.AbcClass == expected) return;
            Assert.True(attempt < 100, $"{accountId} is {rank.AbcClass}, expected {expected}");
            await Task.Delay(50); // the ranking hears of revenue at its next flush
        }
    }

    /// <summary>The expected summary of these accounts, computed here from their opportunities, tiers and ranks.</summary>
    private async Task<PipelineSummary> OracleAsync(IEnumerable<string> accountIds)
    {
        var parts = new List<PipelineSummary>();
        foreach (var id in accountIds)
        {
            var account = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });
            var abc = (await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = id })).AbcClass;
            var deals = (await _opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = id, PageSize = 1000 })).Opportunities;
            var own = new PipelineSummary { CurrencyCode = "CNY", AccountCount = deals.Count > 0 ? 1 : 0 };
            foreach (var d in deals)
            {
                if (d.CurrencyCode != "CNY")
                {
                    own.OtherCurrencyCount++;
                    continue;
                }
                var weighted = (d.AmountMinor * d.ProbabilityPercent + 50) / 100;
                switch (d.Status)
                {
                    case OpportunityStatus.Open:
                        own = Combine(own, new PipelineSummary
                        {
                            CurrencyCode = "CNY", OpenCount = 1, OpenAmountMinor = d.AmountMinor, WeightedAmountMinor = weighted,
                            ByStage = { Open(d.Stage, 1, d.AmountMinor, weighted) },
                            ByTier = { Open(account.Tier, 1, d.AmountMinor, weighted) },
                            ByAbcClass = { Open(abc, 1, d.AmountMinor, weighted) },
                        });
                        break;
                    case OpportunityStatus.Won:
                        own = Combine(own, new PipelineSummary { CurrencyCode = "CNY", WonCount = 1, WonAmountMinor = d.AmountMinor, Won = { new ClosedBucket { CloseReason = d.CloseReason, Count = 1, AmountMinor = d.AmountMinor } } });
                        break;
                    case OpportunityStatus.Lost:
                        own = Combine(own, new PipelineSummary { CurrencyCode = "CNY", LostCount = 1, LostAmountMinor = d.AmountMinor, Lost = { new ClosedBucket { CloseReason = d.CloseReason, Count = 1, AmountMinor = d.AmountMinor } } });
                        break;
                }
            }
            parts.Add(own);
        }
        return Combine([.. parts]);
    }

    /// <summary>The summary of disjoint parts: every figure summed, buckets merged by key and ordered as the API orders them.</summary>
    private static PipelineSummary Combine(params PipelineSummary[] parts)
    {
        static IEnumerable<PipelineBucket> Merge(IEnumerable<PipelineBucket> buckets, Func<PipelineBucket, int> key, Func<int, PipelineBucket> make) =>
            buckets.GroupBy(key).OrderBy(g => g.Key).Select(g =>
            {
                var b = make(g.Key);
                b.OpenCount = g.Sum(x => x.OpenCount);
                b.OpenAmountMinor = g.Sum(x => x.OpenAmountMinor);
                b.WeightedAmountMinor = g.Sum(x => x.WeightedAmountMinor);
                return b;
            });
        static IEnumerable<ClosedBucket> MergeClosed(IEnumerable<ClosedBucket> buckets) =>
            buckets.GroupBy(b => b.CloseReason)
                .Select(g => new ClosedBucket { CloseReason = g.Key, Count = g.Sum(x => x.Count), AmountMinor = g.Sum(x => x.AmountMinor) })
                .OrderByDescending(b => b.AmountMinor).ThenByDescending(b => b.Count).ThenBy(b => b.CloseReason, StringComparer.Ordinal);
        return new PipelineSummary
        {
            ByStage = { Merge(parts.SelectMany(p => p.ByStage), b => (int)b.Stage, k => new PipelineBucket { Stage = (Stage)k }) },
            ByTier = { Merge(parts.SelectMany(p => p.ByTier), b => (int)b.Tier, k => new PipelineBucket { Tier = (StrategicTier)k }) },
            ByAbcClass = { Merge(parts.SelectMany(p => p.ByAbcClass), b => (int)b.AbcClass, k => new PipelineBucket { AbcClass = (AbcClass)k }) },
            Won = { MergeClosed(parts.SelectMany(p => p.Won)) },
            Lost = { MergeClosed(parts.SelectMany(p => p.Lost)) },
            OpenCount = parts.Sum(p => p.OpenCount),
            OpenAmountMinor = parts.Sum(p => p.OpenAmountMinor),
            WeightedAmountMinor = parts.Sum(p => p.WeightedAmountMinor),
            WonCount = parts.Sum(p => p.WonCount),
            WonAmountMinor = parts.Sum(p => p.WonAmountMinor),
            LostCount = parts.Sum(p => p.LostCount),
            LostAmountMinor = parts.Sum(p => p.LostAmountMinor),
            CurrencyCode = "CNY",
            AccountCount = parts.Sum(p => p.AccountCount),
            OtherCurrencyCount = parts.Sum(p => p.OtherCurrencyCount),
        };
    }
}
