using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Model;

namespace ActorCrm.UnitTests.Insights;

/// <summary>The coverage checklist and the red flags, rule by rule.</summary>
public class IntelCoverageTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    internal static Account FullyKnownAccount() => new()
    {
        AccountId = "hengding-hq",
        DisplayName = "恒鼎建设股份有限公司",
        OrganisationProfile = new OrganisationProfile
        {
            EmployeeCount = 5_200,
            YearlyPurchaseVolumeMinor = 80_000_000_00,
            BusinessSituation = "全国铁路施工",
            IndustrySituation = "投资稳定",
            Units =
            [
                new OrganisationUnit("shiyong", "工程部", OrgUnitFunction.Using, ""),
                new OrganisationUnit("wuzi", "物资部", OrgUnitFunction.Purchasing, ""),
                new OrganisationUnit("weihu", "设备维护中心", OrgUnitFunction.Supporting, ""),
            ],
            Channels = [new CommunicationChannel(ChannelType.Phone, "010-6500-0000", "总机")],
        },
        InstalledBase = [new InstalledBaseItem { Vendor = "我方", IsOurs = true, Product = "监测系统", Quantity = 3 }],
        Competitors =
        [
            new CompetitorIntel
            {
                Competitor = "逸帆科技", ProductsInUse = ["智慧平台"], CustomerSatisfaction = 3, SalesRepName = "柯屿",
                SalesRepSellingStyle = "关系型", SalesRepRelationship = "校友", Background = "民营",
            },
        ],
    };

    internal static Opportunity FullyKnownOpportunity(string id = "opp-1") => new()
    {
        AccountId = "hengding-hq",
        OpportunityId = id,
        Name = "信号系统改造",
        ProblemToSolve = "设备老化",
        PurchasingPlan = "2027年招标",
        BudgetMinor = 1_000_000_00,
        Timetable = new PurchasingTimetable { ExpectedDecisionDate = new DateOnly(2027, 4, 30) },
        PurchasingProcess = new PurchasingProcess { Method = PurchasingMethod.PublicTender },
        Stage = Stage.Solution,
        Status = OpportunityStatus.Open,
        BuyingCentre =
        [
            new BuyingCentreMember("c-boss", BuyingRole.DecisionMaker, Stance.Supporter),
            new BuyingCentreMember("c-eng", BuyingRole.Influencer, Stance.Neutral),
            new BuyingCentreMember("c-user", BuyingRole.Coach, Stance.Supporter),
        ],
    };

    internal static IReadOnlyList<ContactIntel> FullyKnownContacts() =>
    [
        new ContactIntel("c-boss", ContactLevel.Executive, true, IntelCoverage.ProfileItems),
        new ContactIntel("c-eng", ContactLevel.Management, true, IntelCoverage.ProfileItems),
        new ContactIntel("c-user", ContactLevel.UserOrMaintainer, true, IntelCoverage.ProfileItems),
    ];

    private static AccountInsights Evaluate(Account? account = null, IReadOnlyList<Opportunity>? opportunities = null,
        IReadOnlyList<ContactIntel>? contacts = null, InsightOptions? options = null) =>
        IntelCoverage.Evaluate(account ?? FullyKnownAccount(), (opportunities ?? [FullyKnownOpportunity()]).Select(Recent).ToList(),
            contacts ?? FullyKnownContacts(), Today, options ?? new InsightOptions());

    /// <summary>Opened a while ago, with a sales activity yesterday.</summary>
    private static OpportunityIntel Recent(Opportunity o) => new(o, Today.AddDays(-90), Today.AddDays(-1));

    [Fact]
    public void A_fully_known_account_scores_one_everywhere_with_nothing_missing_and_no_red_flag()
    {
        var insights = Evaluate();
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 1.0], [insights.Organisation, insights.Competitors, insights.Projects, insights.People, insights.Overall]);
        Assert.Empty(insights.Missing);
        Assert.Empty(insights.RedFlags);
    }

    [Fact]
    public void A_bare_account_scores_zero_and_lists_every_organisation_item_and_each_empty_category()
    {
        var insights = Evaluate(new Account { AccountId = "bare" }, [], []);
        Assert.Equal(0, insights.Overall);
        Assert.Equal(
        [
            "ORG_EMPLOYEES_UNKNOWN", "ORG_PURCHASE_VOLUME_UNKNOWN", "ORG_NO_STRUCTURE", "ORG_NO_CHANNELS", "ORG_NO_USING_UNIT",
            "ORG_NO_PURCHASING_UNIT", "ORG_NO_SUPPORTING_UNIT", "ORG_NO_USER_CONTACT", "ORG_NO_MANAGEMENT_CONTACT",
            "ORG_NO_EXECUTIVE_CONTACT", "ORG_NO_INSTALLED_BASE", "ORG_BUSINESS_UNKNOWN", "ORG_INDUSTRY_UNKNOWN",
            "COMPETITOR_NONE_RECORDED", "PROJECT_NONE_OPEN", "CONTACT_NONE",
        ], insights.Missing.Select(m => m.Code));
    }

    [Theory]
    [InlineData("ORG_NO_PURCHASING_UNIT")]
    [InlineData("ORG_PURCHASE_VOLUME_UNKNOWN")]
    [InlineData("ORG_INDUSTRY_UNKNOWN")]
    public void Each_unknown_organisation_item_costs_one_thirteenth(string code)
    {
        var account = FullyKnownAccount();
        var p = account.OrganisationProfile;
        account = code switch
        {
            "ORG_NO_PURCHASING_UNIT" => account with { OrganisationProfile = p with { Units = p.Units.Where(u => u.Function != OrgUnitFunction.Purchasing).ToArray() } },
            "ORG_PURCHASE_VOLUME_UNKNOWN" => account with { OrganisationProfile = p with { YearlyPurchaseVolumeMinor = 0 } },
            _ => account with { OrganisationProfile = p with { IndustrySituation = "" } },
        };
        var insights = Evaluate(account);
        Assert.Equal(12.0 / 13, insights.Organisation, 12);
        var item = Assert.Single(insights.Missing);
        Assert.Equal((IntelCategory.Organisation, code), (item.Category, item.Code));
    }

    [Fact]
    public void Competitors_are_averaged_and_each_unknown_is_named()
    {
        var account = FullyKnownAccount();
        account = account with { Competitors = [account.Competitors[0], new CompetitorIntel { Competitor = "华岳科技", ProductsInUse = ["平台"] }] };
        var insights = Evaluate(account);
        Assert.Equal((1.0 + 1.0 / 6) / 2, insights.Competitors, 12);
        var rep = Assert.Single(insights.Missing, m => m.Code == "COMPETITOR_REP_UNKNOWN");
        Assert.Equal("华岳科技", rep.Subject);
        Assert.Contains("华岳科技", rep.Message);
    }

    [Fact]
    public void Only_open_opportunities_count_and_their_unknowns_are_listed()
    {
        var unknown = new Opportunity { AccountId = "hengding-hq", OpportunityId = "opp-2", Name = "新项目", Status = OpportunityStatus.Open, Stage = Stage.Lead };
        var won = FullyKnownOpportunity("opp-3") with { Status = OpportunityStatus.Won, BudgetMinor = 0 };
        var insights = Evaluate(opportunities: [FullyKnownOpportunity(), unknown, won]);
        Assert.Equal(0.5, insights.Projects, 12);
        Assert.Equal(
            ["OPPORTUNITY_NO_PURCHASING_PLAN", "OPPORTUNITY_NO_PROBLEM", "OPPORTUNITY_NO_DECISION_MAKER", "OPPORTUNITY_NO_INFLUENCER",
             "OPPORTUNITY_NO_TIMETABLE", "OPPORTUNITY_NO_BUDGET", "OPPORTUNITY_NO_PROCESS"],
            insights.Missing.Where(m => m.Subject == "opp-2").Select(m => m.Code));
        Assert.DoesNotContain(insights.Missing, m => m.Subject == "opp-3");
    }

    [Fact]
    public void A_contacts_known_profile_items_raise_the_people_score()
    {
        IReadOnlyList<ContactIntel> contacts = [.. FullyKnownContacts(), new ContactIntel("c-new", ContactLevel.Management, false, [])];
        var before = Evaluate(contacts: contacts);
        Assert.Equal(0.75, before.People, 12);
        Assert.Contains(before.Missing, m => m.Code == "CONTACT_HOMETOWN_UNKNOWN" && m.Subject == "c-new");
        Assert.Contains(before.Missing, m => m.Code == "CONTACT_ROLE_UNKNOWN" && m.Subject == "c-new");

        contacts = [.. FullyKnownContacts(), new ContactIntel("c-new", ContactLevel.Management, true, ["hometown", "family"])];
        var after = Evaluate(contacts: contacts);
        Assert.Equal((3 + 3.0 / 10) / 4, after.People, 12);
        Assert.DoesNotContain(after.Missing, m => m.Code == "CONTACT_HOMETOWN_UNKNOWN");
    }

    [Fact]
    public void The_overall_score_weighs_the_categories_as_configured()
    {
        var account = FullyKnownAccount() with { Competitors = [] }; // competitors 0, the rest 1
        Assert.Equal(0.75, Evaluate(account).Overall, 12);
        var options = new InsightOptions { Weights = { ["Competitors"] = 2, ["People"] = 0 } };
        Assert.Equal(2.0 / 4, Evaluate(account, options: options).Overall, 12); // (1·1 + 2·0 + 1·1 + 0·1) / 4
    }

    [Theory]
    [InlineData("NO_DECISION_MAKER")]
    [InlineData("NO_COACH")]
    [InlineData("OPPONENT_DECIDES")]
    [InlineData("NO_EXECUTIVE_CONTACT")]
    [InlineData("BUDGET_UNKNOWN_LATE")]
    [InlineData("TIMETABLE_UNKNOWN_LATE")]
    [InlineData("DECISION_DATE_PASSED")]
    public void Each_red_flag_is_raised_by_its_own_condition_alone(string code)
    {
        var o = FullyKnownOpportunity();
        var centre = o.BuyingCentre;
        o = code switch
        {
            "NO_DECISION_MAKER" => o with { BuyingCentre = centre.Where(m => m.Role != BuyingRole.DecisionMaker).Append(new BuyingCentreMember("c-boss", BuyingRole.EconomicBuyer, Stance.Supporter)).ToArray() },
            "NO_COACH" => o with { BuyingCentre = centre.Where(m => m.Role != BuyingRole.Coach).ToArray() },
            "OPPONENT_DECIDES" => o with { BuyingCentre = centre.Select(m => m.Role == BuyingRole.DecisionMaker ? m with { Stance = Stance.Opponent } : m).ToArray() },
            "NO_EXECUTIVE_CONTACT" => o with { BuyingCentre = centre.Where(m => m.ContactId != "c-boss").Append(new BuyingCentreMember("c-eng", BuyingRole.DecisionMaker, Stance.Supporter)).ToArray() },
            "BUDGET_UNKNOWN_LATE" => o with { BudgetMinor = 0 },
            "TIMETABLE_UNKNOWN_LATE" => o with { Timetable = new PurchasingTimetable() },
            _ => o with { Timetable = new PurchasingTimetable { ExpectedDecisionDate = Today.AddDays(-1) } },
        };
        var flags = Evaluate(opportunities: [o]).RedFlags;
        var flag = Assert.Single(flags);
        Assert.Equal((code, "opp-1"), (flag.Code, flag.OpportunityId));
    }

    [Fact]
    public void An_open_opportunity_without_activity_for_the_configured_days_is_flagged()
    {
        var o = FullyKnownOpportunity();
        AccountInsights With(DateOnly created, DateOnly? lastActivity, int days = 30) => IntelCoverage.Evaluate(
            FullyKnownAccount(), [new OpportunityIntel(o, created, lastActivity)], FullyKnownContacts(), Today, new InsightOptions { NoActivityDays = days });

        Assert.Empty(With(Today.AddDays(-90), Today.AddDays(-29)).RedFlags);
        Assert.Equal("NO_RECENT_ACTIVITY", Assert.Single(With(Today.AddDays(-90), Today.AddDays(-30)).RedFlags).Code);
        Assert.Empty(With(Today.AddDays(-5), null).RedFlags); // new, nothing logged yet, still within the days
        Assert.Equal("NO_RECENT_ACTIVITY", Assert.Single(With(Today.AddDays(-31), null).RedFlags).Code);
        Assert.Empty(With(Today.AddDays(-90), Today.AddDays(-29), days: 60).RedFlags);
    }

    [Fact]
    public void Budget_and_timetable_may_be_unknown_before_the_configured_stage()
    {
        var early = FullyKnownOpportunity() with { Stage = Stage.NeedsAnalysis, BudgetMinor = 0, Timetable = new PurchasingTimetable() };
        Assert.Empty(Evaluate(opportunities: [early]).RedFlags);
        var options = new InsightOptions { BudgetAndTimetableKnownBy = Stage.Qualified };
        Assert.Equal(["BUDGET_UNKNOWN_LATE", "TIMETABLE_UNKNOWN_LATE"], Evaluate(opportunities: [early], options: options).RedFlags.Select(f => f.Code));
    }
}
