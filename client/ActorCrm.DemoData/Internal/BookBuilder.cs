using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>
/// Builds one book. All randomness comes from one <see cref="Random"/> seeded once and consumed in a
/// fixed order; hash-based collections are only used for membership tests, never iterated.
/// </summary>
internal sealed partial class BookBuilder
{
    private readonly Random _rng;
    private readonly DateTimeOffset _anchor;
    private readonly DateOnly _today;
    private readonly string[] _sellers;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private static readonly HashSet<string> WellKnownNames = new(Catalog.WellKnownNames, StringComparer.Ordinal);

    private readonly List<Account> _accounts = [];
    private readonly List<Contact> _contacts = [];
    private readonly List<Opportunity> _opportunities = [];
    private readonly List<Activity> _activities = [];

    /// <summary>Opportunities generated so far; the first seven walk through every stage.</summary>
    private int _opportunityCount;

    /// <summary>Activities generated so far; the first ten walk through every type.</summary>
    private int _activityCount;

    public BookBuilder(int seed, DateTimeOffset anchor)
    {
        _rng = new Random(seed);
        _anchor = anchor;
        _today = DateOnly.FromDateTime(anchor.DateTime);
        _sellers = MakeSellers(24);
    }

    public DemoDataSet Build(int accountCount)
    {
        var nodes = Plan(accountCount);
        _accounts.Capacity = nodes.Count;
        foreach (var node in nodes)
        {
            var ctx = BuildAccount(node);
            _accounts.Add(ctx.Account);
            var people = BuildContacts(ctx);
            var deals = BuildOpportunities(ctx, people);
            BuildActivities(ctx, people, deals);
        }
        // Last, so that the rest of the book is the same as without it.
        var revenue = BuildRevenue(nodes);
        return new DemoDataSet(_accounts, _contacts, _opportunities, _activities, revenue);
    }

    /// <summary>
    /// One instance per distinct text: texts composed from small catalogs repeat a lot, and holding
    /// each once keeps a 10,000-account book small (most of the generation time is the GC copying
    /// what survives).
    /// </summary>
    private string Share(string text)
    {
        if (_shared.TryGetValue(text, out var shared)) return shared;
        _shared.Add(text, text);
        return text;
    }

    /// <summary>The seller's users (account owners and team members), e.g. "u-zhang.wei"; never a well-known person's name.</summary>
    private string[] MakeSellers(int count)
    {
        var result = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (result.Count < count)
        {
            var s = _rng.Next(Catalog.Surnames.Length);
            var g = Invented(s, _rng.Next(Catalog.GivenChars.Length));
            var id = $"u-{Catalog.SurnamePinyin[s]}.{Catalog.GivenChars[g].Pinyin}";
            if (seen.Add(id)) result.Add(id);
        }
        return [.. result];
    }

    /// <summary>An invented Chinese person's name and its pinyin ("苏文凯", "su.wenkai").</summary>
    private (string Name, string Pinyin) PersonName()
    {
        var s = _rng.Next(Catalog.Surnames.Length);
        var g1 = _rng.Next(Catalog.GivenChars.Length);
        var surname = Catalog.Surnames[s];
        var pinyin = Catalog.SurnamePinyin[s];
        if (_rng.Chance(35))
        {
            g1 = Invented(s, g1);
            return (surname + Catalog.GivenChars[g1].Han, $"{pinyin}.{Catalog.GivenChars[g1].Pinyin}");
        }
        var g2 = _rng.Next(Catalog.GivenChars.Length);
        while (WellKnownNames.Contains(surname + Catalog.GivenChars[g1].Han + Catalog.GivenChars[g2].Han))
            g2 = (g2 + 1) % Catalog.GivenChars.Length;
        return (surname + Catalog.GivenChars[g1].Han + Catalog.GivenChars[g2].Han, $"{pinyin}.{Catalog.GivenChars[g1].Pinyin}{Catalog.GivenChars[g2].Pinyin}");
    }

    /// <summary>
    /// The given character <paramref name="g"/>, or the next one that with surname <paramref name="s"/> does not
    /// spell a well-known person's name. Draws nothing, so the rest of the book is the same either way.
    /// </summary>
    private static int Invented(int s, int g)
    {
        while (WellKnownNames.Contains(Catalog.Surnames[s] + Catalog.GivenChars[g].Han))
            g = (g + 1) % Catalog.GivenChars.Length;
        return g;
    }

    private static Date ToDate(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    private string Mobile() =>
        $"1{_rng.Pick(MobilePrefixes)}{_rng.Next(0, 10)}{_rng.Next(0, 10_000):D4}{_rng.Next(0, 10_000):D4}";

    private static readonly int[] MobilePrefixes = [3, 5, 7, 8, 9];

    private string Landline(Province p) =>
        p.AreaCode.Length == 3 ? $"{p.AreaCode}-{_rng.Next(5000_0000, 9000_0000)}" : $"{p.AreaCode}-{_rng.Next(500_0000, 900_0000)}";

    private string Address(Province p, string city) =>
        $"{p.Full}{(city.Length == 0 || city == p.Full ? "" : city)}{_rng.Pick(Catalog.Roads)}{_rng.Between(1, 399)}号";
}
