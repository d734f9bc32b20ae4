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
    /// <summary>The name children are named after ("中铁十二局集团").</summary>
    public string ShortName { get; init; } = "";
    /// <summary>For project departments: the line or road they build.</summary>
    public string Project { get; init; } = "";
    public GroupFamily? Family { get; init; }
    public AccountKind Kind { get; init; } = AccountKind.Business;
    /// <summary>Counter for numbered children ("第三工程有限公司").</summary>
    public int NumberedChildren { get; set; }
}

/// <summary>A numbered series of bureaus under a group ("中铁{n}局集团有限公司" for n = 11..99).</summary>
internal sealed record BureauSeries(Func<int, string> Name, Func<int, string> Id, int From, int To, Func<int, string?>? ProvinceCode = null);

/// <summary>A central state-owned group and the bureaus it can have.</summary>
internal sealed class GroupFamily(string id, string name, string shortName, string domain, string industry, Style bureauStyle, BureauSeries[] series)
{
    private int _series;
    private int _next = int.MinValue;

    public string Id { get; } = id;
    public string Name { get; } = name;
    /// <summary>The name people use ("中国铁建").</summary>
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

    /// <summary>The well-known groups, in the order they are used.</summary>
    public static GroupFamily[] Known() =>
    [
        new("crcc", "中国铁建股份有限公司", "中国铁建", "crcc.cn", "铁路", Style.ConstructionBureau,
        [
            new(n => $"中铁{Text.Cn(n)}局集团有限公司", n => $"crcc-bureau-{n}", 11, 99),
        ]),
        new("crec", "中国中铁股份有限公司", "中国中铁", "crec.cn", "铁路", Style.ConstructionBureau,
        [
            new(n => $"中铁{Text.Cn(n)}局集团有限公司", n => $"crec-bureau-{n}", 1, 10),
            new(n => SpecialCrec[n].Name, n => $"crec-{SpecialCrec[n].Id}", 0, SpecialCrec.Length - 1),
            new(n => $"中国中铁第{Text.Cn(n)}工程局有限公司", n => $"crec-bureau-{n}", 11, 99),
        ]),
        new("cccc", "中国交通建设集团有限公司", "中国交建", "ccccltd.cn", "公路", Style.ConstructionBureau,
        [
            new(n => $"中交第{Text.Cn(n)}公路工程局有限公司", n => $"cccc-highway-{n}", 1, 5),
            new(n => $"中交第{Text.Cn(n)}航务工程局有限公司", n => $"cccc-harbour-{n}", 1, 4),
            new(n => $"中交第{Text.Cn(n)}工程局有限公司", n => $"cccc-bureau-{n}", 1, 99),
        ]),
        new("china-railway", "中国国家铁路集团有限公司", "国铁集团", "china-railway.com.cn", "铁路", Style.RailwayBureau,
        [
            new(n => $"中国铁路{Catalog.RailwayBureaus[n].Name}局集团有限公司", n => $"china-railway-{Catalog.RailwayBureaus[n].Id}",
                0, Catalog.RailwayBureaus.Length - 1, n => Catalog.RailwayBureaus[n].Province),
        ]),
        new("powerchina", "中国电力建设集团有限公司", "中国电建", "powerchina.cn", "水利水电", Style.ConstructionBureau,
        [
            new(n => $"中国水利水电第{Text.Cn(n)}工程局有限公司", n => $"powerchina-bureau-{n}", 1, 99),
        ]),
        new("cscec", "中国建筑集团有限公司", "中国建筑", "cscec.com", "市政", Style.ConstructionBureau,
        [
            new(n => $"中建{Text.Cn(n)}局集团有限公司", n => $"cscec-bureau-{n}", 1, 99),
        ]),
        new("ceec", "中国能源建设集团有限公司", "中国能建", "ceec.net.cn", "公路", Style.ConstructionBureau,
        [
            new(n => $"中国能源建设集团第{Text.Cn(n)}工程局有限公司", n => $"ceec-bureau-{n}", 1, 99),
        ]),
        new("mcc", "中国冶金科工集团有限公司", "中国中冶", "mcc.com.cn", "市政", Style.ConstructionBureau,
        [
            new(n => $"中国{Text.Cn(n)}冶集团有限公司", n => $"mcc-bureau-{n}", 1, 99),
        ]),
    ];

    private static readonly (string Id, string Name)[] SpecialCrec =
    [
        ("daqiao", "中铁大桥局集团有限公司"), ("suidao", "中铁隧道局集团有限公司"), ("dianqihua", "中铁电气化局集团有限公司"),
    ];

    /// <summary>
    /// The k-th generated group (k ≥ 0): "中国" + two syllables + a suffix. The first 380 have distinct
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
        var shortName = core + suffix[..^"集团有限公司".Length]; // "华建路桥"
        return new GroupFamily(stem, $"中国{core}{suffix}", $"中国{core}{suffix[..^4]}", $"{stem}.com.cn", industry, Style.ConstructionBureau,
        [
            new(n => $"{shortName}第{Text.Cn(n)}工程局有限公司", n => $"{stem}-bureau-{n}", 1, 99),
        ]);
    }

    private static bool IsMunicipality(Province p) => p.Code is "bj" or "tj" or "sh" or "cq";

    /// <summary>Provincial kinds the brief names first (transport department, highway bureau, road &amp; bridge group).</summary>
    public static readonly ProvincialKind[] Primary =
    [
        new("transport-dept", Style.TransportDept, p => p.Full + (IsMunicipality(p) ? "交通委员会" : "交通运输厅"), "公路", p => $"jtt.{p.Code}.gov.cn"),
        new("highway-bureau", Style.HighwayBureau, p => p.Full + (IsMunicipality(p) ? "公路事业发展中心" : "公路管理局"), "公路", p => $"gl.{p.Code}.gov.cn"),
        new("road-bridge", Style.ProvincialEnterprise, p => $"{p.Short}路桥建设集团有限公司", "桥梁", p => $"{p.Code}lq.com.cn"),
    ];

    /// <summary>Further provincial kinds, used once the primary ones run out.</summary>
    public static readonly ProvincialKind[] Secondary =
    [
        new("transport-invest", Style.ProvincialEnterprise, p => $"{p.Short}交通投资集团有限公司", "公路", p => $"{p.Code}jt.com.cn"),
        new("expressway", Style.ProvincialEnterprise, p => $"{p.Short}高速公路集团有限公司", "公路", p => $"{p.Code}gs.com.cn"),
        new("railway-invest", Style.ProvincialEnterprise, p => $"{p.Short}铁路投资集团有限公司", "铁路", p => $"{p.Code}tl.com.cn"),
        new("design-institute", Style.ProvincialEnterprise, p => $"{p.Short}交通规划勘察设计研究院有限公司", "公路", p => $"{p.Code}jtsj.com.cn"),
    ];
}
