using ActorCrm.Domain.Model;
using ActorCrm.Domain.Pipeline;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Accounts;
using ActorCrm.Grains.Contacts;
using ActorCrm.Grains.Pipeline;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>
/// The states whose stored form is committed under StoredState/ (written by release 1 of the storage format).
/// Their names and ids were later replaced by fictional ones in place, in the committed bytes too (each string and
/// its length prefix only; the files are byte-identical to what this build writes for these samples).
/// </summary>
internal static class StoredStateSamples
{
    public static readonly DateTimeOffset At = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    public static AccountProfileState Profile() => new()
    {
        Account = new Account
        {
            AccountId = "hengding-hq",
            DisplayName = "恒鼎建设股份有限公司",
            Kind = AccountKind.Business,
            Tier = StrategicTier.NationalHq,
            Owner = "u-zhang.wei",
            AccountTeam = [new TeamMember("u-zhang.wei", TeamRole.AccountManager)],
            Industry = "铁路",
            Region = "北京市",
            OrganisationProfile = new OrganisationProfile
            {
                EmployeeCount = 330_000,
                Units = [new OrganisationUnit("wuzi", "物资部", OrgUnitFunction.Purchasing, "")],
                Channels = [new CommunicationChannel(ChannelType.Phone, "010-6500-0000", "总机")],
            },
            InstalledBase = [new InstalledBaseItem { Vendor = "我方", IsOurs = true, Product = "道岔监测", Quantity = 3, Since = new DateOnly(2021, 3, 1), Satisfaction = 4 }],
            Competitors = [new CompetitorIntel { Competitor = "逸帆", ProductsInUse = ["智慧高速平台"], CustomerSatisfaction = 3, SalesRepName = "柯屿" }],
        },
        Version = 7,
        CreatedAt = At.AddDays(-30),
        UpdatedAt = At,
    };

    public static ContactState Contact() => new()
    {
        Contact = new Contact
        {
            ContactId = "c1", AccountId = "hengding-hq", DisplayName = "林澄舟", Level = ContactLevel.Executive,
            RelationshipStrength = RelationshipStrength.Strong,
            PersonalProfile = new PersonalProfile { Hometown = "湖南长沙", FavouriteBooks = ["《孙子兵法》"], Notes = "不喝白酒。\n周末钓鱼。" },
        },
        Version = 3,
        CreatedAt = At.AddDays(-3),
        UpdatedAt = At,
    };

    public static LedgerState Ledger() => new()
    {
        Version = 12,
        Buckets = new() { [new DateOnly(2026, 11, 1)] = 1_000_00, [new DateOnly(2026, 11, 20)] = -200_00 },
        Events = new(StringComparer.Ordinal)
        {
            ["inv-1"] = new RememberedEvent(new DateOnly(2026, 11, 1), 1_000_00, At.AddDays(-26).UtcTicks),
            ["cn-1"] = new RememberedEvent(new DateOnly(2026, 11, 20), -200_00, At.AddDays(-7).UtcTicks),
        },
    };

    /// <summary>Written by the release that added close_reason and the pipeline partitions.</summary>
    public static OpportunitiesState Opportunities() => new()
    {
        Items =
        [
            new OpportunityView(new Opportunity
            {
                AccountId = "hengding-hq", OpportunityId = "cy-signal", Name = "成渝高铁信号系统改造", Stage = Stage.Closed, AmountMinor = 32_000_000_00,
                CurrencyCode = "CNY", ProbabilityPercent = 100, Status = OpportunityStatus.Lost, CloseReason = "价格高于竞争对手",
            }, 4, At.AddDays(-20), At),
        ],
        LastVersion = 4,
    };

    /// <summary>Written by the release that added the pipeline partitions.</summary>
    public static PipelinePartitionState PipelinePartition() => new()
    {
        Rows = new(StringComparer.Ordinal)
        {
            ["hengding-hq"] = new PipelineRow("hengding-hq", 11, "u-zhang.wei", "", StrategicTier.NationalHq,
            [
                new PipelineLine("CNY", OpportunityStatus.Open, Stage.Solution, "", 2, 1_000_00, 400_00),
                new PipelineLine("CNY", OpportunityStatus.Lost, Stage.Unspecified, "价格高于竞争对手", 1, 32_000_000_00, 0),
            ]),
        },
        Removed = new(StringComparer.Ordinal) { ["hengding-bureau-25"] = new RemovedPipelineRow(9, At) },
        Backfilled = true,
    };
}
