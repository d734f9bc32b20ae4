using ActorCrm.DemoData.Internal;

namespace ActorCrm.DemoData;

/// <summary>
/// Generates a realistic, deterministic key-account book of an infrastructure supplier selling to
/// railway and highway systems: headquarters of state-owned-style groups, railway and engineering
/// bureaus and provincial transport units under them, local units and other customers below.
/// Every organisation, competitor and person in it is invented, and every domain and e-mail address
/// is under a reserved domain (<c>.example</c>, <c>example.com</c>, <c>example.net</c>).
/// </summary>
public static class DemoDataGenerator
{
    /// <summary>Largest number of accounts one call generates.</summary>
    public const int MaxAccounts = 1_000_000;

    /// <summary>The anchor ("now") used when <see cref="DemoDataOptions.Anchor"/> is null: 2026-01-01 00:00 +08:00.</summary>
    public static readonly DateTimeOffset DefaultAnchor = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// Generates the book. Deterministic: the same options always give the same data (the only
    /// random source is <c>new Random(options.Seed)</c>; the clock is never read).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Accounts is negative or above <see cref="MaxAccounts"/>.</exception>
    public static DemoDataSet Generate(DemoDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Accounts, nameof(options.Accounts));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Accounts, MaxAccounts, nameof(options.Accounts));
        var anchor = options.Anchor ?? DefaultAnchor;
        return new BookBuilder(options.Seed, anchor).Build(options.Accounts);
    }
}
