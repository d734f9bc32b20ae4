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

    /// <summary>The seller's users (account owners and team members), e.g. "u-zhang.wei".</summary>
    private string[] MakeSellers(int count)
    {
        var result = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (result.Count < count)
        {
            var s = _rng.Next(Catalog.Surnames.Length);
            var g = _rng.Pick(Catalog.GivenChars);
            var id = $"u-{Catalog.SurnamePinyin[s]}.{g.Pinyin}";
            if (seen.Add(id)) result.Add(id);
        }
        return [.. result];
    }

    /// <summary>A Chinese person's name and its pinyin ("王建国", "wang.jianguo").</summary>
    private (string Name, string Pinyin) PersonName()
    {
        var s = _rng.Next(Catalog.Surnames.Length);
        var g1 = _rng.Pick(Catalog.GivenChars);
        if (_rng.Chance(35))
            return (Catalog.Surnames[s] + g1.Han, $"{Catalog.SurnamePinyin[s]}.{g1.Pinyin}");
        var g2 = _rng.Pick(Catalog.GivenChars);
        return (Catalog.Surnames[s] + g1.Han + g2.Han, $"{Catalog.SurnamePinyin[s]}.{g1.Pinyin}{g2.Pinyin}");
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
