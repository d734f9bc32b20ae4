// What-if: tick accounts to remove and/or type a change of their window revenue, then compare the
// figures now with the figures as they would be (RankingService.WhatIf; changes nothing).
import type { Api } from "../api";
import { describeError } from "../api";
import type { Concentration, RankingScope, TopAccountRow } from "../gen/actorcrm/v1/ranking_pb";
import { decimal, html, integer, money, percent } from "../format";
import { t } from "../i18n";

const candidateCount = 15;

type Figure = { id: string; value: (c: Concentration) => number; show: (c: Concentration) => string; change: (delta: number, currency: string) => string };

const sign = (delta: number) => (delta >= 0 ? "+" : "−");
const figures: Figure[] = [
  { id: "pareto-share", value: (c) => c.paretoShare, show: (c) => percent(c.paretoShare), change: (d) => `${sign(d)}${decimal(Math.abs(d) * 100, 1)} ${t("kpi.points")}` },
  { id: "hhi", value: (c) => c.hhi, show: (c) => decimal(c.hhi), change: (d) => `${sign(d)}${decimal(Math.abs(d))}` },
  { id: "gini", value: (c) => c.gini, show: (c) => decimal(c.gini), change: (d) => `${sign(d)}${decimal(Math.abs(d))}` },
  { id: "account-count", value: (c) => Number(c.accountCount), show: (c) => integer(c.accountCount), change: (d) => `${sign(d)}${integer(Math.abs(d))}` },
  { id: "window-revenue", value: (c) => Number(c.totalRevenueMinor), show: (c) => money(c.totalRevenueMinor, c.currencyCode, true), change: (d, currency) => `${sign(d)}${money(Math.abs(d), currency, true)}` },
];

export class WhatIf {
  private candidates: TopAccountRow[] = [];
  private current?: Concentration;
  private baseline?: Concentration; // the figures when the what-if was computed, to compare with
  private result?: Concentration;
  private error = "";
  private readonly removed = new Set<string>();
  private readonly adjustedMajor = new Map<string, number>();

  constructor(private readonly panel: HTMLElement, private readonly api: Api, private readonly scope: () => RankingScope) {
    panel.addEventListener("change", (event) => {
      const input = event.target as HTMLInputElement;
      const accountId = input.closest<HTMLElement>("[data-account-id]")?.dataset.accountId;
      if (!accountId) return;
      if (input.type === "checkbox") {
        if (input.checked) this.removed.add(accountId);
        else this.removed.delete(accountId);
      } else if (input.value && Number.isFinite(Number(input.value))) this.adjustedMajor.set(accountId, Number(input.value));
      else this.adjustedMajor.delete(accountId);
    });
    panel.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.compute();
    });
    panel.addEventListener("reset", () => {
      this.removed.clear();
      this.adjustedMajor.clear();
      this.result = undefined;
      this.error = "";
      setTimeout(() => this.render());
    });
  }

  /** The accounts offered are the largest ones; ticks and changes survive updates of the ranking. */
  update(current: Concentration, rows: TopAccountRow[]): void {
    const firstTime = this.candidates.length === 0;
    this.current = current;
    this.candidates = rows.slice(0, candidateCount);
    if (firstTime || !this.panel.contains(document.activeElement)) this.render();
    else this.renderResults();
  }

  relabel(): void {
    this.render();
  }

  private async compute(): Promise<void> {
    this.baseline = this.current;
    try {
      this.result = await this.api.ranking.whatIf({
        scope: this.scope(),
        removeAccountIds: [...this.removed],
        revenueAdjustments: [...this.adjustedMajor].map(([accountId, major]) => ({ accountId, deltaMinor: BigInt(Math.round(major * 100)) })),
      });
      this.error = "";
    } catch (error) {
      this.result = undefined;
      this.error = describeError(error);
    }
    this.renderResults();
  }

  private render(): void {
    this.panel.innerHTML = `
      <h2>${html(t("whatIf.heading"))}</h2>
      <form>
        <table class="what-if-accounts">
          <thead><tr><th>${html(t("whatIf.remove"))}</th><th>${html(t("top.name"))}</th><th>${html(t("whatIf.adjust"))}</th></tr></thead>
          <tbody>${this.candidates.map((row) => `
            <tr data-account-id="${html(row.accountId)}">
              <td><input type="checkbox" aria-label="${html(t("whatIf.remove"))} ${html(row.displayName)}" ${this.removed.has(row.accountId) ? "checked" : ""}></td>
              <td>#${row.rank} ${html(row.displayName)}</td>
              <td><input type="number" step="any" inputmode="decimal" aria-label="${html(t("whatIf.adjust"))} ${html(row.displayName)}" value="${this.adjustedMajor.get(row.accountId) ?? ""}" placeholder="±"></td>
            </tr>`).join("")}
          </tbody>
        </table>
        <div class="buttons"><button type="submit">${html(t("whatIf.compute"))}</button> <button type="reset">${html(t("whatIf.reset"))}</button></div>
      </form>
      <div class="what-if-results"></div>`;
    this.renderResults();
  }

  private renderResults(): void {
    const target = this.panel.querySelector(".what-if-results");
    if (!target) return;
    const now = this.baseline;
    const then = this.result;
    if (this.error) {
      target.innerHTML = `<p class="error">${html(this.error)}</p>`;
      return;
    }
    if (!now || !then) {
      target.innerHTML = `<p class="muted">${html(t("whatIf.hint"))}</p>`;
      return;
    }
    target.innerHTML = `
      <table class="what-if-figures">
        <thead><tr><th></th><th>${html(t("whatIf.now"))}</th><th>${html(t("whatIf.then"))}</th><th>${html(t("whatIf.change"))}</th></tr></thead>
        <tbody>${figures.map((f) => `
          <tr data-figure="${f.id}" data-value="${f.value(then)}">
            <th>${html(t(`kpi.${f.id}`))}</th><td>${html(f.show(now))}</td><td class="then">${html(f.show(then))}</td>
            <td>${html(f.change(f.value(then) - f.value(now), now.currencyCode))}</td>
          </tr>`).join("")}
        </tbody>
      </table>`;
  }
}
