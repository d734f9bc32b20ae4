using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>One planned account: who it is and where it sits, before its details are generated.</summary>
internal sealed class Node
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required StrategicTier Tier { get; init; }
    public required Style Style { get; init; }
    public required Province Province { get; init; }
    public required string Industry { get; init; }
    public required string Domain { get; init; }
    public Node? Parent { get; init; }
    /// <summary>A prefecture-level city or district, when the account is local to one.</summary>
    public string City { get; init; } = "";
    /// <summary>The name children are named after ("恒鼎十二局集团").</summary>
    public string ShortName { get; init; } = "";
    /// <summary>For project departments: the line or road they build.</summary>
    public string Project { get; init; } = "";
    public GroupFamily? Family { get; init; }
    public AccountKind Kind { get; init; } = AccountKind.Business;
    /// <summary>Counter for numbered children ("第三工程有限公司").</summary>
    public int NumberedChildren { get; set; }
}

/// <summary>A numbered series of bureaus under a group ("恒鼎{n}局集团有限公司" for n = 11..99).</summary>
internal sealed record BureauSeries(Func<int, string> Name, Func<int, string> Id, int From, int To, Func<int, string?>? ProvinceCode = null);

/// <summary>An (invented) state-owned-style group and the bureaus it can have.</summary>
internal sealed class GroupFamily(string id, string name, string shortName, string domain, string industry, Style bureauStyle, BureauSeries[] series)
{
    private int _series;
    private int _next = int.MinValue;

    public string Id { get; } = id;
    public string Name { get; } = name;
    /// <summary>The name people use ("恒鼎建设").</summary>
    public string ShortName { get; } = shortName;
    public string Domain { get; } = domain;
    public string Industry { get; } = industry;
    public Style BureauStyle { get; } = bureauStyle;

    /// <summary>The next bureau of this group, or null when the group has no more.</summary>
    public (string Id, string Name, string? ProvinceCode)? NextBureau()
    {
        while (_series < series.Length)
        {
            var s = series[_series];
            if (_next == int.MinValue) _next = s.From;
            if (_next <= s.To)
            {
                var n = _next++;
                return (s.Id(n), s.Name(n), s.ProvinceCode?.Invoke(n));
            }
            _series++;
            _next = int.MinValue;
        }
        return null;
    }
}

/// <summary>A kind of provincial (tier 2) account that stands on its own (no parent group).</summary>
internal sealed record ProvincialKind(string IdSuffix, Style Style, Func<Province, string> Name, string Industry, Func<Province, string> Domain);

internal static class Families
{
    public static readonly string[] GeneratedIndustries = ["铁路", "公路", "桥梁", "市政"];

    /// <summary>
    /// The fixed groups, in the order they are used. All invented (brand words such as 恒鼎, 华岳, 瀚川), in the
    /// styles of the big construction and railway groups; their domains are reserved (.example).
    /// </summary>
    public static GroupFamily[] Known() =>
    [
        new("hengding", "恒鼎建设股份有限公司", "恒鼎建设", "hengding.example", "铁路", Style.ConstructionBureau,
        [
            new(n => $"恒鼎{Text.Cn(n)}局集团有限公司", n => $"hengding-bureau-{n}", 11, 99),
        ]),
        new("huayue", "华岳铁路工程股份有限公司", "华岳铁路", "huayue.example", "铁路", Style.ConstructionBureau,
        [
            new(n => $"华岳{Text.Cn(n)}局集团有限公司", n => $"huayue-bureau-{n}", 1, 10),
            new(n => SpecialHuayue[n].Name, n => $"huayue-{SpecialHuayue[n].Id}", 0, SpecialHuayue.Length - 1),
            new(n => $"华岳第{Text.Cn(n)}工程局有限公司", n => $"huayue-bureau-{n}", 11, 99),
        ]),
        new("hanchuan", "瀚川交通建设集团有限公司", "瀚川交建", "hanchuan.example", "公路", Style.ConstructionBureau,
        [
            new(n => $"瀚川第{Text.Cn(n)}公路工程局有限公司", n => $"hanchuan-highway-{n}", 1, 5),
            new(n => $"瀚川第{Text.Cn(n)}航务工程局有限公司", n => $"hanchuan-harbour-{n}", 1, 4),
            new(n => $"瀚川第{Text.Cn(n)}工程局有限公司", n => $"hanchuan-bureau-{n}", 1, 99),
        ]),
        new("yunqu", "云衢铁路集团有限公司", "云衢铁路", "yunqu.example", "铁路", Style.RailwayBureau,
        [
            new(n => $"云衢铁路{Catalog.RailwayBureaus[n].Name}局集团有限公司", n => $"yunqu-{Catalog.RailwayBureaus[n].Id}",
                0, Catalog.RailwayBureaus.Length - 1, n => Catalog.RailwayBureaus[n].Province),
        ]),
        new("peize", "沛泽电力建设集团有限公司", "沛泽电建", "peize.example", "水利水电", Style.ConstructionBureau,
        [
            new(n => $"沛泽水利水电第{Text.Cn(n)}工程局有限公司", n => $"peize-bureau-{n}", 1, 99),
        ]),
        new("junyu", "峻宇建筑集团有限公司", "峻宇建筑", "junyu.example", "市政", Style.ConstructionBureau,
        [
            new(n => $"峻宇{Text.Cn(n)}局集团有限公司", n => $"junyu-bureau-{n}", 1, 99),
        ]),
        new("langyao", "朗曜能源建设集团有限公司", "朗曜能建", "langyao.example", "公路", Style.ConstructionBureau,
        [
            new(n => $"朗曜能源建设集团第{Text.Cn(n)}工程局有限公司", n => $"langyao-bureau-{n}", 1, 99),
        ]),
        new("jingsheng", "璟晟冶金科工集团有限公司", "璟晟冶科", "jingsheng.example", "市政", Style.ConstructionBureau,
        [
            new(n => $"璟晟{Text.Cn(n)}冶集团有限公司", n => $"jingsheng-bureau-{n}", 1, 99),
        ]),
    ];

    private static readonly (string Id, string Name)[] SpecialHuayue =
    [
        ("daqiao", "华岳大桥局集团有限公司"), ("suidao", "华岳隧道局集团有限公司"), ("dianqihua", "华岳电气化局集团有限公司"),
    ];

    /// <summary>
    /// The k-th generated group (k ≥ 0): two invented syllables + a suffix ("澜峤路桥集团有限公司"). The first 380 have distinct
    /// syllable pairs; <paramref name="offset"/>/<paramref name="suffixOffset"/> vary the sequence by seed.
    /// </summary>
    public static GroupFamily Generated(int k, int offset, int suffixOffset, string industry)
    {
        var syllables = Catalog.GroupSyllables;
        var pairs = syllables.Length * (syllables.Length - 1);
        var j = (int)((offset + (long)k * 7) % pairs); // 7 is coprime with 380: a permutation of the pairs
        var a = j / (syllables.Length - 1);
        var b = j % (syllables.Length - 1);
        if (b >= a) b++;
        var round = k / pairs;
        var core = syllables[a].Han + syllables[b].Han;
        var stem = syllables[a].Pinyin + syllables[b].Pinyin + (round == 0 ? "" : (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var suffix = Catalog.GroupSuffixes[(suffixOffset + k + round) % Catalog.GroupSuffixes.Length];
        var shortName = core + suffix[..^"集团有限公司".Length]; // "澜峤路桥"
        return new GroupFamily(stem, $"{core}{suffix}", $"{core}{suffix[..^4]}", $"{stem}.example", industry, Style.ConstructionBureau,
        [
            new(n => $"{shortName}第{Text.Cn(n)}工程局有限公司", n => $"{stem}-bureau-{n}", 1, 99),
        ]);
    }

    /// <summary>
    /// Provincial kinds the brief names first (transport department, highway bureau, road &amp; bridge group),
    /// as invented bodies: each carries its province's invented brand ("四川省澄岷交通运输事务中心"), so none is a
    /// real public authority or company; domains are reserved (.example).
    /// </summary>
    public static readonly ProvincialKind[] Primary =
    [
        new("transport-dept", Style.TransportDept, p => $"{p.Full}{p.Brand.Han}交通运输事务中心", "公路", p => $"jtsw.{p.Brand.Pinyin}.example"),
        new("highway-bureau", Style.HighwayBureau, p => $"{p.Full}{p.Brand.Han}公路管理局", "公路", p => $"gl.{p.Brand.Pinyin}.example"),
        new("road-bridge", Style.ProvincialEnterprise, p => $"{p.Short}{p.Brand.Han}路桥建设集团有限公司", "桥梁", p => $"lq.{p.Brand.Pinyin}.example"),
    ];

    /// <summary>Further provincial kinds, used once the primary ones run out.</summary>
    public static readonly ProvincialKind[] Secondary =
    [
        new("transport-invest", Style.ProvincialEnterprise, p => $"{p.Short}{p.Brand.Han}交通投资集团有限公司", "公路", p => $"jt.{p.Brand.Pinyin}.example"),
        new("expressway", Style.ProvincialEnterprise, p => $"{p.Short}{p.Brand.Han}高速公路集团有限公司", "公路", p => $"gs.{p.Brand.Pinyin}.example"),
        new("railway-invest", Style.ProvincialEnterprise, p => $"{p.Short}{p.Brand.Han}铁路投资集团有限公司", "铁路", p => $"tl.{p.Brand.Pinyin}.example"),
        new("design-institute", Style.ProvincialEnterprise, p => $"{p.Short}{p.Brand.Han}交通规划勘察设计研究院有限公司", "公路", p => $"jtsj.{p.Brand.Pinyin}.example"),
    ];
}
