// KPI tiles: Pareto (top-20%) share, HHI, Gini, account count and window revenue, live from
// WatchConcentration, each with its change since the last snapshot of an earlier day
// (GetConcentrationHistory) and a badge while the figure is at or above its alert threshold.
import type { Concentration, ConcentrationDay } from "../gen/actorcrm/v1/ranking_pb";
import { decimal, html, integer, money, percent } from "../format";
import { t } from "../i18n";

/** The thresholds the tiles flag; the same ones are sent to WatchConcentration, which reports crossings. */
export const alertThresholds: Record<string, number> = { pareto_share: 0.8, hhi: 0.1, gini: 0.7 };

type Tile = {
  id: string;
  metric?: string; // the name of the figure in AlertThreshold, when it has one
  value: (c: Concentration) => number;
  exact: (c: Concentration) => string; // the figure at full precision (data-value, for tests and tooltips)
  show: (c: Concentration) => string;
  yesterday: (d: ConcentrationDay) => number;
  change: (now: number, before: number, currency: string) => string;
};

const points = (now: number, before: number) => `${now >= before ? "+" : "−"}${decimal(Math.abs(now - before) * 100, 1)} ${t("kpi.points")}`;

const tiles: Tile[] = [
  {
    id: "pareto-share", metric: "pareto_share",
    value: (c) => c.paretoShare, exact: (c) => String(c.paretoShare), show: (c) => percent(c.paretoShare),
    yesterday: (d) => d.paretoShare, change: points,
  },
  {
    id: "hhi", metric: "hhi",
    value: (c) => c.hhi, exact: (c) => String(c.hhi), show: (c) => decimal(c.hhi),
    yesterday: (d) => d.hhi, change: (now, before) => `${now >= before ? "+" : "−"}${decimal(Math.abs(now - before))}`,
  },
  {
    id: "gini", metric: "gini",
    value: (c) => c.gini, exact: (c) => String(c.gini), show: (c) => decimal(c.gini),
    yesterday: (d) => d.gini, change: (now, before) => `${now >= before ? "+" : "−"}${decimal(Math.abs(now - before))}`,
  },
  {
    id: "account-count",
    value: (c) => Number(c.accountCount), exact: (c) => String(c.accountCount), show: (c) => integer(c.accountCount),
    yesterday: (d) => Number(d.accountCount), change: (now, before) => `${now >= before ? "+" : "−"}${integer(Math.abs(now - before))}`,
  },
  {
    id: "window-revenue",
    value: (c) => Number(c.totalRevenueMinor), exact: (c) => c.totalRevenueDecimal, show: (c) => money(c.totalRevenueMinor, c.currencyCode, true),
    yesterday: (d) => Number(d.totalRevenueMinor),
    change: (now, before, currency) => `${now >= before ? "+" : "−"}${money(Math.abs(now - before), currency, true)}`,
  },
];

export function renderKpis(root: HTMLElement, concentration: Concentration, previousDay: ConcentrationDay | undefined): void {
  root.innerHTML = tiles.map((tile) => {
    const now = tile.value(concentration);
    const threshold = tile.metric ? alertThresholds[tile.metric] : undefined;
    const alerting = threshold !== undefined && now >= threshold;
    const trend = previousDay
      ? `<span class="kpi-trend ${trendClass(now, tile.yesterday(previousDay))}">${html(tile.change(now, tile.yesterday(previousDay), concentration.currencyCode))} ${html(t("kpi.vsYesterday"))}</span>`
      : `<span class="kpi-trend">${html(t("kpi.noHistory"))}</span>`;
    return `
      <div class="kpi${alerting ? " alerting" : ""}" data-kpi="${tile.id}" data-value="${html(tile.exact(concentration))}">
        <div class="kpi-label">${html(t(`kpi.${tile.id}`))}${alerting ? ` <span class="kpi-alert">${html(t("kpi.alert", { threshold: tile.metric === "pareto_share" ? percent(threshold!, 0) : decimal(threshold!, 2) }))}</span>` : ""}</div>
        <div class="kpi-value">${html(tile.show(concentration))}</div>
        ${trend}
      </div>`;
  }).join("");
}

/** The last day in the history before the figures' own day: "yesterday" for the day-over-day change. */
export function previousDayOf(days: ConcentrationDay[], concentration: Concentration): ConcentrationDay | undefined {
  const asOf = concentration.asOf ? new Date(Number(concentration.asOf.seconds) * 1000) : new Date();
  const today = asOf.getUTCFullYear() * 10000 + (asOf.getUTCMonth() + 1) * 100 + asOf.getUTCDate();
  const earlier = days.filter((d) => d.date && d.date.year * 10000 + d.date.month * 100 + d.date.day < today);
  return earlier.at(-1);
}

function trendClass(now: number, before: number): string {
  return now > before ? "up" : now < before ? "down" : "flat";
}
