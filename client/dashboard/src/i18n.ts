// The UI text in English and Chinese. Static text is marked data-i18n="key" in index.html; views
// call t(key) and redraw on a language change. The choice is remembered in localStorage; the
// first visit follows the browser's language.
export type Language = "en" | "zh";
type Dictionary = Record<string, string>;

const en: Dictionary = {
  "app.title": "Key accounts · 80/20 live",
  "scope.label": "Ranking", "scope.account": "Accounts", "scope.group": "Groups",
  "language.switch": "中文",
  "signIn.heading": "Sign in", "signIn.hint": "Use an API key or a bearer token (an API key or a JWT). A local run signs in by itself with the link tools/run.sh prints.",
  "signIn.kind": "Credential", "signIn.apiKey": "API key", "signIn.bearer": "Bearer token", "signIn.secret": "Key or token",
  "signIn.submit": "Sign in", "signIn.signOut": "Sign out",
  "error.unauthenticated": "The key or token was not accepted", "error.permissionDenied": "Your role may not see this",
  "error.unavailable": "The silo cannot be reached", "error.rateLimited": "Too many requests, slowing down", "error.other": "The request failed",
  "live.connecting": "connecting…", "live.live": "live", "live.retrying": "reconnecting…",
  "kpi.pareto-share": "Top 20% share", "kpi.hhi": "HHI", "kpi.gini": "Gini", "kpi.account-count": "Accounts with revenue", "kpi.window-revenue": "Window revenue",
  "kpi.points": "pp", "kpi.vsYesterday": "vs. yesterday", "kpi.noHistory": "no earlier day yet", "kpi.alert": "≥ {threshold}",
  "alert.rising": "{metric} rose to {value} (threshold {threshold})", "alert.falling": "{metric} fell to {value} (threshold {threshold})",
  "charts.lorenz": "Lorenz curve", "charts.pareto": "Pareto chart", "charts.lorenzCurve": "Lorenz curve", "charts.equality": "Equality",
  "charts.accountsShare": "Share of accounts (smallest first)", "charts.revenueShare": "Share of revenue", "charts.revenue": "Window revenue",
  "charts.cumulativeShare": "Cumulative share", "charts.eightyPercent": "80%", "charts.rank": "Rank",
  "top.heading": "Top accounts", "top.tier": "Tier", "top.class": "Class", "top.all": "All",
  "top.rank": "#", "top.name": "Account", "top.revenue": "Window revenue", "top.share": "Share", "top.cumulative": "Cumulative",
  "top.coverage": "Intel coverage",
  "tier.UNSPECIFIED": "–", "tier.NATIONAL_HQ": "National HQ", "tier.BUREAU_OR_PROVINCE": "Bureau / province", "tier.LOCAL_OR_OTHER": "Local / other",
  "kind.UNSPECIFIED": "–", "kind.BUSINESS": "Business", "kind.CONSUMER": "Consumer",
  "drill.close": "Close", "drill.deleted": "This account was deleted.", "drill.revenue": "Revenue", "drill.windowRevenue": "Window revenue",
  "drill.rank": "Rank · share · class", "drill.unranked": "not ranked (no window revenue)", "drill.openPipeline": "Open pipeline",
  "drill.shareOfWallet": "Share of wallet", "drill.volumeUnknown": "unknown (no yearly purchase volume)", "drill.withSubAccounts": "with sub-accounts",
  "drill.profile": "Profile", "drill.tier": "Tier", "drill.kind": "Kind", "drill.industry": "Industry", "drill.region": "Region", "drill.owner": "Owner",
  "drill.employees": "Employees", "drill.yearlyVolume": "Yearly purchase volume", "drill.coverage": "Intel coverage", "drill.competitors": "Competitors",
  "drill.hierarchy": "Hierarchy", "drill.parent": "Parent", "drill.children": "Sub-accounts", "drill.topLevel": "top-level account", "drill.none": "none",
  "drill.opportunities": "Opportunities and buying centres", "drill.noBuyingCentre": "no buying centre recorded",
  "drill.intel": "Intel", "drill.redFlags": "Red flags", "drill.noRedFlags": "no red flags", "drill.missing": "Missing intel", "drill.nothingMissing": "nothing missing",
  "drill.contacts": "Contacts", "drill.profileWithheld": "Personal profile withheld: your role may not see personal data.", "drill.noProfile": "No personal profile recorded.",
  "drill.activities": "Recent activities",
  "profile.hometown": "Hometown", "profile.university": "University", "profile.family": "Family", "profile.books": "Books", "profile.sports": "Sports",
  "profile.restaurants": "Restaurants", "profile.food": "Food", "profile.lastVacation": "Last vacation", "profile.nextVacation": "Next vacation", "profile.notes": "Notes",
  "intel.UNSPECIFIED": "Other", "intel.ORGANISATION": "Organisation", "intel.COMPETITORS": "Competitors", "intel.PROJECTS": "Projects", "intel.PEOPLE": "People",
  "stage.UNSPECIFIED": "–", "stage.LEAD": "Lead", "stage.QUALIFIED": "Qualified", "stage.NEEDS_ANALYSIS": "Needs analysis", "stage.SOLUTION": "Solution",
  "stage.BIDDING": "Bidding", "stage.NEGOTIATION": "Negotiation", "stage.CLOSED": "Closed",
  "status.UNSPECIFIED": "–", "status.OPEN": "open", "status.WON": "won", "status.LOST": "lost",
  "role.UNSPECIFIED": "–", "role.DECISION_MAKER": "decision maker", "role.ECONOMIC_BUYER": "economic buyer", "role.TECHNICAL_BUYER": "technical buyer",
  "role.USER_BUYER": "user buyer", "role.INFLUENCER": "influencer", "role.COACH": "coach", "role.GATEKEEPER": "gatekeeper",
  "stance.UNSPECIFIED": "stance unknown", "stance.SUPPORTER": "supporter", "stance.NEUTRAL": "neutral", "stance.OPPONENT": "opponent",
  "level.UNSPECIFIED": "–", "level.USER_OR_MAINTAINER": "user / maintainer", "level.MANAGEMENT": "management", "level.EXECUTIVE": "executive",
  "relationship.UNSPECIFIED": "–", "relationship.UNKNOWN": "relationship not assessed", "relationship.NONE": "no relationship",
  "relationship.WEAK": "weak relationship", "relationship.GOOD": "good relationship", "relationship.STRONG": "strong relationship",
  "whatIf.heading": "What if…", "whatIf.remove": "Remove", "whatIf.adjust": "Change (¥)", "whatIf.compute": "Compute", "whatIf.reset": "Reset",
  "whatIf.hint": "Tick accounts to remove or type a change of their window revenue, then Compute.",
  "whatIf.now": "Now", "whatIf.then": "What if", "whatIf.change": "Change",
};

const zh: Dictionary = {
  "app.title": "大客户 · 80/20 实时看板",
  "scope.label": "排名", "scope.account": "按客户", "scope.group": "按集团",
  "language.switch": "English",
  "signIn.heading": "登录", "signIn.hint": "使用 API 密钥或 Bearer 令牌（API 密钥或 JWT）。本地运行时，tools/run.sh 打印的链接可直接登录。",
  "signIn.kind": "凭据类型", "signIn.apiKey": "API 密钥", "signIn.bearer": "Bearer 令牌", "signIn.secret": "密钥或令牌",
  "signIn.submit": "登录", "signIn.signOut": "退出",
  "error.unauthenticated": "密钥或令牌无效", "error.permissionDenied": "您的角色无权查看", "error.unavailable": "无法连接到服务",
  "error.rateLimited": "请求过多，正在降速", "error.other": "请求失败",
  "live.connecting": "连接中…", "live.live": "实时", "live.retrying": "重新连接中…",
  "kpi.pareto-share": "前 20% 客户占比", "kpi.hhi": "HHI 指数", "kpi.gini": "基尼系数", "kpi.account-count": "有收入客户数", "kpi.window-revenue": "窗口期收入",
  "kpi.points": "个百分点", "kpi.vsYesterday": "较昨日", "kpi.noHistory": "暂无往日数据", "kpi.alert": "≥ {threshold}",
  "alert.rising": "{metric} 升至 {value}（阈值 {threshold}）", "alert.falling": "{metric} 降至 {value}（阈值 {threshold}）",
  "charts.lorenz": "洛伦兹曲线", "charts.pareto": "帕累托图", "charts.lorenzCurve": "洛伦兹曲线", "charts.equality": "绝对平均线",
  "charts.accountsShare": "客户占比（由小到大）", "charts.revenueShare": "收入占比", "charts.revenue": "窗口期收入",
  "charts.cumulativeShare": "累计占比", "charts.eightyPercent": "80%", "charts.rank": "排名",
  "top.heading": "重点客户排名", "top.tier": "层级", "top.class": "分类", "top.all": "全部",
  "top.rank": "#", "top.name": "客户", "top.revenue": "窗口期收入", "top.share": "占比", "top.cumulative": "累计占比",
  "top.coverage": "情报完整度",
  "tier.UNSPECIFIED": "–", "tier.NATIONAL_HQ": "集团总部", "tier.BUREAU_OR_PROVINCE": "路局 / 省级", "tier.LOCAL_OR_OTHER": "地方及其他",
  "kind.UNSPECIFIED": "–", "kind.BUSINESS": "商业客户", "kind.CONSUMER": "消费品客户",
  "drill.close": "关闭", "drill.deleted": "该客户已删除。", "drill.revenue": "收入", "drill.windowRevenue": "窗口期收入",
  "drill.rank": "排名 · 占比 · 分类", "drill.unranked": "未排名（窗口期无收入）", "drill.openPipeline": "在途商机",
  "drill.shareOfWallet": "钱包份额", "drill.volumeUnknown": "未知（年采购量未知）", "drill.withSubAccounts": "含下属单位",
  "drill.profile": "客户资料", "drill.tier": "层级", "drill.kind": "类型", "drill.industry": "行业", "drill.region": "地区", "drill.owner": "负责人",
  "drill.employees": "员工人数", "drill.yearlyVolume": "年采购量", "drill.coverage": "情报完整度", "drill.competitors": "竞争对手",
  "drill.hierarchy": "组织层级", "drill.parent": "上级单位", "drill.children": "下级单位", "drill.topLevel": "顶级单位", "drill.none": "无",
  "drill.opportunities": "商机与采购决策小组", "drill.noBuyingCentre": "尚未记录采购决策小组",
  "drill.intel": "情报", "drill.redFlags": "风险提示", "drill.noRedFlags": "无风险提示", "drill.missing": "缺失情报", "drill.nothingMissing": "情报完整",
  "drill.contacts": "联系人", "drill.profileWithheld": "个人资料已隐藏：您的角色无权查看个人信息。", "drill.noProfile": "未记录个人资料。",
  "drill.activities": "近期活动",
  "profile.hometown": "家乡", "profile.university": "毕业院校", "profile.family": "家庭状况", "profile.books": "喜欢的书籍", "profile.sports": "喜欢的运动",
  "profile.restaurants": "喜欢的餐厅", "profile.food": "喜欢的食物", "profile.lastVacation": "上次度假", "profile.nextVacation": "下次休假计划", "profile.notes": "备注",
  "intel.UNSPECIFIED": "其他", "intel.ORGANISATION": "组织", "intel.COMPETITORS": "竞争对手", "intel.PROJECTS": "项目", "intel.PEOPLE": "个人",
  "stage.UNSPECIFIED": "–", "stage.LEAD": "线索", "stage.QUALIFIED": "已确认", "stage.NEEDS_ANALYSIS": "需求分析", "stage.SOLUTION": "方案",
  "stage.BIDDING": "投标", "stage.NEGOTIATION": "谈判", "stage.CLOSED": "已关闭",
  "status.UNSPECIFIED": "–", "status.OPEN": "进行中", "status.WON": "赢单", "status.LOST": "丢单",
  "role.UNSPECIFIED": "–", "role.DECISION_MAKER": "决策者", "role.ECONOMIC_BUYER": "经济购买者", "role.TECHNICAL_BUYER": "技术购买者",
  "role.USER_BUYER": "使用购买者", "role.INFLUENCER": "影响者", "role.COACH": "内线", "role.GATEKEEPER": "把关者",
  "stance.UNSPECIFIED": "态度未知", "stance.SUPPORTER": "支持", "stance.NEUTRAL": "中立", "stance.OPPONENT": "反对",
  "level.UNSPECIFIED": "–", "level.USER_OR_MAINTAINER": "使用维护人员", "level.MANAGEMENT": "管理层", "level.EXECUTIVE": "高层",
  "relationship.UNSPECIFIED": "–", "relationship.UNKNOWN": "关系未评估", "relationship.NONE": "尚无关系",
  "relationship.WEAK": "关系较弱", "relationship.GOOD": "关系良好", "relationship.STRONG": "关系牢固",
  "whatIf.heading": "假设分析", "whatIf.remove": "移除", "whatIf.adjust": "调整（元）", "whatIf.compute": "计算", "whatIf.reset": "重置",
  "whatIf.hint": "勾选要移除的客户，或输入其窗口期收入的变化，然后点击“计算”。",
  "whatIf.now": "当前", "whatIf.then": "假设", "whatIf.change": "变化",
  "flag.NO_DECISION_MAKER": "未识别决策者", "flag.NO_COACH": "没有内线", "flag.OPPONENT_DECIDES": "决策者反对我方",
  "flag.NO_EXECUTIVE_CONTACT": "采购小组中无高层联系人", "flag.BUDGET_UNKNOWN_LATE": "已到后期仍不知预算",
  "flag.TIMETABLE_UNKNOWN_LATE": "已到后期仍不知时间表", "flag.DECISION_DATE_PASSED": "预计决策日期已过", "flag.NO_RECENT_ACTIVITY": "近期无跟进活动",
  // Missing intel by code (the English UI shows the server's message; these follow its codes).
  "missing.ORG_EMPLOYEES_UNKNOWN": "员工人数未知", "missing.ORG_PURCHASE_VOLUME_UNKNOWN": "同类产品年采购量未知",
  "missing.ORG_NO_STRUCTURE": "组织结构未记录", "missing.ORG_NO_CHANNELS": "沟通渠道未记录",
  "missing.ORG_NO_USING_UNIT": "未识别使用部门", "missing.ORG_NO_PURCHASING_UNIT": "未识别采购部门",
  "missing.ORG_NO_SUPPORTING_UNIT": "未识别支持部门", "missing.ORG_NO_USER_CONTACT": "不认识使用维护人员",
  "missing.ORG_NO_MANAGEMENT_CONTACT": "不认识管理层", "missing.ORG_NO_EXECUTIVE_CONTACT": "不认识高层",
  "missing.ORG_NO_INSTALLED_BASE": "同类产品安装和使用情况未记录", "missing.ORG_BUSINESS_UNKNOWN": "客户业务情况未描述",
  "missing.ORG_INDUSTRY_UNKNOWN": "行业基本状况未描述", "missing.ORG_PROFILE_STALE": "组织资料久未核实",
  "missing.INSTALLED_BASE_STALE": "安装使用情况久未核实",
  "missing.COMPETITOR_NONE_RECORDED": "未记录竞争对手", "missing.COMPETITOR_PRODUCTS_UNKNOWN": "竞争对手在用产品未知",
  "missing.COMPETITOR_SATISFACTION_UNKNOWN": "客户对竞争对手的满意度未知", "missing.COMPETITOR_REP_UNKNOWN": "竞争对手的销售代表未知",
  "missing.COMPETITOR_REP_STYLE_UNKNOWN": "竞争对手销售代表的销售风格未知",
  "missing.COMPETITOR_REP_RELATIONSHIP_UNKNOWN": "竞争对手销售代表与客户的关系未知",
  "missing.COMPETITOR_BACKGROUND_UNKNOWN": "竞争对手公司背景未知", "missing.COMPETITOR_STALE": "竞争对手资料久未核实",
  "missing.PROJECT_NONE_OPEN": "没有在跟进的项目", "missing.OPPORTUNITY_NO_PURCHASING_PLAN": "客户的采购计划未知",
  "missing.OPPORTUNITY_NO_PROBLEM": "项目要解决的问题未描述", "missing.OPPORTUNITY_NO_DECISION_MAKER": "未识别决策者",
  "missing.OPPORTUNITY_NO_INFLUENCER": "未识别影响者", "missing.OPPORTUNITY_NO_TIMETABLE": "采购时间表未知",
  "missing.OPPORTUNITY_NO_BUDGET": "预算未知", "missing.OPPORTUNITY_NO_PROCESS": "采购流程未知",
  "missing.OPPORTUNITY_STALE": "项目资料久未核实", "missing.CONTACT_NONE": "不认识该客户的任何联系人",
  "missing.CONTACT_FAMILY_UNKNOWN": "家庭情况未知", "missing.CONTACT_HOMETOWN_UNKNOWN": "家乡未知",
  "missing.CONTACT_FAVOURITE_BOOKS_UNKNOWN": "喜欢的书未知", "missing.CONTACT_UNIVERSITY_UNKNOWN": "毕业院校未知",
  "missing.CONTACT_LAST_VACATION_UNKNOWN": "上次度假情况未知", "missing.CONTACT_NEXT_VACATION_PLAN_UNKNOWN": "下次度假计划未知",
  "missing.CONTACT_SPORTS_UNKNOWN": "喜欢的运动未知", "missing.CONTACT_FAVOURITE_RESTAURANTS_UNKNOWN": "喜欢的餐厅未知",
  "missing.CONTACT_FAVOURITE_FOOD_UNKNOWN": "喜欢的食物未知", "missing.CONTACT_ROLE_UNKNOWN": "在组织中的位置未知",
  "missing.CONTACT_PROFILE_STALE": "个人资料久未核实",
};

const dictionaries: Record<Language, Dictionary> = { en, zh };
const storageKey = "actorcrm.language";
const listeners: (() => void)[] = [];
let language: Language = initialLanguage();

export function currentLanguage(): Language {
  return language;
}

/** The text for `key` with {name} placeholders filled in; `fallback` (or the key) when neither dictionary has it. */
export function t(key: string, params: Record<string, string> = {}, fallback?: string): string {
  const text = dictionaries[language][key] ?? fallback ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

export function setLanguage(next: Language): void {
  language = next;
  localStorage.setItem(storageKey, next);
  applyTranslations();
  listeners.forEach((listener) => listener());
}

export function onLanguageChange(listener: () => void): void {
  listeners.push(listener);
}

/** Fills every data-i18n element of the page with its text in the current language. */
export function applyTranslations(): void {
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  document.title = t("app.title");
  document.querySelectorAll<HTMLElement>("[data-i18n]").forEach((element) => {
    element.textContent = t(element.dataset.i18n!);
  });
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  if (stored === "en" || stored === "zh") return stored;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}
