using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>
/// A province-level region: its id code, names, phone area code, a few prefecture-level cities or districts,
/// and the invented brand word its fictional provincial accounts are named after ("四川省澄岷公路管理局").
/// </summary>
internal sealed record Province(string Code, string Full, string Short, string AreaCode, string[] Cities, Syllable Brand);

/// <summary>A customer organisation unit template and the titles of the people in it.</summary>
internal sealed record UnitTemplate(string Id, string Name, OrgUnitFunction Function, string Head, string[] Staff);

/// <summary>How an organisation of one kind is structured: its leadership and its departments.</summary>
internal sealed record OrgTemplate(string LeadId, string LeadName, OrgUnitFunction LeadFunction, string[] ExecTitles, UnitTemplate[] Units);

/// <summary>A competitor of ours and what it sells.</summary>
internal sealed record CompetitorCompany(string Name, string City, int Founded, bool Rail, bool Road, string[] Products, string Profile);

/// <summary>A pair of a Chinese character (or word) and its pinyin, for names that need an ASCII form.</summary>
internal readonly record struct Syllable(string Han, string Pinyin);

/// <summary>Static Chinese reference data. Everything is plain arrays: iteration order is fixed.</summary>
internal static class Catalog
{
    public static readonly Province[] Provinces =
    [
        new("bj", "北京市", "北京", "010", ["海淀区", "朝阳区", "丰台区"], new("辰曦", "chenxi")),
        new("tj", "天津市", "天津", "022", ["滨海新区", "南开区", "河西区"], new("泊澄", "bocheng")),
        new("he", "河北省", "河北", "0311", ["石家庄市", "保定市", "唐山市"], new("岫原", "xiuyuan")),
        new("sx", "山西省", "山西", "0351", ["太原市", "大同市", "长治市"], new("峦启", "luanqi")),
        new("nm", "内蒙古自治区", "内蒙古", "0471", ["呼和浩特市", "包头市", "鄂尔多斯市"], new("弘漠", "hongmo")),
        new("ln", "辽宁省", "辽宁", "024", ["沈阳市", "大连市", "鞍山市"], new("沧屿", "cangyu")),
        new("jl", "吉林省", "吉林", "0431", ["长春市", "吉林市", "延边朝鲜族自治州"], new("杉岭", "shanling")),
        new("hl", "黑龙江省", "黑龙江", "0451", ["哈尔滨市", "齐齐哈尔市", "牡丹江市"], new("霜川", "shuangchuan")),
        new("sh", "上海市", "上海", "021", ["浦东新区", "闵行区", "嘉定区"], new("澹汐", "danxi")),
        new("js", "江苏省", "江苏", "025", ["南京市", "苏州市", "徐州市"], new("霖溪", "linxi")),
        new("zj", "浙江省", "浙江", "0571", ["杭州市", "宁波市", "温州市"], new("曦越", "xiyue")),
        new("ah", "安徽省", "安徽", "0551", ["合肥市", "芜湖市", "安庆市"], new("珺澜", "junlan")),
        new("fj", "福建省", "福建", "0591", ["福州市", "厦门市", "泉州市"], new("溟屿", "mingyu")),
        new("jx", "江西省", "江西", "0791", ["南昌市", "赣州市", "九江市"], new("绮川", "qichuan")),
        new("sd", "山东省", "山东", "0531", ["济南市", "青岛市", "潍坊市"], new("澍岭", "shuling")),
        new("ha", "河南省", "河南", "0371", ["郑州市", "洛阳市", "南阳市"], new("崇棠", "chongtang")),
        new("hb", "湖北省", "湖北", "027", ["武汉市", "宜昌市", "襄阳市"], new("芷汀", "zhiting")),
        new("hn", "湖南省", "湖南", "0731", ["长沙市", "株洲市", "怀化市"], new("蘅溪", "hengxi")),
        new("gd", "广东省", "广东", "020", ["广州市", "深圳市", "湛江市"], new("昊澎", "haopeng")),
        new("gx", "广西壮族自治区", "广西", "0771", ["南宁市", "柳州市", "桂林市"], new("青漪", "qingyi")),
        new("hi", "海南省", "海南", "0898", ["海口市", "三亚市", "儋州市"], new("汐屿", "xiyu")),
        new("cq", "重庆市", "重庆", "023", ["渝北区", "万州区", "涪陵区"], new("峙川", "zhichuan")),
        new("sc", "四川省", "四川", "028", ["成都市", "绵阳市", "宜宾市"], new("澄岷", "chengmin")),
        new("gz", "贵州省", "贵州", "0851", ["贵阳市", "遵义市", "六盘水市"], new("黛岭", "dailing")),
        new("yn", "云南省", "云南", "0871", ["昆明市", "曲靖市", "大理白族自治州"], new("瑶岑", "yaocen")),
        new("xz", "西藏自治区", "西藏", "0891", ["拉萨市", "林芝市", "日喀则市"], new("雪岑", "xuecen")),
        new("sn", "陕西省", "陕西", "029", ["西安市", "宝鸡市", "榆林市"], new("曜原", "yaoyuan")),
        new("gs", "甘肃省", "甘肃", "0931", ["兰州市", "天水市", "酒泉市"], new("驰原", "chiyuan")),
        new("qh", "青海省", "青海", "0971", ["西宁市", "海东市", "格尔木市"], new("昱川", "yuchuan")),
        new("nx", "宁夏回族自治区", "宁夏", "0951", ["银川市", "石嘴山市", "吴忠市"], new("宸岭", "chenling")),
        new("xj", "新疆维吾尔自治区", "新疆", "0991", ["乌鲁木齐市", "哈密市", "喀什地区"], new("阔原", "kuoyuan")),
    ];

    public static Province ProvinceByCode(string code)
    {
        foreach (var p in Provinces)
            if (p.Code == code) return p;
        throw new ArgumentException($"unknown province code {code}", nameof(code));
    }

    /// <summary>The regional bureaus of the (fictional) railway operating group: (id suffix, name part, province code).</summary>
    public static readonly (string Id, string Name, string Province)[] RailwayBureaus =
    [
        ("chengdu", "成都", "sc"), ("beijing", "北京", "bj"), ("shanghai", "上海", "sh"), ("guangzhou", "广州", "gd"),
        ("wuhan", "武汉", "hb"), ("zhengzhou", "郑州", "ha"), ("xian", "西安", "sn"), ("jinan", "济南", "sd"),
        ("nanchang", "南昌", "jx"), ("nanning", "南宁", "gx"), ("kunming", "昆明", "yn"), ("lanzhou", "兰州", "gs"),
        ("taiyuan", "太原", "sx"), ("shenyang", "沈阳", "ln"), ("harbin", "哈尔滨", "hl"), ("hohhot", "呼和浩特", "nm"),
        ("urumqi", "乌鲁木齐", "xj"), ("qingzang", "青藏", "qh"),
    ];

    public static readonly string[] RailwayDepots = ["电务段", "工务段", "通信段", "供电段", "工电段", "高铁基础设施段"];

    public static readonly string[] RailwayLines =
    [
        "成渝高铁", "京沪高铁", "川藏铁路雅林段", "沪渝蓉高铁", "西成高铁", "渝昆高铁", "广湛高铁", "杭温铁路",
        "郑济高铁", "京港高铁", "沪苏湖铁路", "成达万高铁", "西十高铁", "兰张三四线", "包银高铁", "南珠城际",
        "贵南高铁", "汉巴南铁路", "湖杭铁路", "宁淮城际", "成自宜高铁", "西渝高铁", "沈白高铁", "集大原高铁",
    ];

    public static readonly string[] Highways =
    [
        "G318国道", "京雄高速", "成乐高速扩容", "深中通道", "沈海高速", "兰海高速", "连霍高速", "沪昆高速",
        "京港澳高速", "杭绍甬高速", "绵九高速", "渝湘高速复线", "G4216线", "常泰长江大桥", "黄茅海跨海通道",
        "燕矶长江大桥", "乐西高速", "久马高速", "宜攀高速", "京哈高速改扩建",
    ];

    public static readonly string[] RailwaySystems =
    [
        "信号系统", "通信系统", "轨道扣件", "道岔", "接触网零部件", "轨道检测设备", "隧道监控系统",
        "综合视频监控系统", "防灾安全监控系统", "电务设备",
    ];

    public static readonly string[] RoadSystems =
    [
        "机电系统", "桥梁支座", "伸缩缝", "波形护栏", "隧道照明系统", "收费系统", "交通安全设施",
        "桥梁健康监测系统", "智慧高速平台", "声屏障",
    ];

    public static readonly string[] MunicipalSystems =
    [
        "智慧工地平台", "道路照明系统", "桥梁健康监测系统", "交通信号控制系统", "综合管廊监控系统", "隧道监控系统",
    ];

    public static readonly string[] ProjectActions = ["改造", "采购", "升级改造", "新建工程", "大修", "集中采购", "扩容", "更新"];

    public static readonly string[] OurRailProducts =
    [
        "HG-3000型轨道电路", "智能道岔监测系统", "WJ-8型扣件系统", "接触网零部件", "轨道几何检测小车",
        "隧道综合监控平台", "铁路防灾安全监控系统",
    ];

    public static readonly string[] OurRoadProducts =
    [
        "HG-QZ型桥梁支座", "HG-F160型伸缩缝", "桥梁健康监测系统", "隧道照明节能控制系统", "高速公路机电监控系统",
        "智慧工地管理平台", "波形梁护栏",
    ];

    public const string OurVendor = "本公司";

    public static readonly CompetitorCompany[] Competitors =
    [
        new("砺川轨道装备股份有限公司", "株洲", 1998, true, false, ["LC-2000型轨道电路", "弹条扣件", "道岔转辙设备"], "轨道交通装备民营上市公司，扣件和转辙设备市场占有率居前"),
        new("昭衡信科交通技术有限公司", "北京", 2003, true, false, ["CTC调度集中系统", "铁路综合视频监控", "GSM-R终端"], "由科研院所改制而来，铁路通信信号资质齐全，与设计院关系深厚"),
        new("逸帆智能交通科技有限公司", "杭州", 2010, false, true, ["智慧高速云平台", "隧道监控系统", "ETC门架系统"], "互联网背景的交通科技公司，软件能力强，报价灵活"),
        new("北岑路桥机械有限公司", "石家庄", 1992, false, true, ["盆式橡胶支座", "模数式伸缩缝", "桥梁减隔震支座"], "老牌桥梁构件厂，产能大，价格低，质量口碑中等"),
        new("澈峰铁路装备集团有限公司", "成都", 2001, true, false, ["接触网零部件", "轨道检测车", "钢轨探伤仪"], "扎根西南，熟悉高原山区铁路工况，本地服务响应快"),
        new("诺维拉铁路技术（中国）有限公司", "上海", 1996, true, false, ["进口道岔", "高速铁路扣件系统", "轨道测量系统"], "欧洲铁路技术企业在华子公司，技术领先，价格高，交货周期长"),
        new("奥兰蒂交通系统（上海）有限公司", "上海", 2005, true, false, ["计轴设备", "联锁系统", "道口安全系统"], "外资背景，安全认证完备，近年推进本地化生产降本"),
        new("屹衡智控科技股份有限公司", "南京", 2008, true, true, ["城轨信号系统", "高速公路机电系统", "交通信号控制机"], "城轨与高速机电双线发展，华东地区业绩多"),
        new("鸿枢桥梁构件有限公司", "衡水", 1995, false, true, ["球型支座", "伸缩缝", "桥梁阻尼器"], "衡水桥梁构件产业集群代表企业，渠道广，价格战打法"),
        new("晰澜智能监测技术有限公司", "武汉", 2012, false, true, ["桥梁健康监测系统", "边坡监测系统", "隧道结构监测"], "高校团队创办，监测算法有特色，工程交付能力偏弱"),
    ];

    public static readonly string[] SellingStyles =
    [
        "关系型打法，重视高层拜访和饭局，技术交流多由厂家专家出面。",
        "价格导向，习惯在开标前大幅让利，合同条款灵活。",
        "技术型销售，擅长组织技术交流和样板工程参观，方案做得细。",
        "跟单勤奋，几乎每周到客户现场，和使用部门走得很近。",
        "借助代理商和当地关系推进，本人较少直接出面。",
        "注重招标文件前期引导，善于在技术参数上设置门槛。",
    ];

    public static readonly string[] RepRelationships =
    [
        "与物资部部长是大学同学，关系密切。",
        "和总工程师私交一般，但深得使用部门信任。",
        "前年因交货延误与客户有过不愉快，目前关系在修复中。",
        "与客户多个部门保持良好工作关系，逢年过节必有走动。",
        "新接手该客户不到一年，关系尚浅。",
        "与分管副总经理是老乡，经常一起打羽毛球。",
    ];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
        "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
        "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
    ];

    public static readonly string[] SurnamePinyin =
    [
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "gao",
        "lin", "luo", "zheng", "liang", "xie", "song", "tang", "xu", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan",
        "pan", "jiang", "cai", "yu", "du", "ye", "cheng", "su", "wei", "lv", "ding", "ren", "shen", "yao", "lu", "jiang", "cui", "zhong",
    ];

    public static readonly Syllable[] GivenChars =
    [
        new("伟", "wei"), new("芳", "fang"), new("娜", "na"), new("敏", "min"), new("静", "jing"), new("丽", "li"),
        new("强", "qiang"), new("磊", "lei"), new("军", "jun"), new("洋", "yang"), new("勇", "yong"), new("艳", "yan"),
        new("杰", "jie"), new("涛", "tao"), new("明", "ming"), new("超", "chao"), new("秀", "xiu"), new("霞", "xia"),
        new("平", "ping"), new("刚", "gang"), new("建", "jian"), new("国", "guo"), new("华", "hua"), new("志", "zhi"),
        new("文", "wen"), new("海", "hai"), new("红", "hong"), new("玉", "yu"), new("春", "chun"), new("林", "lin"),
        new("波", "bo"), new("宇", "yu"), new("晓", "xiao"), new("峰", "feng"), new("斌", "bin"), new("鹏", "peng"),
        new("辉", "hui"), new("东", "dong"), new("亮", "liang"), new("成", "cheng"), new("新", "xin"), new("立", "li"),
        new("永", "yong"), new("德", "de"), new("庆", "qing"), new("雪", "xue"), new("梅", "mei"), new("琳", "lin"),
        new("浩", "hao"), new("凯", "kai"), new("健", "jian"), new("荣", "rong"),
    ];

    /// <summary>
    /// Names of well-known real people that <see cref="Surnames"/> and <see cref="GivenChars"/> can spell. A
    /// generated name never is one: its last given character moves on to the next one instead (nothing more is
    /// drawn, so the rest of the book does not change), and the book only holds invented people.
    /// </summary>
    public static readonly string[] WellKnownNames =
    [
        "朱德", "李鹏", "李强", "周强", "马凯", "王勇", "王刚", "王明", "孙文", "曾庆红", "胡春华", "李建国",
        "曹建明", "何立峰", "姚明", "李娜", "田亮", "高敏", "许海峰", "王军霞", "刘洋", "潘建伟", "刘德华", "张国荣",
        "周华健", "黄晓明", "曾志伟", "李宇春", "邓超", "韩红", "周涛", "李静", "张杰", "李健", "林峰", "陈红",
        "刘涛", "王杰", "姜文", "王志文", "朱军", "谢娜", "杨洋", "吴磊", "王凯", "胡军", "陈建斌", "刘晓庆",
        "韩磊", "蔡国庆", "李玉刚", "刘强东", "王健林", "丁磊", "罗永浩", "张勇", "余华", "周国平", "马超", "王建国",
    ];

    /// <summary>
    /// Syllables of generated (invented) group names ("澜峤路桥集团有限公司"), each with its pinyin for ids and
    /// domains. Chosen so that no pair spells a real brand, no pinyin is a prefix of another (distinct pairs
    /// give distinct ids) and none is part of a <see cref="Families.Known"/> group's id.
    /// </summary>
    public static readonly Syllable[] GroupSyllables =
    [
        new("澜", "lan"), new("朔", "shuo"), new("汀", "ting"), new("峤", "qiao"), new("翎", "ling"), new("渚", "zhu"),
        new("琮", "cong"), new("垣", "yuan"), new("骁", "xiao"), new("岑", "cen"), new("霁", "ji"), new("砚", "yan"),
        new("崧", "song"), new("穹", "qiong"), new("泓", "hong"), new("拓", "tuo"), new("屹", "yi"), new("桓", "huan"),
        new("湛", "zhan"), new("嵘", "rong"),
    ];

    public static readonly string[] GroupSuffixes =
    [
        "建设集团有限公司", "基础设施集团有限公司", "交通建设集团有限公司", "工程集团有限公司", "铁路建设集团有限公司", "路桥集团有限公司",
    ];

    /// <summary>Invented cores of independent local companies' names, with pinyin for their (reserved .example) web domains.</summary>
    public static readonly Syllable[] CompanyCores =
    [
        new("岚晟", "lansheng"), new("翊达", "yida"), new("澄宇", "chengyu"), new("沐辰", "muchen"), new("启嵘", "qirong"),
        new("瑾泰", "jintai"), new("汇岫", "huixiu"), new("朗拓", "langtuo"), new("禾曜", "heyao"), new("晟峤", "shengqiao"),
        new("璞川", "puchuan"), new("骐元", "qiyuan"), new("铭汐", "mingxi"), new("钧衡", "junheng"), new("睿岑", "ruicen"),
        new("琨源", "kunyuan"),
    ];

    public static readonly (string Business, string Industry)[] CompanyBusinesses =
    [
        ("市政工程", "市政"), ("轨道交通设备", "轨道交通"), ("公路养护工程", "公路"), ("桥梁工程", "桥梁"),
        ("建设工程", "市政"), ("交通设施", "公路"), ("隧道工程", "隧道"), ("机电安装工程", "市政"),
    ];

    public static readonly string[] Roads = ["中山路", "人民路", "建设路", "解放路", "复兴路", "天府大道", "长安街", "学府路", "高新大道", "滨江路", "新华路", "交通路"];

    /// <summary>Invented universities (the profiles name no real institution).</summary>
    public static readonly string[] Universities =
    [
        "岑川交通大学", "北屿交通大学", "澜峤大学", "岚溪大学", "曜原理工大学", "衡岫交通大学", "朔石铁道大学",
        "东汐交通大学", "瀛渚交通大学", "泓澄理工大学", "昭澄大学", "云岑大学", "鹭原大学", "澈川交通大学", "屿湾理工大学",
    ];

    public static readonly string[] Majors =
    [
        "土木工程", "交通运输", "铁道信号", "通信工程", "电气工程及其自动化", "道路与桥梁工程", "工程管理", "会计学",
        "机械设计制造及其自动化", "工商管理",
    ];

    public static readonly string[] Books =
    [
        "《平凡的世界》", "《三体》", "《钢铁是怎样炼成的》", "《明朝那些事儿》", "《围城》", "《红楼梦》", "《资治通鉴》", "《活着》",
        "《人类简史》", "《论语》", "《孙子兵法》", "《万历十五年》", "《白鹿原》", "《激荡三十年》", "《基业长青》",
        "《乡土中国》", "《大国重器》", "《百年孤独》",
    ];

    public static readonly string[] Sports = ["羽毛球", "乒乓球", "游泳", "高尔夫", "登山", "钓鱼", "太极拳", "跑步", "篮球", "足球", "网球", "骑行", "徒步", "台球"];

    /// <summary>Invented restaurant names (prefixed with a city); no real chain.</summary>
    public static readonly string[] RestaurantNames = ["岑记火锅", "巷口川菜馆", "湘岚小厨", "汐湾酒家", "老铜锅涮肉", "暖锅记", "澄记家常菜", "屿记烤鸭", "一碗牛肉面馆", "江畔小馆", "山野农家乐", "渔舟海鲜"];

    public static readonly string[] Foods = ["火锅", "川菜", "粤菜", "淮扬菜", "涮羊肉", "饺子", "红烧肉", "湘菜", "海鲜", "烤鸭", "牛肉面", "小龙虾", "家常菜", "素食", "烧烤"];

    public static readonly string[] Destinations = ["三亚", "九寨沟", "大理", "西双版纳", "桂林", "青岛", "新疆伊犁", "北海道", "普吉岛", "张家界", "厦门鼓浪屿", "呼伦贝尔草原", "稻城亚丁", "黄山"];

    public static readonly string[] Holidays = ["国庆", "春节", "暑假", "五一"];

    public static readonly string[] ContactNotes =
    [
        "注重技术细节，喜欢用数据说话。",
        "不喝白酒，饭局宜简单。",
        "对价格敏感，关注全生命周期成本。",
        "是单位内部的技术权威，意见分量重。",
        "与前任供应商关系密切，需要逐步建立信任。",
        "喜欢书法，办公室挂有自己的作品。",
        "临近退休，继任人选值得关注。",
        "周末常去钓鱼，可约一起活动。",
        "做事谨慎，重要事项一定走正式流程。",
        "对国产化替代很支持。",
        "孩子今年高考，近期比较忙。",
        "早上八点前到办公室，拜访宜约上午。",
    ];

    public static readonly string[] IndustryRail =
    [
        "全国铁路固定资产投资保持高位，高铁网加密和既有线改造并重。",
        "铁路设备进入集中更新期，早期开通线路的信号、供电设备陆续到达使用年限。",
        "铁路建设和运营单位推行集中招标和供应商资质管理，准入门槛提高。",
        "高原和艰险山区铁路工程对装备可靠性提出更高要求。",
        "智能铁路建设加快，数据采集和状态修需求快速增长。",
    ];

    public static readonly string[] IndustryRoad =
    [
        "高速公路建设由大规模新建转向新建与改扩建并重，养护市场持续扩大。",
        "行业主管部门推动智慧公路和车路协同试点，机电和信息化投入增加。",
        "地方财政压力加大，项目融资更多依赖专项债和社会资本。",
        "公路桥梁进入集中养护期，支座、伸缩缝更换需求明显。",
        "平安百年品质工程要求提高，采购更重视全寿命周期成本。",
    ];

    public static readonly string[] IndustryOther =
    [
        "城市更新和地下管网改造带来稳定的市政工程需求。",
        "建筑业竞争激烈，利润率下行，企业更重视成本控制。",
        "水利水电和新能源基建投资增长，带动相关设备采购。",
        "城市轨道交通建设节奏放缓，运营维保市场逐步扩大。",
    ];

    public static readonly string[] Problems =
    [
        "设备故障率逐年上升，影响运输安全",
        "备品备件停产，维修成本高",
        "现有系统无法满足提速和加密运行的要求",
        "人工巡检工作量大，夜间天窗时间不足",
        "监测数据分散在多个系统，无法统一分析",
        "上级检查发现安全隐患，要求限期整改",
        "新线开通前需完成设备安装和联调联试",
    ];

    public static readonly string[] Goals =
    [
        "实现设备状态在线监测和故障预警",
        "降低全寿命周期维护成本",
        "满足新版技术规范和验收标准",
        "提高设备可靠性，减少故障延时",
        "统一平台、统一数据标准",
        "缩短施工工期，保证按期开通",
    ];

    public static readonly string[] ProcessNotes =
    [
        "按照《招标投标法》及集团物资集中采购管理办法执行，评标采用综合评分法，技术分占60%。",
        "需先通过集团供应商资格审查，进入合格供应商名录后方可参与投标。",
        "采购由物资部牵头，使用部门提出技术规格书，纪检部门全程监督。",
        "预算超过500万元需报上级单位审批，审批周期约一个月。",
        "框架协议有效期两年，按项目需求分批下单。",
    ];
}
