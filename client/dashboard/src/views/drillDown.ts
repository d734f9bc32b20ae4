// One account, live over WatchAccount: window revenue, rank and share; profile; hierarchy (parent
// and children, each a link); opportunities with their buying centre; red flags and missing intel;
// contacts, with their personal profiles only when the caller may see them (the API withholds them
// otherwise, and the panel says so); recent activities. Each message of the stream re-reads the
// lists it summarises (at most once a second).
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Api } from "../api";
import { describeError } from "../api";
import { AccountKind, IntelCategory, StrategicTier, type Account, type AccountEvent } from "../gen/actorcrm/v1/accounts_pb";
import { AbcClass } from "../gen/actorcrm/v1/common_pb";
import { ContactLevel, RelationshipStrength, type Contact } from "../gen/actorcrm/v1/contacts_pb";
import { BuyingRole, OpportunityStatus, Stage, Stance, type Activity, type Opportunity } from "../gen/actorcrm/v1/opportunities_pb";
import type { AccountRank } from "../gen/actorcrm/v1/ranking_pb";
import { dateTime, html, integer, money, percent } from "../format";
import { t } from "../i18n";
import { keepStreaming, throttle, type StreamStatus } from "../live";

/** What the panel shows besides the streamed account; each part is loaded on its own and may fail on its own. */
type Details = {
  rank?: Settled<AccountRank>;
  parent?: Settled<Account | null>;
  children?: Settled<Account[]>;
  opportunities?: Settled<Opportunity[]>;
  activities?: Settled<Activity[]>;
  contacts?: Settled<Contact[]>;
};
type Settled<T> = { value: T } | { error: string };

const recentActivityCount = 8;

export class DrillDown {
  private stopStream?: () => void;
  private accountId = "";
  private latest?: AccountEvent;
  private details: Details = {};
  private status: StreamStatus = "connecting";
  private streamError = "";
  /** The reporting currency (the ranking's); WatchAccount amounts carry none. */
  currency = "CNY";

  constructor(private readonly panel: HTMLElement, private readonly api: Api) {
    panel.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      if (target.closest("[data-close]")) this.close();
      const link = target.closest<HTMLElement>("[data-open-account]");
      if (link) this.open(link.dataset.openAccount!);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) this.close();
    });
  }

  open(accountId: string): void {
    this.stopStream?.();
    this.accountId = accountId;
    this.latest = undefined;
    this.details = {};
    this.streamError = "";
    this.panel.hidden = false;
    this.render();
    const reloadDetails = throttle(() => void this.loadDetails(accountId), 1000);
    this.stopStream = keepStreaming(
      (signal) => this.api.accounts.watchAccount({ accountId, includeContacts: true }, { signal }),
      (event) => {
        this.latest = event;
        this.render();
        reloadDetails();
      },
      (status, error) => {
        this.status = status;
        this.streamError = error ? describeError(error) : "";
        this.render();
      },
    );
  }

  close(): void {
    this.stopStream?.();
    this.stopStream = undefined;
    this.panel.hidden = true;
    this.panel.innerHTML = "";
  }

  relabel(): void {
    if (!this.panel.hidden) this.render();
  }

  private async loadDetails(accountId: string): Promise<void> {
    const account = this.latest?.account;
    const parentId = account?.parentAccountId;
    const [rank, parent, children, opportunities, activities, contacts] = await Promise.all([
      settle(this.api.ranking.getAccountRank({ accountId })),
      settle(parentId
        ? this.api.accounts.getAccount({ accountId: parentId, readMask: create(FieldMaskSchema, { paths: ["account_id", "display_name"] }) })
        : Promise.resolve(null)),
      settle(this.api.accounts.listAccounts({ parentAccountId: accountId, pageSize: 200 }).then((r) => r.accounts)),
      settle(this.api.opportunities.listOpportunities({ accountId, pageSize: 200 }).then((r) => r.opportunities)),
      settle(this.api.opportunities.listActivities({ accountId, pageSize: 1000 }).then((r) => newestFirst(r.activities).slice(0, recentActivityCount))),
      settle(this.api.contacts.listContacts({ accountId, pageSize: 1000 }).then((r) => r.contacts)),
    ]);
    if (accountId !== this.accountId) return; // another account was opened meanwhile
    this.details = { rank, parent, children, opportunities, activities, contacts };
    this.render();
  }

  private render(): void {
    const event = this.latest;
    const account = event?.account;
    const currency = this.currency;
    const statusText = this.streamError || t(`live.${this.status}`);
    this.panel.innerHTML = `
      <div class="drill-heading">
        <div>
          <h2 class="account-name">${html(account?.displayName ?? this.accountId)}</h2>
          <div class="muted">${html(this.accountId)} · <span class="live-status ${this.status}">${html(statusText)}</span></div>
        </div>
        <button type="button" data-close aria-label="${html(t("drill.close"))}">×</button>
      </div>
      ${event && !account ? `<p class="error">${html(t("drill.deleted"))}</p>` : ""}
      ${account && event ? `
        ${this.revenueSection(account, event, currency)}
        ${this.profileSection(account, currency)}
        ${this.hierarchySection(account)}
        ${this.opportunitiesSection(currency)}
        ${this.intelSection(account)}
        ${this.contactsSection()}
        ${this.activitiesSection()}` : ""}`;
  }

  private revenueSection(account: Account, event: AccountEvent, currency: string): string {
    const rank = this.details.rank;
    const ranked = rank && "value" in rank ? rank.value : undefined;
    return section("revenue", t("drill.revenue"), `
      <dl class="facts">
        ${fact(t("drill.windowRevenue"), `<span data-field="window-revenue" data-value="${event.revenueWindowTotalMinor}">${html(money(event.revenueWindowTotalMinor, currency))}</span>`)}
        ${fact(t("drill.rank"), ranked ? (ranked.rank ? `#${ranked.rank} · ${percent(ranked.share, 2)} · ${ranked.abcClass ? AbcClass[ranked.abcClass] : "–"}` : t("drill.unranked")) : failed(rank))}
        ${fact(t("drill.openPipeline"), `${html(money(event.openPipelineMinor, currency))} (${event.openOpportunityCount})`)}
        ${fact(t("drill.shareOfWallet"), shareOfWallet(account))}
      </dl>`);
  }

  private profileSection(account: Account, currency: string): string {
    const org = account.organisationProfile;
    const insights = account.insights;
    return section("profile", t("drill.profile"), `
      <dl class="facts">
        ${fact(t("drill.tier"), html(t(`tier.${StrategicTier[account.tier]}`)))}
        ${fact(t("drill.kind"), html(t(`kind.${AccountKind[account.kind]}`)))}
        ${fact(t("drill.industry"), html(account.industry || "–"))}
        ${fact(t("drill.region"), html(account.region || "–"))}
        ${fact(t("drill.owner"), html(account.owner || "–"))}
        ${fact(t("drill.employees"), org?.employeeCount ? integer(org.employeeCount) : "–")}
        ${fact(t("drill.yearlyVolume"), org?.yearlyPurchaseVolumeMinor ? html(money(org.yearlyPurchaseVolumeMinor, currency)) : "–")}
        ${fact(t("drill.coverage"), insights ? `${percent(insights.overallCoverage, 0)} <span class="muted">(${[
          [t("intel.ORGANISATION"), insights.organisationCoverage], [t("intel.COMPETITORS"), insights.competitorCoverage],
          [t("intel.PROJECTS"), insights.projectCoverage], [t("intel.PEOPLE"), insights.peopleCoverage],
        ].map(([name, share]) => `${html(name as string)} ${percent(share as number, 0)}`).join(" · ")})</span>` : "–")}
        ${fact(t("drill.competitors"), html(account.competitors.map((c) => c.competitor).join("、") || "–"))}
      </dl>`);
  }

  private hierarchySection(account: Account): string {
    const parent = this.details.parent;
    const children = this.details.children;
    const parentText = !account.parentAccountId ? t("drill.topLevel")
      : parent && "value" in parent && parent.value ? accountLink(parent.value.accountId, parent.value.displayName)
      : parent && "error" in parent ? failed(parent) : accountLink(account.parentAccountId, account.parentAccountId);
    const childrenText = !children ? "…" : "error" in children ? failed(children)
      : children.value.length === 0 ? t("drill.none")
      : `<ul class="links">${children.value.map((child) => `<li>${accountLink(child.accountId, child.displayName)}</li>`).join("")}</ul>`;
    return section("hierarchy", t("drill.hierarchy"), `
      <dl class="facts">${fact(t("drill.parent"), parentText)}${fact(t("drill.children"), childrenText)}</dl>`);
  }

  private opportunitiesSection(currency: string): string {
    const opportunities = this.details.opportunities;
    const names = this.contactNames();
    const body = !opportunities ? "…" : "error" in opportunities ? failed(opportunities)
      : opportunities.value.length === 0 ? `<p class="muted">${html(t("drill.none"))}</p>`
      : opportunities.value.map((o) => `
        <div class="opportunity">
          <div><strong>${html(o.name)}</strong> <span class="muted">${html(t(`stage.${Stage[o.stage]}`))} · ${html(t(`status.${OpportunityStatus[o.status]}`))} · ${html(money(o.amountMinor, o.currencyCode || currency))} · ${o.probabilityPercent}%</span></div>
          ${o.buyingCentre.length ? `<ul class="buying-centre">${o.buyingCentre.map((m) => `
            <li>${html(names.get(m.contactId) ?? m.contactId)} — ${html(t(`role.${BuyingRole[m.role]}`))}
              <span class="stance stance-${Stance[m.stance]}">${html(t(`stance.${Stance[m.stance]}`))}</span></li>`).join("")}</ul>`
            : `<p class="muted">${html(t("drill.noBuyingCentre"))}</p>`}
        </div>`).join("");
    return section("opportunities", t("drill.opportunities"), body);
  }

  private intelSection(account: Account): string {
    const insights = account.insights;
    if (!insights) return "";
    const flags = insights.redFlags.length
      ? `<ul class="red-flags">${insights.redFlags.map((f) => `<li><span class="flag">${html(t(`flag.${f.code}`, {}, f.message))}</span> <span class="muted">${html(f.opportunityId)}</span></li>`).join("")}</ul>`
      : `<p class="muted">${html(t("drill.noRedFlags"))}</p>`;
    const byCategory = new Map<IntelCategory, string[]>();
    for (const item of insights.missing) {
      // Chinese by its code when the dictionary has it (the server's message is English); the subject names what it is about.
      const text = `${t(`missing.${item.code}`, {}, item.message)}${item.subject ? ` (${item.subject})` : ""}`;
      byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), text]);
    }
    const missing = insights.missing.length
      ? [...byCategory].map(([category, items]) => `
          <details><summary>${html(t(`intel.${IntelCategory[category]}`))}: ${items.length}</summary>
          <ul>${items.map((item) => `<li>${html(item)}</li>`).join("")}</ul></details>`).join("")
      : `<p class="muted">${html(t("drill.nothingMissing"))}</p>`;
    return section("intel", t("drill.intel"), `<h4>${html(t("drill.redFlags"))}</h4>${flags}<h4>${html(t("drill.missing"))}</h4>${missing}`);
  }

  private contactsSection(): string {
    const contacts = this.details.contacts;
    const body = !contacts ? "…" : "error" in contacts ? failed(contacts)
      : contacts.value.length === 0 ? `<p class="muted">${html(t("drill.none"))}</p>`
      : contacts.value.map((c) => `
        <div class="contact" data-contact-id="${html(c.contactId)}">
          <div><strong>${html(c.displayName)}</strong> <span class="muted">${html(c.title)} · ${html(t(`level.${ContactLevel[c.level]}`))} · ${html(t(`relationship.${RelationshipStrength[c.relationshipStrength]}`))}</span></div>
          ${personalProfile(c)}
        </div>`).join("");
    return section("contacts", t("drill.contacts"), body);
  }

  private activitiesSection(): string {
    const activities = this.details.activities;
    const body = !activities ? "…" : "error" in activities ? failed(activities)
      : activities.value.length === 0 ? `<p class="muted">${html(t("drill.none"))}</p>`
      : `<ul class="activities">${activities.value.map((a) => `
          <li><span class="muted">${a.occurredAt ? html(dateTime(timestampDate(a.occurredAt))) : ""}</span> ${html(a.type)} — ${html(a.subject)}</li>`).join("")}</ul>`;
    return section("activities", t("drill.activities"), body);
  }

  private contactNames(): Map<string, string> {
    const names = new Map((this.latest?.contacts ?? []).map((c) => [c.contactId, c.displayName] as [string, string]));
    const contacts = this.details.contacts;
    if (contacts && "value" in contacts) for (const c of contacts.value) names.set(c.contactId, c.displayName);
    return names;
  }
}

function personalProfile(contact: Contact): string {
  if (contact.personalProfileWithheld) return `<p class="muted withheld" data-profile="withheld">${html(t("drill.profileWithheld"))}</p>`;
  const p = contact.personalProfile;
  if (!p) return `<p class="muted" data-profile="none">${html(t("drill.noProfile"))}</p>`;
  const items: [string, string][] = [
    ["hometown", p.hometown], ["university", p.university], ["family", p.family],
    ["books", p.favouriteBooks.join("、")], ["sports", p.sports.join("、")], ["restaurants", p.favouriteRestaurants.join("、")],
    ["food", p.favouriteFood.join("、")], ["lastVacation", p.lastVacation], ["nextVacation", p.nextVacationPlan], ["notes", p.notes],
  ];
  return `<dl class="facts personal-profile" data-profile="shown">${items.filter(([, value]) => value)
    .map(([key, value]) => fact(t(`profile.${key}`), html(value))).join("")}</dl>`;
}

/** The account's share of wallet, and over the accounts below it when that differs; "unknown" without a yearly purchase volume. */
function shareOfWallet(account: Account): string {
  const own = account.insights?.shareOfWallet;
  const subtree = account.insights?.subtreeShareOfWallet;
  const ownText = own === undefined ? t("drill.volumeUnknown") : percent(own);
  const subtreeText = subtree !== undefined && subtree !== own ? ` · ${t("drill.withSubAccounts")} ${percent(subtree)}` : "";
  return `<span data-field="share-of-wallet" data-value="${own ?? ""}">${html(ownText + subtreeText)}</span>`;
}

function section(id: string, title: string, body: string): string {
  return `<section class="drill-section" data-section="${id}"><h3>${html(title)}</h3>${body}</section>`;
}

function fact(label: string, valueHtml: string): string {
  return `<dt>${html(label)}</dt><dd>${valueHtml}</dd>`;
}

function accountLink(accountId: string, name: string): string {
  return `<a href="#" data-open-account="${html(accountId)}">${html(name)}</a>`;
}

function failed(settled: Settled<unknown> | undefined): string {
  return settled && "error" in settled ? `<span class="error">${html(settled.error)}</span>` : "…";
}

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: describeError(error) };
  }
}

function newestFirst(activities: Activity[]): Activity[] {
  const time = (a: Activity) => (a.occurredAt ? Number(a.occurredAt.seconds) : 0);
  return [...activities].sort((a, b) => time(b) - time(a));
}
