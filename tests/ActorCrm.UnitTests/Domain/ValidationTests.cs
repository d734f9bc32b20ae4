using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;

namespace ActorCrm.UnitTests.Domain;

public class ValidationTests
{
    private static Account ValidAccount() => new()
    {
        AccountId = "hengding-hq",
        DisplayName = "恒鼎建设股份有限公司",
        Kind = AccountKind.Business,
        Tier = StrategicTier.NationalHq,
        OrganisationProfile = new OrganisationProfile
        {
            EmployeeCount = 330_000,
            Units = [new OrganisationUnit("wuzi", "物资部", OrgUnitFunction.Purchasing, "")],
            Channels = [new CommunicationChannel(ChannelType.Phone, "010-5268-8888", "总机")],
        },
    };

    private static IReadOnlyList<FieldViolation> Check(Account account)
    {
        var v = new Violations();
        AccountRules.Validate(account, v);
        return v.Items;
    }

    [Fact]
    public void A_complete_chinese_account_is_valid() => Assert.Empty(Check(ValidAccount()));

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("中文")]
    public void Bad_ids_are_refused_with_the_field_named(string id)
    {
        var violations = Check(ValidAccount() with { AccountId = id });
        Assert.Contains(violations, v => v.Field == "account.account_id");
    }

    [Fact]
    public void Ids_up_to_64_characters_pass_and_65_fail()
    {
        Assert.True(Violations.IsValidId(new string('a', 64)));
        Assert.False(Violations.IsValidId(new string('a', 65)));
    }

    [Fact]
    public void Display_name_is_counted_in_characters_not_bytes()
    {
        Assert.Empty(Check(ValidAccount() with { DisplayName = new string('铁', 200) }));
        Assert.Contains(Check(ValidAccount() with { DisplayName = new string('铁', 201) }), v => v.Field == "account.display_name");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("bell\u0007")]
    public void Display_name_must_be_present_one_line_text(string name) =>
        Assert.Contains(Check(ValidAccount() with { DisplayName = name }), v => v.Field == "account.display_name");

    [Fact]
    public void Multi_line_texts_accept_line_breaks_but_not_other_control_characters()
    {
        var ok = ValidAccount() with { OrganisationProfile = ValidAccount().OrganisationProfile with { BusinessSituation = "第一行\n第二行\t缩进" } };
        Assert.Empty(Check(ok));
        var bad = ValidAccount() with { OrganisationProfile = ValidAccount().OrganisationProfile with { BusinessSituation = "null\0char" } };
        Assert.Contains(Check(bad), v => v.Field == "account.organisation_profile.business_situation");
    }

    [Fact]
    public void Unspecified_and_unknown_enum_values_are_refused()
    {
        Assert.Contains(Check(ValidAccount() with { Tier = StrategicTier.Unspecified }), v => v.Field == "account.tier");
        Assert.Contains(Check(ValidAccount() with { Tier = (StrategicTier)99 }), v => v.Field == "account.tier" && v.Description.Contains("99"));
        Assert.Contains(Check(ValidAccount() with { Kind = AccountKind.Unspecified }), v => v.Field == "account.kind");
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var violations = Check(ValidAccount() with { DisplayName = "", Tier = 0, Owner = "Bad Owner" });
        Assert.Equal(["account.display_name", "account.owner", "account.tier"], violations.Select(v => v.Field).Order());
    }

    [Fact]
    public void Lists_are_bounded()
    {
        var team = Enumerable.Range(0, Limits.TeamMembers + 1).Select(i => new TeamMember($"u{i}", TeamRole.Sales)).ToArray();
        Assert.Contains(Check(ValidAccount() with { AccountTeam = team }), v => v.Field == "account.account_team");
    }

    [Fact]
    public void Duplicate_keys_in_lists_are_refused()
    {
        var team = new[] { new TeamMember("u1", TeamRole.Sales), new TeamMember("u1", TeamRole.Service) };
        Assert.Contains(Check(ValidAccount() with { AccountTeam = team }), v => v.Field == "account.account_team");
    }

    [Fact]
    public void An_account_cannot_be_its_own_parent() =>
        Assert.Contains(Check(ValidAccount() with { ParentAccountId = "hengding-hq" }), v => v.Field == "account.parent_account_id");

    [Fact]
    public void Organisation_units_must_reference_existing_parent_units()
    {
        var profile = ValidAccount().OrganisationProfile with
        {
            Units = [new OrganisationUnit("a", "甲", OrgUnitFunction.Using, "missing")],
        };
        Assert.Contains(Check(ValidAccount() with { OrganisationProfile = profile }),
            v => v.Field == "account.organisation_profile.units[0].parent_unit_id");
    }

    [Fact]
    public void Satisfaction_is_between_0_and_5()
    {
        var item = new InstalledBaseItem { Vendor = "诺维拉", Product = "信号系统", Quantity = 3, Satisfaction = 6 };
        Assert.Contains(Check(ValidAccount() with { InstalledBase = [item] }), v => v.Field == "account.installed_base[0].satisfaction");
    }

    [Fact]
    public void Opportunity_amounts_currency_and_probability_are_checked()
    {
        var o = new Opportunity
        {
            AccountId = "a", OpportunityId = "o", Name = "成渝高铁信号系统改造", Stage = Stage.Bidding,
            Status = OpportunityStatus.Open, AmountMinor = -1, CurrencyCode = "cny", ProbabilityPercent = 101,
        };
        var v = new Violations();
        OpportunityRules.Validate(o, v);
        Assert.Equal(["opportunity.amount_minor", "opportunity.currency_code", "opportunity.probability_percent"],
            v.Items.Select(x => x.Field).Order());
    }

    [Fact]
    public void Purchasing_method_may_stay_unknown_only_while_the_process_is_empty()
    {
        var o = new Opportunity
        {
            AccountId = "a", OpportunityId = "o", Name = "项目", Stage = Stage.Lead, Status = OpportunityStatus.Open,
            CurrencyCode = "CNY", PurchasingProcess = new PurchasingProcess { Steps = ["资格预审"] },
        };
        var v = new Violations();
        OpportunityRules.Validate(o, v);
        Assert.Contains(v.Items, x => x.Field == "opportunity.purchasing_process.method");
        v = new Violations();
        OpportunityRules.Validate(o with { PurchasingProcess = new PurchasingProcess() }, v);
        Assert.Empty(v.Items);
    }

    [Fact]
    public void Activity_type_must_come_from_the_taxonomy()
    {
        var a = new Activity { AccountId = "a", ActivityId = "x", Type = "golf", OccurredAt = DateTimeOffset.UnixEpoch };
        var v = new Violations();
        ActivityRules.Validate(a, ActivityRules.DefaultTypes.ToHashSet(), v);
        Assert.Contains(v.Items, x => x.Field == "activity.type");
        v = new Violations();
        ActivityRules.Validate(a with { Type = "site_visit" }, ActivityRules.DefaultTypes.ToHashSet(), v);
        Assert.Empty(v.Items);
    }

    [Fact]
    public void Contact_personal_profile_lists_are_bounded()
    {
        var c = new Contact
        {
            ContactId = "c", AccountId = "a", DisplayName = "林澄舟", Level = ContactLevel.Executive,
            RelationshipStrength = RelationshipStrength.Good,
            PersonalProfile = new PersonalProfile { Sports = Enumerable.Repeat("羽毛球", Limits.ProfileListItems + 1).ToArray() },
        };
        var v = new Violations();
        ContactRules.Validate(c, v);
        Assert.Contains(v.Items, x => x.Field == "contact.personal_profile.sports");
    }

    [Fact]
    public void ThrowIfAny_raises_invalid_argument_with_every_violation()
    {
        var v = new Violations();
        v.Add("a", "x");
        v.Add("b", "y");
        var error = Assert.Throws<CrmException>(v.ThrowIfAny);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(2, error.Violations.Count);
    }
}
