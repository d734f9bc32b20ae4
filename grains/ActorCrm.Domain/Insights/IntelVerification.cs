using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Insights;

/// <summary>The intel sections a person can confirm as still true (ConfirmIntel), and that go stale when nobody does.</summary>
public enum IntelSectionKind { OrganisationProfile = 1, InstalledBase = 2, Competitor = 3, Opportunity = 4, ContactProfile = 5 }

/// <summary>One section to confirm: its kind and, for competitors, opportunities and contacts, which one.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.IntelSection")]
public sealed record IntelSection([property: Id(0)] IntelSectionKind Kind, [property: Id(1)] string Subject);

/// <summary>
/// When a person last edited or confirmed each intel section of an account's own record (its
/// opportunities and contacts keep theirs). A section is stamped when its content changes or when
/// it is confirmed; an unchanged section keeps its stamp, so re-sending it does not refresh it.
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountIntelVerification")]
public sealed record AccountIntelVerification
{
    [Id(0)] public DateTimeOffset? OrganisationProfile { get; init; }
    [Id(1)] public DateTimeOffset? InstalledBase { get; init; }
    /// <summary>By competitor name (unique per account).</summary>
    [Id(2)] public IReadOnlyDictionary<string, DateTimeOffset> Competitors { get; init; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>The stamps after <paramref name="before"/> (null: a new account) became <paramref name="after"/>: changed sections get <paramref name="now"/>.</summary>
    public AccountIntelVerification After(Account? before, Account after, DateTimeOffset now)
    {
        var competitors = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var competitor in after.Competitors)
        {
            var previous = before?.Competitors.FirstOrDefault(c => c.Competitor == competitor.Competitor);
            competitors[competitor.Competitor] = previous is not null && IntelSections.Same(previous, competitor) && Competitors.TryGetValue(competitor.Competitor, out var stamp)
                ? stamp
                : now;
        }
        return new AccountIntelVerification
        {
            OrganisationProfile = before is not null && IntelSections.Same(before.OrganisationProfile, after.OrganisationProfile) ? OrganisationProfile : now,
            InstalledBase = before is not null && before.InstalledBase.SequenceEqual(after.InstalledBase) ? InstalledBase : now,
            Competitors = competitors,
        };
    }

    /// <summary>The stamps with the account's own sections among <paramref name="sections"/> confirmed at <paramref name="now"/>.</summary>
    public AccountIntelVerification Confirm(IEnumerable<IntelSection> sections, DateTimeOffset now)
    {
        var result = this;
        foreach (var section in sections)
            result = section.Kind switch
            {
                IntelSectionKind.OrganisationProfile => result with { OrganisationProfile = now },
                IntelSectionKind.InstalledBase => result with { InstalledBase = now },
                IntelSectionKind.Competitor => result with
                {
                    Competitors = new Dictionary<string, DateTimeOffset>(result.Competitors, StringComparer.Ordinal) { [section.Subject] = now },
                },
                _ => result,
            };
        return result;
    }
}

/// <summary>Content equality of intel sections (records hold lists, which records compare by reference).</summary>
public static class IntelSections
{
    public static bool Same(OrganisationProfile a, OrganisationProfile b) =>
        a.EmployeeCount == b.EmployeeCount && a.YearlyPurchaseVolumeMinor == b.YearlyPurchaseVolumeMinor
        && a.BusinessSituation == b.BusinessSituation && a.IndustrySituation == b.IndustrySituation
        && a.Units.SequenceEqual(b.Units) && a.Channels.SequenceEqual(b.Channels);

    public static bool Same(CompetitorIntel a, CompetitorIntel b) =>
        a with { ProductsInUse = [] } == b with { ProductsInUse = [] } && a.ProductsInUse.SequenceEqual(b.ProductsInUse);

    public static bool Same(PersonalProfile a, PersonalProfile b) =>
        a with { FavouriteBooks = [], Sports = [], FavouriteRestaurants = [], FavouriteFood = [] }
            == b with { FavouriteBooks = [], Sports = [], FavouriteRestaurants = [], FavouriteFood = [] }
        && a.FavouriteBooks.SequenceEqual(b.FavouriteBooks) && a.Sports.SequenceEqual(b.Sports)
        && a.FavouriteRestaurants.SequenceEqual(b.FavouriteRestaurants) && a.FavouriteFood.SequenceEqual(b.FavouriteFood);
}

/// <summary>
/// The local day each section was last verified, as the coverage rules read it. A section with no
/// stamp (recorded before stamps existed) counts as fresh.
/// </summary>
public sealed record IntelVerifiedOn
{
    public static readonly IntelVerifiedOn Unknown = new();

    public DateOnly? OrganisationProfile { get; init; }
    public DateOnly? InstalledBase { get; init; }
    public IReadOnlyDictionary<string, DateOnly> Competitors { get; init; } = new Dictionary<string, DateOnly>();
    /// <summary>By opportunity id.</summary>
    public IReadOnlyDictionary<string, DateOnly> Opportunities { get; init; } = new Dictionary<string, DateOnly>();
    /// <summary>By contact id: their personal profile.</summary>
    public IReadOnlyDictionary<string, DateOnly> ContactProfiles { get; init; } = new Dictionary<string, DateOnly>();
}
