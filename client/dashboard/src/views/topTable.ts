// The top accounts (or groups): rank, name, tier, window revenue, share, cumulative share, ABC
// class and intel coverage, filtered by tier and class. Rows are kept per account and moved, not
// redrawn, so a change of rank slides a row to its new place.
import { StrategicTier } from "../gen/actorcrm/v1/accounts_pb";
import { AbcClass } from "../gen/actorcrm/v1/common_pb";
import type { TopAccountRow } from "../gen/actorcrm/v1/ranking_pb";
import { html, money, percent } from "../format";
import { t } from "../i18n";

const tiers = [StrategicTier.NATIONAL_HQ, StrategicTier.BUREAU_OR_PROVINCE, StrategicTier.LOCAL_OR_OTHER];
const classes = [AbcClass.A, AbcClass.B, AbcClass.C];

export class TopTable {
  private rows: TopAccountRow[] = [];
  private coverage = new Map<string, number>();
  private currency = "CNY";
  private readonly rowElements = new Map<string, HTMLTableRowElement>();

  constructor(
    private readonly table: HTMLTableElement,
    private readonly tierFilter: HTMLSelectElement,
    private readonly classFilter: HTMLSelectElement,
    private readonly onOpen: (accountId: string) => void,
  ) {
    tierFilter.addEventListener("change", () => this.render());
    classFilter.addEventListener("change", () => this.render());
    table.tBodies[0].addEventListener("click", (event) => {
      const row = (event.target as HTMLElement).closest("tr");
      if (row?.dataset.accountId) onOpen(row.dataset.accountId);
    });
  }

  update(rows: TopAccountRow[], currency: string): void {
    this.rows = rows;
    this.currency = currency;
    this.render();
  }

  /** Intel coverage by account id (ListAccounts rows carry it; ranking rows do not). */
  updateCoverage(coverage: Map<string, number>): void {
    this.coverage = coverage;
    this.render();
  }

  /** Redraws the texts that depend on the language (headers, filter options, tier and class names). */
  relabel(): void {
    this.table.tHead!.innerHTML = `<tr>${["rank", "name", "tier", "revenue", "share", "cumulative", "class", "coverage"]
      .map((column) => `<th class="${column}">${html(t(`top.${column}`))}</th>`).join("")}</tr>`;
    fillOptions(this.tierFilter, tiers.map((tier) => [String(tier), t(`tier.${StrategicTier[tier]}`)]));
    fillOptions(this.classFilter, classes.map((abc) => [String(abc), AbcClass[abc]]));
    this.rowElements.forEach((row) => row.remove());
    this.rowElements.clear();
    this.render();
  }

  private render(): void {
    const tier = Number(this.tierFilter.value);
    const abc = Number(this.classFilter.value);
    const visible = this.rows.filter((row) => (!tier || row.tier === tier) && (!abc || row.abcClass === abc));
    const body = this.table.tBodies[0];
    const placesBefore = new Map([...this.rowElements].map(([id, element]) => [id, { index: [...body.children].indexOf(element), top: element.getBoundingClientRect().top }]));

    const keep = new Set(visible.map((row) => row.accountId));
    for (const [id, element] of this.rowElements) {
      if (!keep.has(id)) {
        element.remove();
        this.rowElements.delete(id);
      }
    }
    visible.forEach((row, index) => {
      const element = this.rowElements.get(row.accountId) ?? this.createRow(row.accountId);
      element.innerHTML = this.cells(row);
      element.dataset.rank = String(row.rank);
      if (body.children[index] !== element) body.insertBefore(element, body.children[index] ?? null);
    });
    slideMovedRows(this.rowElements, body, placesBefore);
  }

  private createRow(accountId: string): HTMLTableRowElement {
    const element = document.createElement("tr");
    element.dataset.accountId = accountId;
    element.tabIndex = 0;
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.onOpen(accountId);
    });
    this.rowElements.set(accountId, element);
    return element;
  }

  private cells(row: TopAccountRow): string {
    const coverage = this.coverage.get(row.accountId);
    const abc = row.abcClass ? AbcClass[row.abcClass] : "–";
    return `
      <td class="rank">${row.rank}</td>
      <td class="name">${html(row.displayName)}</td>
      <td class="tier">${html(t(`tier.${StrategicTier[row.tier]}`))}</td>
      <td class="revenue" data-value="${row.revenueMinor}">${html(money(row.revenueMinor, this.currency))}</td>
      <td class="share">${percent(row.share)}</td>
      <td class="cumulative">${percent(row.cumulativeShare)}</td>
      <td class="class"><span class="abc abc-${abc}">${abc}</span></td>
      <td class="coverage">${coverage === undefined ? "–" : `<span class="coverage-bar" style="--coverage:${coverage}"></span>${percent(coverage, 0)}`}</td>`;
  }
}

function fillOptions(select: HTMLSelectElement, options: [string, string][]): void {
  const selected = select.value;
  select.innerHTML = `<option value="0">${html(t("top.all"))}</option>` +
    options.map(([value, label]) => `<option value="${value}">${html(label)}</option>`).join("");
  select.value = selected || "0";
}

/** FLIP: each row whose place in the list changed starts where it was and slides to where it is now. */
function slideMovedRows(rows: Map<string, HTMLTableRowElement>, body: HTMLTableSectionElement, before: Map<string, { index: number; top: number }>): void {
  const order = [...body.children];
  for (const [id, element] of rows) {
    const was = before.get(id);
    if (!was || was.index === order.indexOf(element)) continue;
    const shift = was.top - element.getBoundingClientRect().top;
    element.animate([{ transform: `translateY(${shift}px)` }, { transform: "translateY(0)" }], { duration: 600, easing: "ease-out" });
    element.classList.add("moved");
    setTimeout(() => element.classList.remove("moved"), 1500);
  }
}
