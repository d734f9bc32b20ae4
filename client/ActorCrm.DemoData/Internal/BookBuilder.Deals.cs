using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.DemoData.Internal;

internal sealed partial class BookBuilder
{
    private static readonly Stage[] OpenStages =
        [Stage.Lead, Stage.Qualified, Stage.NeedsAnalysis, Stage.Solution, Stage.Bidding, Stage.Negotiation];

    private static readonly (PurchasingMethod Method, int Weight)[] Methods =
    [
        (PurchasingMethod.PublicTender, 45), (PurchasingMethod.InvitedTender, 15), (PurchasingMethod.CompetitiveNegotiation, 13),
        (PurchasingMethod.SingleSource, 7), (PurchasingMethod.RequestForQuotation, 15), (PurchasingMethod.Other, 5),
    ];

    private static readonly string[] ActivityTypes =
    [
        "visit", "technical_exchange", "business_event", "site_visit", "product_demo",
        "phone_call", "reference_project", "entertainment", "proposal", "negotiation",
    ];

    private List<Opportunity> BuildOpportunities(AccountContext ctx, List<Person> people)
    {
        var node = ctx.Node;
        var count = node.Style switch
        {
            Style.Consumer => _rng.Between(0, 1),
            _ when node.Tier == StrategicTier.NationalHq => _rng.Between(2, 4),
            _ when node.Tier == StrategicTier.BureauOrProvince => _rng.Between(1, 4),
            _ => _rng.Between(0, 3),
        };
        var deals = new List<Opportunity>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var (name, system) = OpportunityName(node);
            for (var attempt = 0; attempt < 4 && names.Contains(name); attempt++) (name, system) = OpportunityName(node);
            if (!names.Add(name)) name = $"{name}（{Text.Cn(i + 1)}期）";
            var deal = Opportunity(ctx, people, $"opp-{i + 1:D2}", name, system);
            deals.Add(deal);
            _opportunities.Add(deal);
        }
        return deals;
    }

    /// <summary>A project name such as "成渝高铁信号系统改造", and the system it is about.</summary>
    private (string Name, string System) OpportunityName(Node node)
    {
        if (node.Style == Style.Consumer)
            return ("自建住宅监控和照明设备采购", "监控和照明设备");
        string where, system;
        if (IsRail(node.Industry))
        {
            where = node.Project.Length > 0 && _rng.Chance(70) ? node.Project : _rng.Pick(Catalog.RailwayLines);
            system = _rng.Pick(Catalog.RailwaySystems);
        }
        else if (node.Industry is "公路" or "桥梁")
        {
            where = node.Project.Length > 0 && _rng.Chance(70) ? node.Project : _rng.Pick(Catalog.Highways);
            system = _rng.Pick(Catalog.RoadSystems);
        }
        else
        {
            where = node.Project.Length > 0 && _rng.Chance(70) ? node.Project : $"{Text.CityBase(node.City)}{_rng.Pick(MunicipalPlaces)}";
            system = _rng.Pick(Catalog.MunicipalSystems);
        }
        return ($"{where}{system}{_rng.Pick(Catalog.ProjectActions)}", system);
    }

    private static readonly string[] MunicipalPlaces = ["城市快速路", "地铁三号线", "综合管廊", "滨江大桥", "环城高速", "老城区道路"];

    // Why closed deals were won or lost; chosen by the deal's number, not drawn, so the rest of the book stays as it was.
    private static readonly string[] WinReasons = ["技术方案领先", "老客户信任，服务口碑好", "价格有竞争力", "本地化服务团队响应快", "成功案例打动决策人"];
    private static readonly string[] LossReasons = ["价格高于竞争对手", "竞争对手与决策人关系更深", "技术参数不满足招标要求", "项目预算被削减", "交付周期太长"];

    private Opportunity Opportunity(AccountContext ctx, List<Person> people, string id, string name, string system)
    {
        var node = ctx.Node;
        var index = _opportunityCount++;
        var stage = index < 7 ? (Stage)(index + 1) : _rng.Chance(25) ? Stage.Closed : _rng.Pick(OpenStages);
        var status = stage != Stage.Closed ? OpportunityStatus.Open : _rng.Chance(55) ? OpportunityStatus.Won : OpportunityStatus.Lost;
        var probability = status switch
        {
            OpportunityStatus.Won => 100,
            OpportunityStatus.Lost => 0,
            _ => stage switch
            {
                Stage.Lead => _rng.Between(5, 15),
                Stage.Qualified => _rng.Between(15, 30),
                Stage.NeedsAnalysis => _rng.Between(25, 40),
                Stage.Solution => _rng.Between(35, 55),
                Stage.Bidding => _rng.Between(50, 70),
                _ => _rng.Between(65, 90),
            },
        };
        var (dMin, dMax) = Orgs.DealYuan(node.Style, node.Tier);
        var amountYuan = _rng.Between(dMin, dMax, 1_000);
        var budgetYuan = _rng.Chance(80) ? amountYuan / 100 * _rng.Between(90, 130) : 0;

        var deal = new Opportunity
        {
            AccountId = node.Id,
            OpportunityId = id,
            Name = name,
            ProblemToSolve = node.Style == Style.Consumer
                ? "新建住宅需要安装监控和照明设备，希望一次到位、价格实惠、售后有保障。"
                : Share($"{_rng.Pick(Catalog.Problems)}，需通过本项目{_rng.Pick(Catalog.Goals)}。"),
            PurchasingPlan = node.Style == Style.Consumer
                ? $"计划入住前一次性采购，预算约{Text.Money(amountYuan)}。"
                : PurchasingPlan(system, amountYuan),
            BudgetMinor = budgetYuan * 100,
            Stage = stage,
            AmountMinor = amountYuan * 100,
            CurrencyCode = "CNY",
            ProbabilityPercent = probability,
            Status = status,
            CloseReason = status switch
            {
                OpportunityStatus.Won => WinReasons[index % WinReasons.Length],
                OpportunityStatus.Lost => LossReasons[index % LossReasons.Length],
                _ => "",
            },
        };

        var unknownProcess = stage is Stage.Lead or Stage.Qualified && _rng.Chance(20);
        var method = unknownProcess ? PurchasingMethod.Unspecified
            : node.Style == Style.Consumer ? PurchasingMethod.RequestForQuotation
            : WeightedMethod();
        deal.PurchasingProcess = PurchasingProcess(method);
        deal.Timetable = Timetable(stage, method);

        // Buying centre: decision makers and influencers from the account's roster.
        var members = _rng.Sample(people.Count, _rng.Between(1, Math.Min(5, people.Count)));
        foreach (var i in members)
        {
            var role = BuyingRoleOf(people[i]);
            var stance = role == BuyingRole.Coach ? Stance.Supporter
                : people[i].Strength == RelationshipStrength.Strong ? (_rng.Chance(80) ? Stance.Supporter : Stance.Neutral)
                : _rng.Next(10) switch { < 4 => Stance.Supporter, < 8 => Stance.Neutral, _ => Stance.Opponent };
            deal.BuyingCentre.Add(new BuyingCentreMember { ContactId = people[i].Id, Role = role, Stance = stance });
        }

        if (node.Style != Style.Consumer)
        {
            IReadOnlyList<CompetitorCompany> pool = ctx.Competitors.Count > 0 ? ctx.Competitors : CompetitorPool(node.Industry);
            var n = _rng.Between(0, Math.Min(3, pool.Count));
            foreach (var i in _rng.Sample(pool.Count, n)) deal.Competitors.Add(pool[i].Name);
        }
        return deal;
    }

    private BuyingRole BuyingRoleOf(Person person)
    {
        if (person.Strength == RelationshipStrength.Strong && _rng.Chance(30)) return BuyingRole.Coach;
        if (person.IsExecutive)
            return person.Title.Contains("总工程师", StringComparison.Ordinal) ? BuyingRole.TechnicalBuyer
                : _rng.Chance(70) ? BuyingRole.DecisionMaker : BuyingRole.EconomicBuyer;
        return person.Function switch
        {
            OrgUnitFunction.Purchasing => person.IsHead ? BuyingRole.EconomicBuyer : BuyingRole.Gatekeeper,
            OrgUnitFunction.Using => person.IsHead ? BuyingRole.TechnicalBuyer : BuyingRole.UserBuyer,
            _ => BuyingRole.Influencer,
        };
    }

    private PurchasingMethod WeightedMethod()
    {
        var roll = _rng.Next(100);
        foreach (var (method, weight) in Methods)
        {
            if (roll < weight) return method;
            roll -= weight;
        }
        return PurchasingMethod.PublicTender;
    }

    private string PurchasingPlan(string system, long amountYuan)
    {
        var batches = _rng.Between(1, 3);
        var year = _today.Year + (_rng.Chance(30) ? 1 : 0);
        var first = Text.Money(batches == 1 ? amountYuan : amountYuan / batches);
        return batches == 1
            ? $"{year}年计划一次性采购{system}，预计{first}，资金已列入年度投资计划。"
            : $"{year}年计划分{(batches == 2 ? "两" : Text.Cn(batches))}批采购{system}，首批约{first}，后续批次视工程进度和资金到位情况确定。";
    }

    private PurchasingProcess PurchasingProcess(PurchasingMethod method)
    {
        var process = new PurchasingProcess { Method = method };
        if (method == PurchasingMethod.Unspecified) return process; // not known yet: no steps, no notes
        string[] steps = method switch
        {
            PurchasingMethod.PublicTender => ["需求提报", "立项审批", "编制招标文件", "发布招标公告", "投标", "开标评标", "中标公示", "合同签订"],
            PurchasingMethod.InvitedTender => ["需求提报", "确定邀请名单", "发出投标邀请", "投标", "开标评标", "合同签订"],
            PurchasingMethod.CompetitiveNegotiation => ["需求提报", "成立谈判小组", "发出谈判文件", "多轮谈判", "最终报价", "确定成交供应商"],
            PurchasingMethod.SingleSource => ["需求论证", "单一来源公示", "商务谈判", "合同签订"],
            PurchasingMethod.RequestForQuotation => ["发出询价单", "供应商报价", "比价", "确定供应商", "下单"],
            _ => ["框架协议入围", "电子采购平台下单", "到货验收"],
        };
        process.Steps.Add(steps);
        if (method == PurchasingMethod.Other) process.Notes = "通过集团电子采购平台按框架协议直接下单。";
        else if (_rng.Chance(60)) process.Notes = _rng.Pick(Catalog.ProcessNotes);
        return process;
    }

    /// <summary>
    /// Decision date by stage (open deals decide after the anchor, closed ones before it) and the
    /// milestones around it, done once their date is past.
    /// </summary>
    private PurchasingTimetable Timetable(Stage stage, PurchasingMethod method)
    {
        var days = stage switch
        {
            Stage.Lead => _rng.Between(150, 360),
            Stage.Qualified => _rng.Between(120, 300),
            Stage.NeedsAnalysis => _rng.Between(90, 240),
            Stage.Solution => _rng.Between(75, 200),
            Stage.Bidding => _rng.Between(10, 45),
            Stage.Negotiation => _rng.Between(3, 25),
            _ => -_rng.Between(20, 360),
        };
        var decision = _today.AddDays(days);
        var timetable = new PurchasingTimetable { ExpectedDecisionDate = ToDate(decision) };
        if (stage == Stage.Lead && _rng.Chance(50)) return timetable; // too early to know the milestones
        string[] names = method switch
        {
            PurchasingMethod.CompetitiveNegotiation => ["发出谈判邀请", "竞争性谈判", "合同签订"],
            PurchasingMethod.SingleSource => ["单一来源公示", "商务谈判", "合同签订"],
            PurchasingMethod.RequestForQuotation => ["发出询价单", "报价截止", "合同签订"],
            _ => ["发标", "开标", "合同签订"],
        };
        int[] offsets = [-_rng.Between(45, 60), -_rng.Between(15, 25), _rng.Between(10, 20)];
        for (var i = 0; i < names.Length; i++)
        {
            var due = decision.AddDays(offsets[i]);
            timetable.Milestones.Add(new Milestone { Name = names[i], DueDate = ToDate(due), Done = due < _today });
        }
        return timetable;
    }

    private void BuildActivities(AccountContext ctx, List<Person> people, List<Opportunity> deals)
    {
        var node = ctx.Node;
        var count = node.Style switch
        {
            Style.Consumer => _rng.Between(0, 2),
            _ when node.Tier == StrategicTier.NationalHq => _rng.Between(3, 6),
            _ when node.Tier == StrategicTier.BureauOrProvince => _rng.Between(2, 6),
            _ => _rng.Between(0, 4),
        };
        if (count == 0) return;

        // Types and times first, so that ids follow the timeline (act-01 is the oldest).
        var planned = new (DateTimeOffset At, string Type)[count];
        for (var i = 0; i < count; i++)
        {
            var index = _activityCount++;
            var type = index < ActivityTypes.Length ? ActivityTypes[index] : _rng.Pick(ActivityTypes);
            planned[i] = (ActivityTime(type), type);
        }
        Array.Sort(planned, (x, y) => x.At.CompareTo(y.At));

        for (var i = 0; i < count; i++)
        {
            var type = planned[i].Type;
            var deal = deals.Count > 0 && _rng.Chance(60) ? _rng.Pick(deals) : null;
            var involved = _rng.Sample(people.Count, _rng.Between(1, Math.Min(3, people.Count)));
            var activity = new Activity
            {
                AccountId = node.Id,
                ActivityId = $"act-{i + 1:D2}",
                Type = type,
                OccurredAt = Timestamp.FromDateTimeOffset(planned[i].At),
                OpportunityId = deal?.OpportunityId ?? "",
                Owner = _rng.Pick(ctx.Team),
            };
            foreach (var p in involved) activity.ContactIds.Add(people[p].Id);
            var lead = people[involved[0]];
            activity.Subject = Subject(type, lead, deal, node);
            activity.Notes = ActivityNotes(involved, people, deal, node.Style == Style.Consumer);
            _activities.Add(activity);
        }
    }

    /// <summary>
    /// A moment on a day in the 18 months before the anchor, during Beijing office hours (evenings
    /// for entertainment): strictly before the anchor's Beijing date, never before anchor − 18 months.
    /// </summary>
    private DateTimeOffset ActivityTime(string type)
    {
        var local = _anchor.ToOffset(Beijing);
        var midnight = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, Beijing);
        var days = (int)(midnight - _anchor.AddMonths(-18)).TotalDays; // whole days that fit in the window
        var day = midnight.AddDays(-_rng.Between(1, Math.Max(1, days)));
        var minutes = type == "entertainment" ? _rng.Between(18 * 60, 21 * 60) : _rng.Between(8 * 60 + 30, 18 * 60);
        return day.AddMinutes(minutes);
    }

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private string Subject(string type, Person lead, Opportunity? deal, Node node)
    {
        var topic = deal?.Name
            ?? (node.Style == Style.Consumer ? "监控和照明设备" : IsRail(node.Industry) ? _rng.Pick(Catalog.RailwaySystems) : _rng.Pick(Catalog.RoadSystems));
        var who = $"{lead.Title}{lead.Name}";
        return type switch
        {
            "visit" => $"拜访{who}，沟通{topic}",
            "technical_exchange" => $"{topic}技术交流会",
            "business_event" => _rng.Chance(50) ? $"邀请{who}参加轨道交通装备展览会" : $"邀请{who}参加客户答谢会",
            "site_visit" => $"陪同{who}考察{(IsRail(node.Industry) ? _rng.Pick(Catalog.RailwayLines) : _rng.Pick(Catalog.Highways))}应用现场",
            "product_demo" => $"{(IsRail(node.Industry) ? _rng.Pick(Catalog.OurRailProducts) : _rng.Pick(Catalog.OurRoadProducts))}产品演示",
            "phone_call" => $"电话沟通{topic}进展",
            "reference_project" => $"组织参观{(IsRail(node.Industry) ? _rng.Pick(Catalog.RailwayLines) : _rng.Pick(Catalog.Highways))}样板工程",
            "entertainment" => $"与{who}工作餐",
            "proposal" => $"提交{topic}技术方案",
            _ => $"{topic}商务谈判",
        };
    }

    private static readonly string[] NextSteps =
    [
        "下周提交书面技术方案。", "安排厂内考察。", "跟进招标文件技术参数。", "约总工程师做专项汇报。",
        "补充同类项目业绩证明。", "报价前与物资部再沟通一次。", "邀请参加样板工程现场会。",
    ];

    private static readonly string[] Findings =
    [
        "客户对设备可靠性最关心，其次是售后响应时间。", "客户认可我方技术方案，但认为报价偏高。",
        "竞争对手上周刚来做过交流。", "项目资金已基本落实，招标预计在下季度。",
        "使用部门希望增加在线监测功能。", "客户提到去年其他厂家设备故障较多。",
    ];

    private static readonly string[] ConsumerFindings = ["客户关心价格和安装时间。", "客户希望设备能用手机查看。", "客户在比较两家的报价。"];
    private static readonly string[] ConsumerNextSteps = ["发送正式报价单。", "约定上门测量时间。", "安排安装师傅上门。"];

    private string ActivityNotes(int[] involved, List<Person> people, Opportunity? deal, bool consumer)
    {
        var names = string.Join("、", Array.ConvertAll(involved, i => $"{people[i].Name}（{people[i].Title}）"));
        var lines = consumer
            ? $"参加人员：{names}\n主要情况：{_rng.Pick(ConsumerFindings)}\n下一步：{_rng.Pick(ConsumerNextSteps)}"
            : $"参加人员：{names}\n主要情况：{_rng.Pick(Findings)}\n下一步：{_rng.Pick(NextSteps)}";
        return deal is null ? lines : $"关联项目：{deal.Name}\n{lines}";
    }
}
