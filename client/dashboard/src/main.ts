// Starts the page: the sign-in screen unless credentials are at hand (a sign-in link or this tab's
// session), then the live overview: KPI tiles, charts and the top table from WatchConcentration,
// the day-over-day trend from GetConcentrationHistory, coverage from ListAccounts, the what-if
// panel, and the drill-down of a clicked account.
import "./style.css";
import { createApi, describeError, isSignInProblem, type Api } from "./api";
import { AccountListSort } from "./gen/actorcrm/v1/accounts_pb";
import { AlertDirection, RankingScope, type ConcentrationDay, type ConcentrationUpdate } from "./gen/actorcrm/v1/ranking_pb";
import { decimal, html, percent } from "./format";
import { applyTranslations, currentLanguage, onLanguageChange, setLanguage, t } from "./i18n";
import { keepStreaming, throttle, type StreamStatus } from "./live";
import { forgetCredentials, loadCredentials } from "./session";
import { Charts } from "./views/charts";
import { DrillDown } from "./views/drillDown";
import { alertThresholds, previousDayOf, renderKpis } from "./views/kpis";
import { checkCredentials, showSignIn } from "./views/signIn";
import { TopTable } from "./views/topTable";
import { WhatIf } from "./views/whatIf";

const topRowCount = 100; // the most WatchConcentration sends
const coverageRefreshMs = 5000;
const historyRefreshMs = 10 * 60 * 1000;
const signInProblemKey = "actorcrm.signInProblem"; // why the last session ended, for the sign-in screen

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function setUpLanguageSwitch(): void {
  const button = element("language");
  const label = () => (button.textContent = t("language.switch"));
  button.addEventListener("click", () => setLanguage(currentLanguage() === "zh" ? "en" : "zh"));
  onLanguageChange(label);
  label();
  applyTranslations();
}

function startDashboard(api: Api): void {
  element("dashboard").hidden = false;
  element("sign-out").hidden = false;
  element("live-status").hidden = false;
  const scopeSelect = element<HTMLSelectElement>("scope");
  scopeSelect.closest("label")!.hidden = false;
  const scope = () => (scopeSelect.value === "group" ? RankingScope.GROUP : RankingScope.ACCOUNT);

  const charts = new Charts(element("lorenz-chart"), element("pareto-chart"));
  const drillDown = new DrillDown(element("drill-down"), api);
  const table = new TopTable(element("top-table"), element("tier-filter"), element("class-filter"), (id) => drillDown.open(id));
  const whatIf = new WhatIf(element("what-if"), api, scope);
  let latest: ConcentrationUpdate | undefined;
  let history: ConcentrationDay[] = [];
  let historyLoadedAt = 0;

  const showError = (message: string) => {
    const banner = element("dashboard-error");
    banner.textContent = message;
    banner.hidden = !message;
  };
  const draw = () => {
    const concentration = latest?.concentration;
    if (!concentration) return;
    renderKpis(element("kpis"), concentration, previousDayOf(history, concentration));
    drillDown.currency = concentration.currencyCode || drillDown.currency;
    charts.update(concentration, latest!.topAccounts);
    table.update(latest!.topAccounts, concentration.currencyCode);
    whatIf.update(concentration, latest!.topAccounts);
  };
  const loadHistory = async () => {
    historyLoadedAt = Date.now();
    try {
      history = (await api.ranking.getConcentrationHistory({ scope: scope() })).days;
      draw();
    } catch (error) {
      showError(describeError(error));
    }
  };
  const loadCoverage = throttle(async () => {
    try {
      const page = await api.accounts.listAccounts({ sort: AccountListSort.RANK, pageSize: 1000 });
      table.updateCoverage(new Map(page.accounts.map((a) => [a.accountId, a.coverage])));
    } catch (error) {
      showError(describeError(error));
    }
  }, coverageRefreshMs);

  let stop = () => {};
  const watch = () => {
    stop();
    latest = undefined;
    history = [];
    void loadHistory();
    stop = keepStreaming(
      (signal) => api.ranking.watchConcentration({
        scope: scope(), minIntervalMs: 250, topLimit: topRowCount,
        alertThresholds: Object.entries(alertThresholds).map(([metric, value]) => ({ metric, value })),
      }, { signal }),
      (update) => {
        latest = update;
        showError("");
        draw();
        showAlerts(update);
        loadCoverage();
        if (Date.now() - historyLoadedAt > historyRefreshMs) void loadHistory();
      },
      (status, error) => {
        showStatus(status);
        if (error) showError(describeError(error));
        if (error && isSignInProblem(error)) signOut(describeError(error));
      },
    );
  };
  scopeSelect.onchange = watch;
  watch();

  onLanguageChange(() => {
    showStatus(element("live-status").dataset.status as StreamStatus | undefined ?? "connecting");
    table.relabel();
    whatIf.relabel();
    drillDown.relabel();
    draw();
  });
  table.relabel();
  whatIf.relabel();

  element("sign-out").onclick = () => signOut();
  function signOut(problem?: string) {
    stop();
    drillDown.close();
    forgetCredentials();
    if (problem) sessionStorage.setItem(signInProblemKey, problem);
    location.reload();
  }
}

function showStatus(status: StreamStatus): void {
  const badge = element("live-status");
  badge.className = `live-status ${status}`;
  badge.dataset.status = status;
  badge.textContent = t(`live.${status}`);
}

/** Threshold crossings reported by the stream, newest first, the last five kept. */
function showAlerts(update: ConcentrationUpdate): void {
  const list = element("alerts");
  for (const alert of update.alerts) {
    const metric = alert.metric === "pareto_share" ? t("kpi.pareto-share") : t(`kpi.${alert.metric}`);
    const show = (value: number) => (alert.metric === "pareto_share" ? percent(value) : decimal(value));
    const item = document.createElement("div");
    item.className = `alert ${alert.direction === AlertDirection.FALLING ? "falling" : "rising"}`;
    item.innerHTML = html(t(alert.direction === AlertDirection.FALLING ? "alert.falling" : "alert.rising", { metric, value: show(alert.value), threshold: show(alert.threshold) }));
    list.prepend(item);
  }
  while (list.children.length > 5) list.lastElementChild!.remove();
}

async function main(): Promise<void> {
  setUpLanguageSwitch();
  const credentials = loadCredentials();
  const problem = sessionStorage.getItem(signInProblemKey) ?? undefined;
  sessionStorage.removeItem(signInProblemKey);
  if (credentials) {
    const rejected = await checkCredentials(credentials);
    if (!rejected) return startDashboard(createApi(credentials));
    forgetCredentials();
    return showSignIn(startDashboard, rejected);
  }
  showSignIn(startDashboard, problem);
}

void main();
