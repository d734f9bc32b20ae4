using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Validation;

/// <summary>What makes a contact valid on its own (its links to the account are checked by the account grain).</summary>
public static class ContactRules
{
    public static void Validate(Contact c, Violations v, string prefix = "contact")
    {
        v.Id(c.ContactId, $"{prefix}.contact_id");
        v.Id(c.AccountId, $"{prefix}.account_id");
        v.Line(c.DisplayName, $"{prefix}.display_name", required: true);
        v.Line(c.Title, $"{prefix}.title");
        v.Id(c.OrgUnitId, $"{prefix}.org_unit_id", required: false);
        v.Required(c.Level, $"{prefix}.level");
        v.Id(c.ReportsToContactId, $"{prefix}.reports_to_contact_id", required: false);
        if (c.ReportsToContactId.Length > 0 && c.ReportsToContactId == c.ContactId)
            v.Add($"{prefix}.reports_to_contact_id", "a contact cannot report to itself");
        ChannelRules.Validate(c.Channels, v, $"{prefix}.channels");
        v.Required(c.RelationshipStrength, $"{prefix}.relationship_strength");

        var p = c.PersonalProfile;
        var pf = $"{prefix}.personal_profile";
        v.Text(p.Family, $"{pf}.family", Limits.ProfileTextLength);
        v.Line(p.Hometown, $"{pf}.hometown", Limits.ProfileTextLength);
        v.Lines(p.FavouriteBooks, Limits.ProfileListItems, $"{pf}.favourite_books");
        v.Line(p.University, $"{pf}.university", Limits.ProfileTextLength);
        v.Text(p.LastVacation, $"{pf}.last_vacation", Limits.ProfileTextLength);
        v.Text(p.NextVacationPlan, $"{pf}.next_vacation_plan", Limits.ProfileTextLength);
        v.Lines(p.Sports, Limits.ProfileListItems, $"{pf}.sports");
        v.Lines(p.FavouriteRestaurants, Limits.ProfileListItems, $"{pf}.favourite_restaurants");
        v.Lines(p.FavouriteFood, Limits.ProfileListItems, $"{pf}.favourite_food");
        v.Text(p.Notes, $"{pf}.notes", Limits.ProfileTextLength);

        // Personal data is held only with a stated purpose, legal basis and retention date.
        var bf = $"{prefix}.personal_data_basis";
        if (c.PersonalDataBasis is not { } basis)
        {
            if (!p.IsEmpty) v.Add(bf, "is required with a personal profile: purpose, legal basis and retention time");
            return;
        }
        v.Line(basis.Purpose, $"{bf}.purpose", Limits.NameLength, required: true);
        v.Required(basis.LegalBasis, $"{bf}.legal_basis");
        if (basis.LegalBasis == LegalBasis.Consent && basis.ConsentedAt is null)
            v.Add($"{bf}.consent_time", "is required when the legal basis is consent");
        if (basis.RetainUntil == default) v.Add($"{bf}.retention_time", "is required");
    }
}
