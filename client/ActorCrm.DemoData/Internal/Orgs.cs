using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>What kind of organisation an account is; decides its names, structure, titles and sizes.</summary>
internal enum Style
{
    GroupHq,
    ConstructionBureau,
    RailwayBureau,
    TransportDept,
    HighwayBureau,
    ProvincialEnterprise,
    ProjectDept,
    Company,
    RailwayDepot,
    CityAuthority,
    Independent,
    Consumer,
}

/// <summary>Organisation templates per style.</summary>
internal static class Orgs
{
    private const OrgUnitFunction Using = OrgUnitFunction.Using;
    private const OrgUnitFunction Purchasing = OrgUnitFunction.Purchasing;
    private const OrgUnitFunction Supporting = OrgUnitFunction.Supporting;
    private const OrgUnitFunction Management = OrgUnitFunction.Management;
    private const OrgUnitFunction Other = OrgUnitFunction.Other;

    private static readonly UnitTemplate[] CorporateUnits =
    [
        new("wuzi", "物资部", Purchasing, "物资部部长", ["物资部副部长", "采购经理", "物资管理员", "采购专员"]),
        new("zhaobiao", "招标采购中心", Purchasing, "招标采购中心主任", ["招标专员", "合同管理员"]),
        new("gongcheng", "工程管理部", Using, "工程管理部部长", ["工程管理部副部长", "高级工程师", "工程师"]),
        new("shebei", "设备管理部", Using, "设备管理部部长", ["设备工程师", "设备管理员"]),
        new("keji", "科技部", Using, "科技部部长", ["技术主管", "高级工程师"]),
        new("caiwu", "财务部", Supporting, "财务部部长", ["财务主管", "会计"]),
        new("xinxi", "信息化管理部", Supporting, "信息化管理部主任", ["信息化工程师"]),
        new("anzhi", "安全质量部", Supporting, "安全质量部部长", ["质量工程师", "安全工程师"]),
        new("fawu", "法律合规部", Supporting, "法律合规部部长", ["法务专员"]),
        new("shichang", "市场开发部", Other, "市场开发部部长", ["市场经理"]),
    ];

    private static readonly UnitTemplate[] GovernmentUnits =
    [
        new("jianshe", "建设管理处", Using, "建设管理处处长", ["建设管理处副处长", "主任科员", "工程师"]),
        new("yanghu", "公路养护处", Using, "公路养护处处长", ["养护工程师", "主任科员"]),
        new("guihua", "规划处", Management, "规划处处长", ["规划处副处长", "主任科员"]),
        new("caigou", "采购管理办公室", Purchasing, "采购管理办公室主任", ["采购专员"]),
        new("caiwu", "财务审计处", Supporting, "财务审计处处长", ["会计"]),
        new("keji", "科技信息处", Supporting, "科技信息处处长", ["信息化工程师"]),
        new("anjian", "安全监督处", Supporting, "安全监督处处长", ["安全工程师"]),
    ];

    private static readonly OrgTemplate Corporate = new(
        "lingdao", "公司领导班子", Management, ["董事长", "总经理", "副总经理", "总工程师", "总经济师"], CorporateUnits);

    private static readonly OrgTemplate Railway = new(
        "lingdao", "局集团公司领导", Management, ["董事长", "总经理", "副总经理", "总工程师"],
        [
            new("dianwu", "电务部", Using, "电务部主任", ["电务部副主任", "高级工程师", "工程师"]),
            new("gongwu", "工务部", Using, "工务部主任", ["工务部副主任", "工程师"]),
            new("gongdian", "供电部", Using, "供电部主任", ["工程师"]),
            new("wuzi", "物资部", Purchasing, "物资部主任", ["物资部副主任", "采购主管"]),
            new("jianshe", "建设部", Management, "建设部主任", ["建设部副主任", "工程师"]),
            new("caiwu", "财务部", Supporting, "财务部主任", ["会计"]),
            new("keji", "科技和信息化部", Supporting, "科技和信息化部主任", ["工程师"]),
        ]);

    private static readonly OrgTemplate Department = new(
        "lingdao", "中心领导", Management, ["主任", "副主任", "总工程师"], GovernmentUnits);

    private static readonly OrgTemplate Bureau = new(
        "lingdao", "局领导", Management, ["局长", "副局长", "总工程师"], GovernmentUnits);

    private static readonly OrgTemplate Project = new(
        "lingdao", "项目经理部领导班子", Management, ["项目经理", "项目书记", "项目总工程师", "项目副经理"],
        [
            new("wuzi", "物资设备部", Purchasing, "物资设备部部长", ["物资管理员", "设备管理员"]),
            new("hetong", "计划合同部", Purchasing, "计划合同部部长", ["合同管理员"]),
            new("gongcheng", "工程部", Using, "工程部部长", ["技术员", "工程师", "测量工程师"]),
            new("gongqu", "一工区", Using, "一工区主任", ["工区技术员", "设备管理员"]),
            new("anzhi", "安全质量部", Supporting, "安全质量部部长", ["安全员", "质检员"]),
            new("caiwu", "财务部", Supporting, "财务部部长", ["会计"]),
        ]);

    private static readonly OrgTemplate Depot = new(
        "lingdao", "段领导", Management, ["段长", "党委书记", "副段长", "总工程师"],
        [
            new("jishu", "技术科", Using, "技术科科长", ["技术员", "工程师"]),
            new("cailiao", "材料科", Purchasing, "材料科科长", ["材料员"]),
            new("chejian", "检修车间", Using, "检修车间主任", ["工长", "信号工", "设备管理员"]),
            new("anquan", "安全科", Supporting, "安全科科长", ["安全员"]),
            new("caiwu", "财务科", Supporting, "财务科科长", ["会计"]),
        ]);

    private static readonly OrgTemplate Household = new("jiating", "家庭", Using, ["户主"], []);

    public static OrgTemplate For(Style style) => style switch
    {
        Style.RailwayBureau => Railway,
        Style.TransportDept => Department,
        Style.HighwayBureau or Style.CityAuthority => Bureau,
        Style.ProjectDept => Project,
        Style.RailwayDepot => Depot,
        Style.Consumer => Household,
        _ => Corporate,
    };

    /// <summary>Number of departments (besides the leadership) an account of this style shows.</summary>
    public static (int Min, int Max) UnitCount(Style style) => style switch
    {
        Style.GroupHq => (8, 10),
        Style.ConstructionBureau or Style.RailwayBureau or Style.TransportDept or Style.HighwayBureau or Style.ProvincialEnterprise => (5, 7),
        Style.Consumer => (0, 0),
        _ => (2, 4),
    };

    /// <summary>Contacts per account (the brief: 2–8, more for HQ and bureau/province).</summary>
    public static (int Min, int Max) ContactCount(Style style, StrategicTier tier) => style switch
    {
        Style.Consumer => (2, 2),
        _ when tier == StrategicTier.NationalHq => (6, 8),
        _ when tier == StrategicTier.BureauOrProvince => (4, 8),
        _ => (2, 5),
    };

    /// <summary>Employees (min, max).</summary>
    public static (int Min, int Max) Employees(Style style) => style switch
    {
        Style.GroupHq => (50_000, 380_000),
        Style.ConstructionBureau => (8_000, 35_000),
        Style.RailwayBureau => (30_000, 120_000),
        Style.TransportDept => (800, 8_000),
        Style.HighwayBureau => (2_000, 20_000),
        Style.ProvincialEnterprise => (3_000, 30_000),
        Style.ProjectDept => (80, 600),
        Style.Company => (300, 5_000),
        Style.RailwayDepot => (500, 3_000),
        Style.CityAuthority => (100, 1_500),
        Style.Independent => (20, 800),
        _ => (0, 0),
    };

    /// <summary>Yearly purchases of our product class in yuan (min, max).</summary>
    public static (long Min, long Max) YearlyPurchaseYuan(Style style) => style switch
    {
        Style.GroupHq => (2_000_000_000, 20_000_000_000),
        Style.ConstructionBureau => (100_000_000, 2_000_000_000),
        Style.RailwayBureau => (200_000_000, 3_000_000_000),
        Style.TransportDept => (50_000_000, 1_000_000_000),
        Style.HighwayBureau => (50_000_000, 500_000_000),
        Style.ProvincialEnterprise => (100_000_000, 1_000_000_000),
        Style.ProjectDept => (5_000_000, 100_000_000),
        Style.Company => (10_000_000, 200_000_000),
        Style.RailwayDepot => (5_000_000, 80_000_000),
        Style.CityAuthority => (5_000_000, 100_000_000),
        Style.Independent => (500_000, 50_000_000),
        _ => (10_000, 200_000),
    };

    /// <summary>Deal sizes in yuan (min, max).</summary>
    public static (long Min, long Max) DealYuan(Style style, StrategicTier tier) => style switch
    {
        Style.Consumer => (10_000, 100_000),
        _ when tier == StrategicTier.NationalHq => (50_000_000, 500_000_000),
        _ when tier == StrategicTier.BureauOrProvince => (5_000_000, 100_000_000),
        _ => (200_000, 20_000_000),
    };

    public static bool IsGovernment(Style style) =>
        style is Style.TransportDept or Style.HighwayBureau or Style.CityAuthority;
}
