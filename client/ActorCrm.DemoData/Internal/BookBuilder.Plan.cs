using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

internal sealed partial class BookBuilder
{
    private static readonly string[] ConstructionSubsidiaries =
        ["电务工程有限公司", "物资工贸有限公司", "桥梁工程有限公司", "隧道工程有限公司", "城市轨道交通工程有限公司", "建筑安装工程有限公司"];

    private static readonly string[] EnterpriseSubsidiaries = ["养护工程有限公司", "机电工程有限公司", "桥梁工程有限公司", "检测有限公司"];

    /// <summary>
    /// Plans the hierarchy: ~5% group headquarters, ~25% bureau/province accounts, the rest local
    /// units (mostly under a bureau or province, some independent). Parents come before children.
    /// </summary>
    private List<Node> Plan(int n)
    {
        var nodes = new List<Node>(n);
        if (n == 0) return nodes;
        int hqCount, tier2Count;
        if (n < 3)
        {
            hqCount = 1;
            tier2Count = n - 1;
        }
        else
        {
            hqCount = Math.Max(1, (n + 10) / 20);
            tier2Count = Math.Max(1, (n + 2) / 4);
        }
        var localCount = n - hqCount - tier2Count;

        // Tier 1: the well-known groups first, then generated ones.
        var known = Families.Known();
        var offset = _rng.Next(10_000);
        var suffixOffset = _rng.Next(Catalog.GroupSuffixes.Length);
        var hqs = new List<Node>(hqCount);
        for (var k = 0; k < hqCount; k++)
        {
            var family = k < known.Length
                ? known[k]
                : Families.Generated(k - known.Length, offset, suffixOffset, _rng.Pick(Families.GeneratedIndustries));
            var province = k < known.Length || _rng.Chance(80)
                ? Catalog.ProvinceByCode("bj")
                : _rng.Pick(Catalog.Provinces);
            var hq = new Node
            {
                Id = $"{family.Id}-hq",
                Name = family.Name,
                Tier = StrategicTier.NationalHq,
                Style = Style.GroupHq,
                Province = province,
                City = province.Cities[0],
                Industry = family.Industry,
                Domain = family.Domain,
                ShortName = family.ShortName,
                Family = family,
            };
            _names.Add(hq.Name);
            hqs.Add(hq);
        }
        nodes.AddRange(hqs);

        // Tier 2: bureaus under a group, or provincial units on their own.
        var provincial = ProvincialOrder();
        var provincialUsed = 0;
        var tier2 = new List<Node>(tier2Count);
        for (var i = 0; i < tier2Count; i++)
        {
            var useProvince = provincialUsed < provincial.Count && (i == 1 || (i != 0 && _rng.Chance(50)));
            Node? node = null;
            if (!useProvince) node = NextBureau(hqs);
            if (node is null)
            {
                var (p, kind) = provincial[provincialUsed++];
                node = new Node
                {
                    Id = $"{p.Code}-{kind.IdSuffix}",
                    Name = kind.Name(p),
                    Tier = StrategicTier.BureauOrProvince,
                    Style = kind.Style,
                    Province = p,
                    City = p.Cities[0],
                    Industry = kind.Industry,
                    Domain = kind.Domain(p),
                    ShortName = Text.StripCompanySuffix(kind.Name(p)),
                };
            }
            _names.Add(node.Name);
            tier2.Add(node);
        }
        nodes.AddRange(tier2);

        // Tier 3: units under a bureau or province, and independent other customers.
        var consumers = 0;
        for (var i = 0; i < localCount; i++)
        {
            var seq = nodes.Count + 1;
            var independent = tier2.Count == 0 || _rng.Chance(15);
            var lastChanceForConsumer = n >= 20 && consumers == 0 && i == localCount - 1;
            Node node;
            if (lastChanceForConsumer || (independent && _rng.Chance(12)))
            {
                node = Consumer(seq);
                consumers++;
            }
            else if (independent)
            {
                node = Independent(seq);
            }
            else
            {
                node = LocalUnder(_rng.Pick(tier2), seq);
            }
            _names.Add(node.Name);
            nodes.Add(node);
        }
        return nodes;
    }

    /// <summary>Province/kind pairs: the brief's examples first, then the primary kinds, then the rest; shuffled by the seed.</summary>
    private List<(Province Province, ProvincialKind Kind)> ProvincialOrder()
    {
        var sc = Catalog.ProvinceByCode("sc");
        var gd = Catalog.ProvinceByCode("gd");
        var first = new List<(Province, ProvincialKind)>
        {
            (sc, Families.Primary[0]), (gd, Families.Primary[1]), (sc, Families.Primary[2]),
        };
        var primary = new List<(Province, ProvincialKind)>();
        var secondary = new List<(Province, ProvincialKind)>();
        foreach (var p in Catalog.Provinces)
        {
            foreach (var kind in Families.Primary)
                if (!first.Contains((p, kind))) primary.Add((p, kind));
            foreach (var kind in Families.Secondary) secondary.Add((p, kind));
        }
        _rng.Shuffle(primary);
        _rng.Shuffle(secondary);
        first.AddRange(primary);
        first.AddRange(secondary);
        return first;
    }

    /// <summary>The next bureau of a random group (another group when that one has no more).</summary>
    private Node? NextBureau(List<Node> hqs)
    {
        var start = _rng.Next(hqs.Count);
        for (var t = 0; t < hqs.Count; t++)
        {
            var hq = hqs[(start + t) % hqs.Count];
            var family = hq.Family!;
            if (family.NextBureau() is not { } bureau) continue;
            var province = bureau.ProvinceCode is { } code ? Catalog.ProvinceByCode(code) : _rng.Pick(Catalog.Provinces);
            var shortName = family.BureauStyle == Style.RailwayBureau
                ? bureau.Name.Replace("集团有限公司", "", StringComparison.Ordinal) // "云衢铁路成都局"
                : Text.StripCompanySuffix(bureau.Name);
            return new Node
            {
                Id = bureau.Id,
                Name = bureau.Name,
                Tier = StrategicTier.BureauOrProvince,
                Style = family.BureauStyle,
                Parent = hq,
                Province = province,
                City = _rng.Pick(province.Cities),
                Industry = family.Industry,
                Domain = family.Domain,
                ShortName = shortName,
            };
        }
        return null;
    }

    private Node LocalUnder(Node parent, int seq)
    {
        var p = parent.Province;
        var city = _rng.Pick(p.Cities);
        var id = $"acct-{seq:D6}";
        Node Make(string name, Style style, string industry, string project = "") => new()
        {
            Id = id,
            Name = name,
            Tier = StrategicTier.LocalOrOther,
            Style = style,
            Parent = parent,
            Province = p,
            City = city,
            Industry = industry,
            Domain = parent.Domain,
            ShortName = Text.StripCompanySuffix(name),
            Project = project,
        };

        // Up to a few random, realistic names; a numbered one when asked for or when they are all taken.
        var numbered = false;
        for (var attempt = 0; attempt < 4 && !numbered; attempt++)
        {
            var roll = _rng.Next(100);
            switch (parent.Style)
            {
                case Style.ConstructionBureau:
                    if (roll < 45)
                    {
                        var (project, industry) = ProjectFor(parent.Industry);
                        var name = $"{parent.ShortName}{project}项目经理部";
                        if (!_names.Contains(name)) return Make(name, Style.ProjectDept, industry, project);
                    }
                    else if (roll >= 80)
                    {
                        var name = parent.ShortName + _rng.Pick(ConstructionSubsidiaries);
                        if (!_names.Contains(name)) return Make(name, Style.Company, parent.Industry);
                    }
                    else numbered = true;
                    break;
                case Style.RailwayBureau:
                {
                    var name = $"{parent.ShortName}{Text.CityBase(city)}{_rng.Pick(Catalog.RailwayDepots)}";
                    if (!_names.Contains(name)) return Make(name, Style.RailwayDepot, "铁路");
                    break;
                }
                case Style.TransportDept: // branches of the (invented) provincial body, not real city authorities
                {
                    var name = roll < 70 ? $"{parent.ShortName}{Text.CityBase(city)}分中心" : $"{parent.ShortName}{Text.CityBase(city)}工程质量监督站";
                    if (!_names.Contains(name)) return Make(name, Style.CityAuthority, "公路");
                    break;
                }
                case Style.HighwayBureau:
                {
                    var name = roll < 60 ? $"{parent.ShortName}{Text.CityBase(city)}分局" : $"{parent.ShortName}{Text.CityBase(city)}养护中心";
                    if (!_names.Contains(name)) return Make(name, Style.CityAuthority, "公路");
                    break;
                }
                default: // provincial enterprises
                    if (roll < 50)
                    {
                        var (project, industry) = ProjectFor(parent.Industry);
                        var name = $"{parent.ShortName}{project}项目部";
                        if (!_names.Contains(name)) return Make(name, Style.ProjectDept, industry, project);
                    }
                    else if (roll >= 80)
                    {
                        var name = parent.ShortName + _rng.Pick(EnterpriseSubsidiaries);
                        if (!_names.Contains(name)) return Make(name, Style.Company, parent.Industry);
                    }
                    else numbered = true;
                    break;
            }
        }

        while (true)
        {
            var k = ++parent.NumberedChildren;
            var (name, style) = parent.Style switch
            {
                Style.ConstructionBureau => ($"{parent.ShortName}第{Text.Cn(k)}工程有限公司", Style.Company),
                Style.RailwayBureau => ($"{parent.ShortName}第{Text.Cn(k)}建设指挥部", Style.ProjectDept),
                Style.TransportDept or Style.HighwayBureau => ($"{parent.ShortName}第{Text.Cn(k)}公路养护中心", Style.CityAuthority),
                _ => ($"{parent.ShortName}第{Text.Cn(k)}工程分公司", Style.Company),
            };
            if (_names.Contains(name)) continue;
            return Make(name, style, parent.Industry);
        }
    }

    /// <summary>A project (a line or a road) fitting an industry, and the project's own industry.</summary>
    private (string Project, string Industry) ProjectFor(string industry)
    {
        if (IsRail(industry) || (industry is not ("公路" or "桥梁") && _rng.Chance(40)))
            return (_rng.Pick(Catalog.RailwayLines), "铁路");
        var road = _rng.Pick(Catalog.Highways);
        return (road, road.EndsWith("大桥", StringComparison.Ordinal) || road.EndsWith("通道", StringComparison.Ordinal) ? "桥梁" : "公路");
    }

    private static bool IsRail(string industry) => industry is "铁路" or "轨道交通";

    private Node Independent(int seq)
    {
        var p = _rng.Pick(Catalog.Provinces);
        var city = _rng.Pick(p.Cities);
        var core = _rng.Pick(Catalog.CompanyCores);
        var (business, industry) = _rng.Pick(Catalog.CompanyBusinesses);
        var name = $"{Text.CityBase(city)}{core.Han}{business}有限公司";
        for (var attempt = 0; attempt < 6 && _names.Contains(name); attempt++)
        {
            core = _rng.Pick(Catalog.CompanyCores);
            name = $"{Text.CityBase(city)}{core.Han}{business}有限公司";
        }
        return new Node
        {
            Id = $"acct-{seq:D6}",
            Name = name, // may repeat an earlier name in very large books; names need not be unique
            Tier = StrategicTier.LocalOrOther,
            Style = Style.Independent,
            Province = p,
            City = city,
            Industry = industry,
            Domain = $"{core.Pinyin}-{p.Code}.example",
            ShortName = Text.StripCompanySuffix(name),
        };
    }

    private Node Consumer(int seq)
    {
        var p = _rng.Pick(Catalog.Provinces);
        var (person, _) = PersonName();
        return new Node
        {
            Id = $"acct-{seq:D6}",
            Name = $"{person}（个人客户）",
            Tier = StrategicTier.LocalOrOther,
            Style = Style.Consumer,
            Province = p,
            City = _rng.Pick(p.Cities),
            Industry = ConsumerIndustry,
            Domain = "",
            ShortName = person,
            Kind = AccountKind.Consumer,
        };
    }
}
