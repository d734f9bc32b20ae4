namespace ActorCrm.DemoData;

/// <summary>What to generate.</summary>
/// <param name="Accounts">Number of accounts, 0..<see cref="DemoDataGenerator.MaxAccounts"/>.</param>
/// <param name="Seed">Seed of the only random source (<c>new Random(Seed)</c>); the same options give byte-identical data.</param>
/// <param name="Anchor">
/// "Now" for the generated book: activities and revenue lie in the 18 months before it, open opportunities decide
/// after it, closed ones before it. Null means <see cref="DemoDataGenerator.DefaultAnchor"/> (a fixed
/// instant, never the wall clock); hosts should pass their clock's time.
/// </param>
public sealed record DemoDataOptions(int Accounts = 60, int Seed = 42, DateTimeOffset? Anchor = null);
