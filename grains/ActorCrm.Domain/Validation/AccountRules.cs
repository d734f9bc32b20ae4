using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Validation;

/// <summary>What makes an account valid on its own (references to other accounts are checked by grains).</summary>
public static class AccountRules
{
    public static void Validate(Account a, Violations v, string prefix = "account")
    {
        v.Id(a.AccountId, $"{prefix}.account_id");
        v.Line(a.DisplayName, $"{prefix}.display_name", required: true);
        v.Required(a.Kind, $"{prefix}.kind");
        v.Required(a.Tier, $"{prefix}.tier");
        v.Id(a.ParentAccountId, $"{prefix}.parent_account_id", required: false);
        if (a.ParentAccountId.Length > 0 && a.ParentAccountId == a.AccountId)
            v.Add($"{prefix}.parent_account_id", "an account cannot be its own parent");
        v.Id(a.Owner, $"{prefix}.owner", required: false);
        v.Line(a.Industry, $"{prefix}.industry");
        v.Line(a.Region, $"{prefix}.region");

        if (v.Count(a.AccountTeam, Limits.TeamMembers, $"{prefix}.account_team"))
        {
            for (var i = 0; i < a.AccountTeam.Count; i++)
            {
                v.Id(a.AccountTeam[i].UserId, $"{prefix}.account_team[{i}].user_id");
                v.Required(a.AccountTeam[i].Role, $"{prefix}.account_team[{i}].role");
            }
            v.Unique(a.AccountTeam.Select(m => m.UserId), $"{prefix}.account_team", "user");
        }

        ValidateProfile(a.OrganisationProfile, v, $"{prefix}.organisation_profile");

        if (v.Count(a.InstalledBase, Limits.InstalledBaseItems, $"{prefix}.installed_base"))
        {
            for (var i = 0; i < a.InstalledBase.Count; i++)
            {
                var item = a.InstalledBase[i];
                var f = $"{prefix}.installed_base[{i}]";
                v.Line(item.Vendor, $"{f}.vendor", required: true);
                v.Line(item.Product, $"{f}.product", required: true);
                v.Range(item.Quantity, 0, int.MaxValue, $"{f}.quantity");
                v.Range(item.Satisfaction, 0, 5, $"{f}.satisfaction");
            }
        }

        if (v.Count(a.Competitors, Limits.Competitors, $"{prefix}.competitors"))
        {
            for (var i = 0; i < a.Competitors.Count; i++)
            {
                var c = a.Competitors[i];
                var f = $"{prefix}.competitors[{i}]";
                v.Line(c.Competitor, $"{f}.competitor", required: true);
                v.Lines(c.ProductsInUse, Limits.ProductsInUse, $"{f}.products_in_use");
                v.Range(c.CustomerSatisfaction, 0, 5, $"{f}.customer_satisfaction");
                v.Line(c.SalesRepName, $"{f}.sales_rep_name");
                v.Text(c.SalesRepSellingStyle, $"{f}.sales_rep_selling_style");
                v.Text(c.SalesRepRelationship, $"{f}.sales_rep_relationship");
                v.Text(c.Background, $"{f}.background");
            }
            v.Unique(a.Competitors.Select(c => c.Competitor), $"{prefix}.competitors", "competitor");
        }
    }

    private static void ValidateProfile(OrganisationProfile p, Violations v, string prefix)
    {
        v.Range(p.EmployeeCount, 0, int.MaxValue, $"{prefix}.employee_count");
        v.Range(p.YearlyPurchaseVolumeMinor, 0, Limits.MaxAmountMinor, $"{prefix}.yearly_purchase_volume_minor");
        v.Text(p.BusinessSituation, $"{prefix}.business_situation");
        v.Text(p.IndustrySituation, $"{prefix}.industry_situation");
        if (v.Count(p.Units, Limits.OrganisationUnits, $"{prefix}.units"))
        {
            var unitIds = p.Units.Select(u => u.UnitId).ToHashSet();
            for (var i = 0; i < p.Units.Count; i++)
            {
                var u = p.Units[i];
                var f = $"{prefix}.units[{i}]";
                v.Id(u.UnitId, $"{f}.unit_id");
                v.Line(u.Name, $"{f}.name", required: true);
                v.Required(u.Function, $"{f}.function");
                if (u.ParentUnitId.Length > 0 && (u.ParentUnitId == u.UnitId || !unitIds.Contains(u.ParentUnitId)))
                    v.Add($"{f}.parent_unit_id", "must name another unit of this account");
            }
            v.Unique(p.Units.Select(u => u.UnitId), $"{prefix}.units", "unit");
        }
        ChannelRules.Validate(p.Channels, v, $"{prefix}.channels");
    }
}

public static class ChannelRules
{
    public static void Validate(IReadOnlyList<CommunicationChannel> channels, Violations v, string prefix)
    {
        if (!v.Count(channels, Limits.Channels, prefix)) return;
        for (var i = 0; i < channels.Count; i++)
        {
            v.Required(channels[i].Type, $"{prefix}[{i}].type");
            v.Line(channels[i].Value, $"{prefix}[{i}].value", required: true);
            v.Line(channels[i].Label, $"{prefix}[{i}].label");
        }
    }
}
