using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>A province-level region: its id code, names, phone area code and a few prefecture-level cities or districts.</summary>
internal sealed record Province(string Code, string Full, string Short, string AreaCode, string[] Cities);

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
        new("bj", "北京市", "北京", "010", ["海淀区", "朝阳区", "丰台区"]),
        new("tj", "天津市", "天津", "022", ["滨海新区", "南开区", "河西区"]),
        new("he", "河北省", "河北", "0311", ["石家庄市", "保定市", "唐山市"]),
        new("sx", "山西省", "山西", "0351", ["太原市", "大同市", "长治市"]),
        new("nm", "内蒙古自治区", "内蒙古", "0471", ["呼和浩特市", "包头市", "鄂尔多斯市"]),
        new("ln", "辽宁省", "辽宁", "024", ["沈阳市", "大连市", "鞍山市"]),
        new("jl", "吉林省", "吉林", "0431", ["长春市", "吉林市", "延边朝鲜族自治州"]),
        new("hl", "黑龙江省", "黑龙江", "0451", ["哈尔滨市", "齐齐哈尔市", "牡丹江市"]),
        new("sh", "上海市", "上海", "021", ["浦东新区", "闵行区", "嘉定区"]),
        new("js", "江苏省", "江苏", "025", ["南京市", "苏州市", "徐州市"]),
        new("zj", "浙江省", "浙江", "0571", ["杭州市", "宁波市", "温州市"]),
        new("ah", "安徽省", "安徽", "0551", ["合肥市", "芜湖市", "安庆市"]),
        new("fj", "福建省", "福建", "0591", ["福州市", "厦门市", "泉州市"]),
        new("jx", "江西省", "江西", "0791", ["南昌市", "赣州市", "九江市"]),
        new("sd", "山东省", "山东", "0531", ["济南市", "青岛市", "潍坊市"]),
        new("ha", "河南省", "河南", "0371", ["郑州市", "洛阳市", "南阳市"]),
        new("hb", "湖北省", "湖北", "027", ["武汉市", "宜昌市", "襄阳市"]),
        new("hn", "湖南省", "湖南", "0731", ["长沙市", "株洲市", "怀化市"]),
        new("gd", "广东省", "广东", "020", ["广州市", "深圳市", "湛江市"]),
        new("gx", "广西壮族自治区", "广西", "0771", ["南宁市", "柳州市", "桂林市"]),
        new("hi", "海南省", "海南", "0898", ["海口市", "三亚市", "儋州市"]),
        new("cq", "重庆市", "重庆", "023", ["渝北区", "万州区", "涪陵区"]),
        new("sc", "四川省", "四川", "028", ["成都市", "绵阳市", "宜宾市"]),
        new("gz", "贵州省", "贵州", "0851", ["贵阳市", "遵义市", "六盘水市"]),
        new("yn", "云南省", "云南", "0871", ["昆明市", "曲靖市", "大理白族自治州"]),
        new("xz", "西藏自治区", "西藏", "0891", ["拉萨市", "林芝市", "日喀则市"]),
        new("sn", "陕西省", "陕西", "029", ["西安市", "宝鸡市", "榆林市"]),
        new("gs", "甘肃省", "甘肃", "0931", ["兰州市", "天水市", "酒泉市"]),
        new("qh", "青海省", "青海", "0971", ["西宁市", "海东市", "格尔木市"]),
        new("nx", "宁夏回族自治区", "宁夏", "0951", ["银川市", "石嘴山市", "吴忠市"]),
        new("xj", "新疆维吾尔自治区", "新疆", "0991", ["乌鲁木齐市", "哈密市", "喀什地区"]),
    ];

    public static Province ProvinceByCode(string code)
    {
        foreach (var p in Provinces)
            if (p.Code == code) return p;
        throw new ArgumentException($"unknown province code {code}", nameof(code));
    }

    /// <summary>The railway bureaus of the national railway group: (id suffix, name part, province code).</summary>
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
        new("恒通轨道装备股份有限公司", "株洲", 1998, true, false, ["HT-2000型轨道电路", "弹条扣件", "道岔转辙设备"], "轨道交通装备民营上市公司，扣件和转辙设备市场占有率居前"),
        new("中联信科交通技术有限公司", "北京", 2003, true, false, ["CTC调度集中系统", "铁路综合视频监控", "GSM-R终端"], "由科研院所改制而来，铁路通信信号资质齐全，与设计院关系深厚"),
        new("远航智能交通科技有限公司", "杭州", 2010, false, true, ["智慧高速云平台", "隧道监控系统", "ETC门架系统"], "互联网背景的交通科技公司，软件能力强，报价灵活"),
        new("北方路桥机械有限公司", "石家庄", 1992, false, true, ["盆式橡胶支座", "模数式伸缩缝", "桥梁减隔震支座"], "老牌桥梁构件厂，产能大，价格低，质量口碑中等"),
        new("西部铁科装备集团", "成都", 2001, true, false, ["接触网零部件", "轨道检测车", "钢轨探伤仪"], "扎根西南，熟悉高原山区铁路工况，本地服务响应快"),
        new("德瑞克铁路技术（中国）有限公司", "上海", 1996, true, false, ["进口道岔", "高速铁路扣件系统", "轨道测量系统"], "欧洲铁路技术企业在华子公司，技术领先，价格高，交货周期长"),
        new("欧铁安交通系统（上海）有限公司", "上海", 2005, true, false, ["计轴设备", "联锁系统", "道口安全系统"], "外资背景，安全认证完备，近年推进本地化生产降本"),
        new("华东交控科技股份有限公司", "南京", 2008, true, true, ["城轨信号系统", "高速公路机电系统", "交通信号控制机"], "城轨与高速机电双线发展，华东地区业绩多"),
        new("天衡桥梁构件有限公司", "衡水", 1995, false, true, ["球型支座", "伸缩缝", "桥梁阻尼器"], "衡水桥梁构件产业集群代表企业，渠道广，价格战打法"),
        new("瑞诚智能监测技术有限公司", "武汉", 2012, false, true, ["桥梁健康监测系统", "边坡监测系统", "隧道结构监测"], "高校团队创办，监测算法有特色，工程交付能力偏弱"),
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

    /// <summary>Syllables of generated group names ("中国华建…"), each with its pinyin for ids and domains.</summary>
    public static readonly Syllable[] GroupSyllables =
    [
        new("华", "hua"), new("铭", "ming"), new("盛", "sheng"), new("长", "chang"), new("新", "xin"), new("宏", "hong"),
        new("联", "lian"), new("东", "dong"), new("远", "yuan"), new("泰", "tai"), new("恒", "heng"), new("鼎", "ding"),
        new("安", "an"), new("兴", "xing"), new("瑞", "rui"), new("诚", "cheng"), new("建", "jian"), new("通", "tong"),
        new("海", "hai"), new("天", "tian"),
    ];

    public static readonly string[] GroupSuffixes =
    [
        "建设集团有限公司", "基础设施集团有限公司", "交通建设集团有限公司", "工程集团有限公司", "铁路建设集团有限公司", "路桥集团有限公司",
    ];

    /// <summary>Cores of independent local companies' names, with pinyin for their web domains.</summary>
    public static readonly Syllable[] CompanyCores =
    [
        new("恒通", "hengtong"), new("宏达", "hongda"), new("安泰", "antai"), new("鑫源", "xinyuan"), new("中瑞", "zhongrui"),
        new("华兴", "huaxing"), new("路安", "luan"), new("通达", "tongda"), new("昌盛", "changsheng"), new("鼎信", "dingxin"),
        new("金桥", "jinqiao"), new("正元", "zhengyuan"), new("蜀通", "shutong"), new("远大", "yuanda"), new("瑞丰", "ruifeng"),
        new("广顺", "guangshun"),
    ];

    public static readonly (string Business, string Industry)[] CompanyBusinesses =
    [
        ("市政工程", "市政"), ("轨道交通设备", "轨道交通"), ("公路养护工程", "公路"), ("桥梁工程", "桥梁"),
        ("建设工程", "市政"), ("交通设施", "公路"), ("隧道工程", "隧道"), ("机电安装工程", "市政"),
    ];

    public static readonly string[] Roads = ["中山路", "人民路", "建设路", "解放路", "复兴路", "天府大道", "长安街", "学府路", "高新大道", "滨江路", "新华路", "交通路"];

    public static readonly string[] Universities =
    [
        "西南交通大学", "北京交通大学", "中南大学", "同济大学", "长安大学", "兰州交通大学", "石家庄铁道大学",
        "华东交通大学", "重庆交通大学", "东南大学", "清华大学", "天津大学", "大连交通大学", "长沙理工大学", "武汉理工大学",
    ];

    public static readonly string[] Majors =
    [
        "土木工程", "交通运输", "铁道信号", "通信工程", "电气工程及其自动化", "道路与桥梁工程", "工程管理", "会计学",
        "机械设计制造及其自动化", "工商管理",
    ];

    public static readonly string[] Books =
    [
        "《平凡的世界》", "《三体》", "《曾国藩》", "《明朝那些事儿》", "《围城》", "《红楼梦》", "《资治通鉴》", "《活着》",
        "《人类简史》", "《论语》", "《孙子兵法》", "《万历十五年》", "《白鹿原》", "《激荡三十年》", "《基业长青》",
        "《茅以升传》", "《大国重器》", "《詹天佑传》",
    ];

    public static readonly string[] Sports = ["羽毛球", "乒乓球", "游泳", "高尔夫", "登山", "钓鱼", "太极拳", "跑步", "篮球", "足球", "网球", "骑行", "徒步", "台球"];

    public static readonly string[] RestaurantNames = ["老码头火锅", "蜀风园", "湘里人家", "粤海酒家", "东来顺", "海底捞", "外婆家", "大董烤鸭", "兰州牛肉面馆", "江南小馆", "农家乐", "渔村海鲜"];

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
        "国铁集团推行集中招标和供应商资质管理，准入门槛提高。",
        "川藏铁路等艰险山区工程对装备可靠性提出更高要求。",
        "智能铁路建设加快，数据采集和状态修需求快速增长。",
    ];

    public static readonly string[] IndustryRoad =
    [
        "高速公路建设由大规模新建转向新建与改扩建并重，养护市场持续扩大。",
        "交通运输部推动智慧公路和车路协同试点，机电和信息化投入增加。",
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
