using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>An account being generated and what its contacts, deals and activities draw on.</summary>
internal sealed class AccountContext
{
    public required Node Node { get; init; }
    public required Account Account { get; init; }
    public required OrgTemplate Org { get; init; }
    /// <summary>The departments (besides the leadership) the account has, in template order.</summary>
    public required List<UnitTemplate> Units { get; init; }
    public required List<string> Team { get; init; }
    public required List<CompetitorCompany> Competitors { get; init; }
}

internal sealed partial class BookBuilder
{
    private static readonly TeamRole[] ExtraRoles =
        [TeamRole.Sales, TeamRole.SolutionEngineer, TeamRole.Service, TeamRole.ExecutiveSponsor, TeamRole.Other];

    private AccountContext BuildAccount(Node node)
    {
        var account = new Account
        {
            AccountId = node.Id,
            DisplayName = node.Name,
            Kind = node.Kind,
            Tier = node.Tier,
            ParentAccountId = node.Parent?.Id ?? "",
            Industry = node.Industry,
            Region = node.Province.Full,
        };

        var team = BuildTeam(node, account);
        var org = Orgs.For(node.Style);
        var units = PickUnits(node, org);
        account.OrganisationProfile = BuildOrganisationProfile(node, org, units);
        var competitors = PickCompetitors(node);
        foreach (var c in competitors) account.Competitors.Add(CompetitorIntel(c));
        BuildInstalledBase(node, account, competitors);

        return new AccountContext { Node = node, Account = account, Org = org, Units = units, Team = team, Competitors = competitors };
    }

    private List<string> BuildTeam(Node node, Account account)
    {
        var extra = node.Style switch
        {
            Style.Consumer => 0,
            _ when node.Tier == StrategicTier.NationalHq => _rng.Between(3, 4),
            _ when node.Tier == StrategicTier.BureauOrProvince => _rng.Between(1, 3),
            _ => _rng.Between(0, 1),
        };
        var picked = _rng.Sample(_sellers.Length, 1 + extra);
        var team = new List<string>(picked.Length);
        account.Owner = _sellers[picked[0]];
        account.AccountTeam.Add(new TeamMember { UserId = account.Owner, Role = TeamRole.AccountManager });
        team.Add(account.Owner);
        for (var i = 1; i < picked.Length; i++)
        {
            // Group HQs get the classic team (sales, solution engineer, service, executive sponsor);
            // others a sales or solution engineer first, then service or another role.
            var role = node.Tier == StrategicTier.NationalHq ? ExtraRoles[i - 1]
                : i == 1 ? ExtraRoles[_rng.Next(2)]
                : _rng.Chance(70) ? TeamRole.Service : TeamRole.Other;
            account.AccountTeam.Add(new TeamMember { UserId = _sellers[picked[i]], Role = role });
            team.Add(_sellers[picked[i]]);
        }
        return team;
    }

    /// <summary>Picks departments: always a purchasing and a using one, then others; kept in template order.</summary>
    private List<UnitTemplate> PickUnits(Node node, OrgTemplate org)
    {
        var (min, max) = Orgs.UnitCount(node.Style);
        var count = Math.Min(org.Units.Length, _rng.Between(min, max));
        if (count == 0) return [];
        var chosen = new bool[org.Units.Length];
        var purchasing = IndicesOf(org, OrgUnitFunction.Purchasing);
        var usingUnits = IndicesOf(org, OrgUnitFunction.Using);
        chosen[_rng.Pick(purchasing)] = true;
        chosen[_rng.Pick(usingUnits)] = true;
        var have = 2;
        foreach (var i in _rng.Sample(org.Units.Length, org.Units.Length))
        {
            if (have >= count) break;
            if (chosen[i]) continue;
            chosen[i] = true;
            have++;
        }
        var units = new List<UnitTemplate>(have);
        for (var i = 0; i < chosen.Length; i++)
            if (chosen[i]) units.Add(org.Units[i]);
        return units;
    }

    private static List<int> IndicesOf(OrgTemplate org, OrgUnitFunction function)
    {
        var result = new List<int>();
        for (var i = 0; i < org.Units.Length; i++)
            if (org.Units[i].Function == function) result.Add(i);
        return result;
    }

    private OrganisationProfile BuildOrganisationProfile(Node node, OrgTemplate org, List<UnitTemplate> units)
    {
        var (eMin, eMax) = Orgs.Employees(node.Style);
        var (vMin, vMax) = Orgs.YearlyPurchaseYuan(node.Style);
        var yearlyYuan = _rng.Between(vMin, vMax, 10_000);
        var profile = new OrganisationProfile
        {
            EmployeeCount = eMax == 0 ? 0 : _rng.Between(eMin, eMax),
            YearlyPurchaseVolumeMinor = yearlyYuan * 100,
            BusinessSituation = BusinessSituation(node, yearlyYuan),
            IndustrySituation = Share(IndustrySituation(node.Industry)),
        };
        profile.Units.Add(new OrganisationUnit { UnitId = org.LeadId, Name = org.LeadName, Function = org.LeadFunction });
        foreach (var u in units)
            profile.Units.Add(new OrganisationUnit { UnitId = u.Id, Name = u.Name, Function = u.Function, ParentUnitId = org.LeadId });
        AddOrganisationChannels(node, profile);
        return profile;
    }

    private void AddOrganisationChannels(Node node, OrganisationProfile profile)
    {
        var p = node.Province;
        profile.Channels.Capacity = 4;
        if (node.Style == Style.Consumer)
        {
            profile.Channels.Add(new CommunicationChannel { Type = ChannelType.Mobile, Value = Mobile(), Label = "本人手机" });
            profile.Channels.Add(new CommunicationChannel { Type = ChannelType.Address, Value = Address(p, node.City), Label = "家庭住址" });
            return;
        }
        profile.Channels.Add(new CommunicationChannel { Type = ChannelType.Phone, Value = Landline(p), Label = "总机" });
        profile.Channels.Add(new CommunicationChannel { Type = ChannelType.Address, Value = Address(p, node.City), Label = "办公地址" });
        var optional = new[] { ChannelType.Website, ChannelType.Fax, ChannelType.Email, ChannelType.Wechat };
        foreach (var i in _rng.Sample(optional.Length, _rng.Between(0, 2)))
        {
            profile.Channels.Add(optional[i] switch
            {
                ChannelType.Website => new CommunicationChannel { Type = ChannelType.Website, Value = $"https://www.{node.Domain}", Label = "官方网站" },
                ChannelType.Fax => new CommunicationChannel { Type = ChannelType.Fax, Value = Landline(p), Label = "传真" },
                ChannelType.Email => new CommunicationChannel { Type = ChannelType.Email, Value = $"wuzi@{node.Domain}", Label = "物资部邮箱" },
                _ => new CommunicationChannel { Type = ChannelType.Wechat, Value = node.ShortName, Label = "微信公众号" },
            });
        }
    }

    private string BusinessSituation(Node node, long yearlyYuan)
    {
        var revenue = Text.Money(yearlyYuan * _rng.Between(4, 12));
        var projects = _rng.Between(12, 160);
        var km = _rng.Between(20, 120) * 100;
        var purchases = Text.Money(yearlyYuan);
        return node.Style switch
        {
            Style.GroupHq =>
                $"{node.Name}是大型国有基础设施建设集团，业务覆盖铁路、公路、桥梁、隧道和城市轨道交通等基础设施建设。上年度新签合同额约{Text.Money(yearlyYuan * _rng.Between(20, 60))}，在建重点项目{projects * 5}个。物资实行集团集中采购，二级单位按框架协议执行，年采购本类产品约{purchases}。",
            Style.ConstructionBureau =>
                $"{node.Name}是{node.Parent?.ShortName ?? "集团"}旗下骨干工程局，主要承担{(IsRail(node.Industry) ? "铁路和城市轨道交通" : "公路、桥梁和市政")}工程施工，在建项目{projects}个，年营业收入约{revenue}。物资采购实行公司集采与项目部自采相结合，年采购本类产品约{purchases}。",
            Style.RailwayBureau =>
                $"{node.Name}管辖营业里程约{km}公里，其中高铁约{km / 3}公里，负责管内运输组织和设备维护。电务、工务设备大修和更新改造由局集团公司统一招标，年采购本类产品约{purchases}。",
            Style.TransportDept or Style.HighwayBureau =>
                $"{node.Name}负责{node.Province.Full}公路建设、养护和路网运行管理，管养公路约{km * 3}公里，其中高速公路约{km / 2}公里。每年安排养护和改造资金约{Text.Money(yearlyYuan * _rng.Between(3, 8))}。",
            Style.ProvincialEnterprise =>
                $"{node.Name}是{node.Province.Full}属重点国有企业，主营交通基础设施投资、建设和运营，在建项目{projects}个，年营业收入约{revenue}。",
            Style.ProjectDept =>
                $"{node.Name}负责{node.Project}相关标段施工，合同额约{Text.Money(yearlyYuan * _rng.Between(5, 20))}，工期{_rng.Between(18, 48)}个月，目前处于{_rng.Pick(ProjectPhases)}阶段。",
            Style.RailwayDepot =>
                $"{node.Name}负责管内约{km / 10}公里线路的设备维护，部分设备已运行超过十年，老化问题突出，计划分批更新。",
            Style.CityAuthority =>
                $"{node.Name}负责辖区内国省干线公路养护和农村公路建设管理，管养里程约{km / 2}公里，年养护投入约{purchases}。",
            Style.Consumer =>
                $"个人客户，{Text.CityBase(node.City)}自建住宅，通过老客户介绍购买少量监控和照明设备。",
            _ =>
                $"{node.Name}主要从事{node.Industry}相关工程和设备业务，年营业收入约{revenue}，客户以地方政府平台公司和施工总承包单位为主。",
        };
    }

    internal const string ConsumerIndustry = "个人消费";

    private static readonly string[] ProjectPhases = ["进场准备", "主体施工", "站后工程", "联调联试", "收尾验收"];

    private string IndustrySituation(string industry)
    {
        if (industry == ConsumerIndustry) return "家庭安防和智能照明产品价格持续下降，个人用户需求稳步增长。";
        var pool = IsRail(industry) ? Catalog.IndustryRail
            : industry is "公路" or "桥梁" ? Catalog.IndustryRoad
            : Catalog.IndustryOther;
        var picked = _rng.Sample(pool.Length, 2);
        return pool[picked[0]] + pool[picked[1]];
    }

    /// <summary>2–3 competitors for bigger accounts (and some local ones).</summary>
    private List<CompetitorCompany> PickCompetitors(Node node)
    {
        var count = node.Style switch
        {
            Style.Consumer => 0,
            _ when node.Tier != StrategicTier.LocalOrOther => _rng.Between(2, 3),
            _ => _rng.Chance(30) ? 2 : 0,
        };
        var pool = CompetitorPool(node.Industry);
        var result = new List<CompetitorCompany>(count);
        foreach (var i in _rng.Sample(pool.Length, count)) result.Add(pool[i]);
        return result;
    }

    private static readonly CompetitorCompany[] RailCompetitors = Array.FindAll(Catalog.Competitors, c => c.Rail);
    private static readonly CompetitorCompany[] RoadCompetitors = Array.FindAll(Catalog.Competitors, c => c.Road);

    private static CompetitorCompany[] CompetitorPool(string industry) => IsRail(industry) ? RailCompetitors : RoadCompetitors;

    private CompetitorIntel CompetitorIntel(CompetitorCompany c)
    {
        var intel = new CompetitorIntel
        {
            Competitor = c.Name,
            CustomerSatisfaction = _rng.Between(1, 5),
            SalesRepName = PersonName().Name,
            SalesRepSellingStyle = _rng.Pick(Catalog.SellingStyles),
            SalesRepRelationship = _rng.Pick(Catalog.RepRelationships),
            Background = Share($"{c.Name}成立于{c.Founded}年，总部位于{c.City}，{c.Profile}。"),
        };
        foreach (var i in _rng.Sample(c.Products.Length, _rng.Between(1, c.Products.Length))) intel.ProductsInUse.Add(c.Products[i]);
        return intel;
    }

    private void BuildInstalledBase(Node node, Account account, List<CompetitorCompany> competitors)
    {
        var count = node.Style switch
        {
            Style.Consumer => 0,
            _ when node.Tier != StrategicTier.LocalOrOther => _rng.Between(2, 5),
            _ => _rng.Between(0, 3),
        };
        var ours = IsRail(node.Industry) ? Catalog.OurRailProducts : Catalog.OurRoadProducts;
        var scale = node.Tier switch
        {
            StrategicTier.NationalHq => 2_000,
            StrategicTier.BureauOrProvince => 500,
            _ => 60,
        };
        for (var i = 0; i < count; i++)
        {
            string vendor, product;
            var isOurs = _rng.Chance(40);
            if (isOurs)
            {
                vendor = Catalog.OurVendor;
                product = _rng.Pick(ours);
            }
            else
            {
                var c = competitors.Count > 0 && _rng.Chance(75) ? _rng.Pick(competitors) : _rng.Pick(CompetitorPool(node.Industry));
                vendor = c.Name;
                product = _rng.Pick(c.Products);
            }
            var since = _today.AddDays(-_rng.Between(180, 3650));
            account.InstalledBase.Add(new InstalledBaseItem
            {
                Vendor = vendor,
                IsOurs = isOurs,
                Product = product,
                Quantity = _rng.Between(1, scale),
                Since = ToDate(since),
                Satisfaction = _rng.Between(1, 5),
            });
        }
    }
}
