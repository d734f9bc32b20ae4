using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Insights;

/// <summary>
/// The checklist of ../shared/domain/key-accounts.md turned into scores: each category's score is
/// the share of its items that are known (each competitor, open opportunity and contact a sub-list
/// of equal weight), every unknown item is listed with a stable code, and the open opportunities'
/// buying centres are checked for red flags. Pure: the same inputs give the same insights.
/// </summary>
public static class IntelCoverage
{
    public static readonly IReadOnlyList<string> ProfileItems =
    [
        "family", "hometown", "favourite_books", "university", "last_vacation", "next_vacation_plan",
        "sports", "favourite_restaurants", "favourite_food",
    ];

    public static AccountInsights Evaluate(
        Account account, IReadOnlyList<OpportunityIntel> opportunities, IReadOnlyList<ContactIntel> contacts, DateOnly today, InsightOptions options,
        IntelVerifiedOn? verified = null)
    {
        var missing = new List<MissingIntel>();
        var age = new SectionAge(verified ?? IntelVerifiedOn.Unknown, today, options.StaleAfterDays, missing);
        var organisation = Organisation(account, contacts, age, missing);
        var competitors = Competitors(account, age, missing);
        var open = opportunities.Where(o => o.Opportunity.Status == OpportunityStatus.Open).ToList();
        var projects = Projects(open.Select(o => o.Opportunity).ToList(), age, missing);
        var people = People(contacts, age, missing);
        var redFlags = open.SelectMany(o => RedFlags(o, contacts, today, options)).ToList();

        var weighted = new[]
        {
            (IntelCategory.Organisation, organisation), (IntelCategory.Competitors, competitors),
            (IntelCategory.Projects, projects), (IntelCategory.People, people),
        };
        var totalWeight = weighted.Sum(c => options.WeightOf(c.Item1));
        var overall = totalWeight <= 0 ? 0 : weighted.Sum(c => options.WeightOf(c.Item1) * c.Item2) / totalWeight;
        return new AccountInsights(organisation, competitors, projects, people, overall, missing, redFlags) { NextStaleDay = age.NextStaleDay };
    }

    /// <summary>Customer organisation data: size, purchase volume, structure, channels, who uses/buys/supports, who decides, installed base, business and industry.</summary>
    private static double Organisation(Account account, IReadOnlyList<ContactIntel> contacts, SectionAge age, List<MissingIntel> missing)
    {
        var p = account.OrganisationProfile;
        var profileStale = age.Stale(IntelCategory.Organisation, age.Verified.OrganisationProfile, HasAny(p), "ORG_PROFILE_STALE", "the organisation profile", account.AccountId);
        var installedBaseStale = age.Stale(IntelCategory.Organisation, age.Verified.InstalledBase, account.InstalledBase.Count > 0, "INSTALLED_BASE_STALE", "the installed base", account.AccountId);
        var check = new Checklist(IntelCategory.Organisation, missing, account.AccountId, profileStale);
        check.Item(p.EmployeeCount > 0, "ORG_EMPLOYEES_UNKNOWN", "how many employees the customer has is unknown");
        check.Item(p.YearlyPurchaseVolumeMinor > 0, "ORG_PURCHASE_VOLUME_UNKNOWN", "how much of our product class the customer buys per year is unknown");
        check.Item(p.Units.Count > 0, "ORG_NO_STRUCTURE", "the customer's organisation structure is not recorded");
        check.Item(p.Channels.Count > 0, "ORG_NO_CHANNELS", "none of the customer's communication channels is recorded");
        check.Item(p.Units.Any(u => u.Function == OrgUnitFunction.Using), "ORG_NO_USING_UNIT", "no department that uses the product identified");
        check.Item(p.Units.Any(u => u.Function == OrgUnitFunction.Purchasing), "ORG_NO_PURCHASING_UNIT", "no purchasing department identified");
        check.Item(p.Units.Any(u => u.Function == OrgUnitFunction.Supporting), "ORG_NO_SUPPORTING_UNIT", "no department that supports the product identified");
        check.Item(contacts.Any(c => c.Level == ContactLevel.UserOrMaintainer), "ORG_NO_USER_CONTACT", "no user or maintainer of the product known", stale: false);
        check.Item(contacts.Any(c => c.Level == ContactLevel.Management), "ORG_NO_MANAGEMENT_CONTACT", "no one in the customer's management known", stale: false);
        check.Item(contacts.Any(c => c.Level == ContactLevel.Executive), "ORG_NO_EXECUTIVE_CONTACT", "no top executive of the customer known", stale: false);
        check.Item(account.InstalledBase.Count > 0, "ORG_NO_INSTALLED_BASE", "the installed base of products like ours (ours and others') is not recorded", installedBaseStale);
        check.Item(p.BusinessSituation.Length > 0, "ORG_BUSINESS_UNKNOWN", "the customer's business situation is not described");
        check.Item(p.IndustrySituation.Length > 0, "ORG_INDUSTRY_UNKNOWN", "the state of the customer's industry is not described");
        return check.Score;
    }

    /// <summary>Competitor data, per competitor present: products in use, satisfaction, their rep (name, style, relationship), background.</summary>
    private static double Competitors(Account account, SectionAge age, List<MissingIntel> missing)
    {
        if (account.Competitors.Count == 0)
        {
            missing.Add(new MissingIntel(IntelCategory.Competitors, "COMPETITOR_NONE_RECORDED", "no competitor present at this account is recorded", account.AccountId));
            return 0;
        }
        return account.Competitors.Average(c =>
        {
            var stale = age.Stale(IntelCategory.Competitors, age.Verified.Competitors.TryGetValue(c.Competitor, out var on) ? on : null, HasAny(c),
                "COMPETITOR_STALE", $"competitor {c.Competitor}: the entry", c.Competitor);
            var check = new Checklist(IntelCategory.Competitors, missing, c.Competitor, stale);
            check.Item(c.ProductsInUse.Count > 0, "COMPETITOR_PRODUCTS_UNKNOWN", $"competitor {c.Competitor}: which of their products are in use is unknown");
            check.Item(c.CustomerSatisfaction > 0, "COMPETITOR_SATISFACTION_UNKNOWN", $"competitor {c.Competitor}: the customer's satisfaction with them is unknown");
            check.Item(c.SalesRepName.Length > 0, "COMPETITOR_REP_UNKNOWN", $"competitor {c.Competitor}: their sales rep is unknown");
            check.Item(c.SalesRepSellingStyle.Length > 0, "COMPETITOR_REP_STYLE_UNKNOWN", $"competitor {c.Competitor}: their sales rep's selling style is unknown");
            check.Item(c.SalesRepRelationship.Length > 0, "COMPETITOR_REP_RELATIONSHIP_UNKNOWN", $"competitor {c.Competitor}: their sales rep's relationship with the customer is unknown");
            check.Item(c.Background.Length > 0, "COMPETITOR_BACKGROUND_UNKNOWN", $"competitor {c.Competitor}: the company's background is unknown");
            return check.Score;
        });
    }

    /// <summary>Project data, per open opportunity: purchasing plan, problem, decision makers and influencers, timetable, budget, process.</summary>
    private static double Projects(IReadOnlyList<Opportunity> open, SectionAge age, List<MissingIntel> missing)
    {
        if (open.Count == 0)
        {
            missing.Add(new MissingIntel(IntelCategory.Projects, "PROJECT_NONE_OPEN", "no open project/opportunity is known at this account", ""));
            return 0;
        }
        return open.Average(o =>
        {
            var named = $"opportunity {o.Name}";
            var stale = age.Stale(IntelCategory.Projects, age.Verified.Opportunities.TryGetValue(o.OpportunityId, out var on) ? on : null, true,
                "OPPORTUNITY_STALE", named, o.OpportunityId);
            var check = new Checklist(IntelCategory.Projects, missing, o.OpportunityId, stale);
            check.Item(o.PurchasingPlan.Length > 0, "OPPORTUNITY_NO_PURCHASING_PLAN", $"{named}: the customer's purchasing plan is unknown");
            check.Item(o.ProblemToSolve.Length > 0, "OPPORTUNITY_NO_PROBLEM", $"{named}: the problem it must solve is not described");
            check.Item(o.BuyingCentre.Any(m => m.Role == BuyingRole.DecisionMaker), "OPPORTUNITY_NO_DECISION_MAKER", $"{named}: no decision maker identified");
            check.Item(o.BuyingCentre.Any(m => m.Role == BuyingRole.Influencer), "OPPORTUNITY_NO_INFLUENCER", $"{named}: no influencer identified");
            check.Item(o.Timetable.ExpectedDecisionDate is not null, "OPPORTUNITY_NO_TIMETABLE", $"{named}: the purchasing timetable is unknown");
            check.Item(o.BudgetMinor > 0, "OPPORTUNITY_NO_BUDGET", $"{named}: the budget is unknown");
            check.Item(o.PurchasingProcess.Method != PurchasingMethod.Unspecified, "OPPORTUNITY_NO_PROCESS", $"{named}: the purchasing process is unknown");
            return check.Score;
        });
    }

    /// <summary>Contact personal data, per contact: the profile items, and their role in the organisation (org chart).</summary>
    private static double People(IReadOnlyList<ContactIntel> contacts, SectionAge age, List<MissingIntel> missing)
    {
        if (contacts.Count == 0)
        {
            missing.Add(new MissingIntel(IntelCategory.People, "CONTACT_NONE", "no contact at this account is known", ""));
            return 0;
        }
        return contacts.Average(c =>
        {
            var stale = age.Stale(IntelCategory.People, age.Verified.ContactProfiles.TryGetValue(c.ContactId, out var on) ? on : null, c.KnownProfileItems.Count > 0,
                "CONTACT_PROFILE_STALE", $"contact {c.ContactId}: the personal profile", c.ContactId);
            var check = new Checklist(IntelCategory.People, missing, c.ContactId, stale);
            foreach (var item in ProfileItems)
                check.Item(c.KnownProfileItems.Contains(item), $"CONTACT_{item.ToUpperInvariant()}_UNKNOWN", $"contact {c.ContactId}: {item.Replace('_', ' ')} unknown");
            check.Item(c.InOrgChart, "CONTACT_ROLE_UNKNOWN", $"contact {c.ContactId}: their place in the organisation (unit, reporting line) is unknown", stale: false);
            return check.Score;
        });
    }

    private static IEnumerable<RedFlag> RedFlags(OpportunityIntel intel, IReadOnlyList<ContactIntel> contacts, DateOnly today, InsightOptions options)
    {
        var o = intel.Opportunity;
        var named = $"opportunity {o.Name}";
        var levels = contacts.ToDictionary(c => c.ContactId, c => c.Level);
        if (!o.BuyingCentre.Any(m => m.Role == BuyingRole.DecisionMaker))
            yield return new RedFlag("NO_DECISION_MAKER", $"{named}: no decision maker identified", o.OpportunityId);
        if (!o.BuyingCentre.Any(m => m.Role == BuyingRole.Coach))
            yield return new RedFlag("NO_COACH", $"{named}: no coach (an insider who guides us) in the buying centre", o.OpportunityId);
        if (o.BuyingCentre.Any(m => m.Role is BuyingRole.DecisionMaker or BuyingRole.EconomicBuyer && m.Stance == Stance.Opponent))
            yield return new RedFlag("OPPONENT_DECIDES", $"{named}: an opponent has decision power", o.OpportunityId);
        if (!o.BuyingCentre.Any(m => levels.TryGetValue(m.ContactId, out var level) && level == ContactLevel.Executive))
            yield return new RedFlag("NO_EXECUTIVE_CONTACT", $"{named}: no one at executive level in the buying centre", o.OpportunityId);
        if (o.Stage >= options.BudgetAndTimetableKnownBy && o.BudgetMinor <= 0)
            yield return new RedFlag("BUDGET_UNKNOWN_LATE", $"{named}: budget still unknown at stage {o.Stage}", o.OpportunityId);
        if (o.Stage >= options.BudgetAndTimetableKnownBy && o.Timetable.ExpectedDecisionDate is null)
            yield return new RedFlag("TIMETABLE_UNKNOWN_LATE", $"{named}: timetable still unknown at stage {o.Stage}", o.OpportunityId);
        if (o.Timetable.ExpectedDecisionDate is { } decision && decision < today)
            yield return new RedFlag("DECISION_DATE_PASSED", $"{named}: the expected decision date {decision:yyyy-MM-dd} has passed and it is still open", o.OpportunityId);
        var quietSince = intel.LastActivityOn ?? intel.CreatedOn;
        if (today.DayNumber - quietSince.DayNumber >= options.NoActivityDays)
            yield return new RedFlag("NO_RECENT_ACTIVITY", intel.LastActivityOn is null
                ? $"{named}: no sales activity logged since it was opened {options.NoActivityDays}+ days ago"
                : $"{named}: no sales activity since {quietSince:yyyy-MM-dd}", o.OpportunityId);
    }

    private static bool HasAny(OrganisationProfile p) =>
        p.EmployeeCount > 0 || p.YearlyPurchaseVolumeMinor > 0 || p.Units.Count > 0 || p.Channels.Count > 0
        || p.BusinessSituation.Length > 0 || p.IndustrySituation.Length > 0;

    private static bool HasAny(CompetitorIntel c) =>
        c.ProductsInUse.Count > 0 || c.CustomerSatisfaction > 0 || c.SalesRepName.Length > 0 || c.SalesRepSellingStyle.Length > 0
        || c.SalesRepRelationship.Length > 0 || c.Background.Length > 0;

    /// <summary>
    /// Staleness of sections: a section with something known, last verified more than
    /// StaleAfterDays ago, is stale (listed as missing); tracks the next day a fresh one turns stale.
    /// </summary>
    private sealed class SectionAge(IntelVerifiedOn verified, DateOnly today, int staleAfterDays, List<MissingIntel> missing)
    {
        public IntelVerifiedOn Verified => verified;

        public DateOnly? NextStaleDay { get; private set; }

        public bool Stale(IntelCategory category, DateOnly? verifiedOn, bool hasContent, string code, string what, string subject)
        {
            if (verifiedOn is not { } on || !hasContent) return false;
            var staleFrom = on.AddDays(staleAfterDays + 1);
            if (today < staleFrom)
            {
                if (NextStaleDay is null || staleFrom < NextStaleDay) NextStaleDay = staleFrom;
                return false;
            }
            missing.Add(new MissingIntel(category, code, $"{what} was last verified on {on:yyyy-MM-dd}, over {staleAfterDays} days ago", subject));
            return true;
        }
    }

    /// <summary>Counts known items of one checklist (half for a stale section's) and lists the unknown ones.</summary>
    private sealed class Checklist(IntelCategory category, List<MissingIntel> missing, string subject, bool sectionStale = false)
    {
        private double _known;
        private int _total;

        /// <param name="stale">Whether the item's section is stale; by default the checklist's.</param>
        public void Item(bool known, string code, string message, bool? stale = null)
        {
            _total++;
            if (known) _known += (stale ?? sectionStale) ? 0.5 : 1;
            else missing.Add(new MissingIntel(category, code, message, subject));
        }

        public double Score => _total == 0 ? 1 : _known / _total;
    }
}
