using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Validation;

public static class OpportunityRules
{
    public static void Validate(Opportunity o, Violations v, string prefix = "opportunity")
    {
        v.Id(o.AccountId, $"{prefix}.account_id");
        v.Id(o.OpportunityId, $"{prefix}.opportunity_id");
        v.Line(o.Name, $"{prefix}.name", required: true);
        v.Text(o.ProblemToSolve, $"{prefix}.problem_to_solve");
        v.Text(o.PurchasingPlan, $"{prefix}.purchasing_plan");
        v.Range(o.BudgetMinor, 0, Limits.MaxAmountMinor, $"{prefix}.budget_minor");
        v.Required(o.Stage, $"{prefix}.stage");
        v.Range(o.AmountMinor, 0, Limits.MaxAmountMinor, $"{prefix}.amount_minor");
        v.Currency(o.CurrencyCode, $"{prefix}.currency_code");
        v.Range(o.ProbabilityPercent, 0, 100, $"{prefix}.probability_percent");
        v.Required(o.Status, $"{prefix}.status");

        if (v.Count(o.Timetable.Milestones, Limits.Milestones, $"{prefix}.timetable.milestones"))
            for (var i = 0; i < o.Timetable.Milestones.Count; i++)
                v.Line(o.Timetable.Milestones[i].Name, $"{prefix}.timetable.milestones[{i}].name", required: true);

        var process = o.PurchasingProcess;
        v.Optional(process.Method, $"{prefix}.purchasing_process.method");
        if (process.Method == PurchasingMethod.Unspecified && (process.Steps.Count > 0 || process.Notes.Length > 0))
            v.Add($"{prefix}.purchasing_process.method", "must be set when steps or notes are given");
        v.Lines(process.Steps, Limits.ProcessSteps, $"{prefix}.purchasing_process.steps");
        v.Text(process.Notes, $"{prefix}.purchasing_process.notes");

        if (v.Count(o.BuyingCentre, Limits.BuyingCentreMembers, $"{prefix}.buying_centre"))
        {
            for (var i = 0; i < o.BuyingCentre.Count; i++)
            {
                var m = o.BuyingCentre[i];
                v.Id(m.ContactId, $"{prefix}.buying_centre[{i}].contact_id");
                v.Required(m.Role, $"{prefix}.buying_centre[{i}].role");
                v.Required(m.Stance, $"{prefix}.buying_centre[{i}].stance");
            }
            v.Unique(o.BuyingCentre.Select(m => m.ContactId), $"{prefix}.buying_centre", "contact");
        }
        v.Lines(o.Competitors, Limits.DealCompetitors, $"{prefix}.competitors");
        v.Line(o.CloseReason, $"{prefix}.close_reason", Limits.CloseReasonLength);
        if (o.CloseReason.Length > 0 && o.Status == OpportunityStatus.Open)
            v.Add($"{prefix}.close_reason", "is only recorded when the opportunity is won or lost (status OPEN)");
    }
}

public static class ActivityRules
{
    /// <summary>The default activity taxonomy (configurable as Activities:Types).</summary>
    public static readonly IReadOnlyList<string> DefaultTypes =
    [
        "visit", "technical_exchange", "business_event", "site_visit", "product_demo",
        "phone_call", "reference_project", "entertainment", "proposal", "negotiation",
    ];

    public static void Validate(Activity a, IReadOnlySet<string> types, Violations v, string prefix = "activity")
    {
        v.Id(a.AccountId, $"{prefix}.account_id");
        v.Id(a.ActivityId, $"{prefix}.activity_id");
        if (a.Type.Length == 0) v.Add($"{prefix}.type", "is required");
        else if (!types.Contains(a.Type)) v.Add($"{prefix}.type", $"'{a.Type}' is not a configured activity type ({string.Join(", ", types.Order(StringComparer.Ordinal))})");
        if (a.OccurredAt == default) v.Add($"{prefix}.occurred_at", "is required");
        if (v.Count(a.ContactIds, Limits.ActivityContacts, $"{prefix}.contact_ids"))
        {
            for (var i = 0; i < a.ContactIds.Count; i++) v.Id(a.ContactIds[i], $"{prefix}.contact_ids[{i}]");
            v.Unique(a.ContactIds, $"{prefix}.contact_ids", "contact");
        }
        v.Id(a.OpportunityId, $"{prefix}.opportunity_id", required: false);
        v.Line(a.Subject, $"{prefix}.subject");
        v.Text(a.Notes, $"{prefix}.notes");
        v.Id(a.Owner, $"{prefix}.owner", required: false);
    }
}
