// End-to-end: the dashboard in headless Chromium against a real silo with the demo book.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { RankingScope } from "../src/gen/actorcrm/v1/ranking_pb.js";
import { RevenueEventSchema } from "../src/gen/actorcrm/v1/revenue_pb.js";
import { launchBrowser, newPage } from "./browser.mjs";
import { accountsOnlyServiceKey, adminKey, analystKey, managerKey, pageUrl, startSilo, waitUntil } from "./silo.mjs";

let silo;
let browser;

before(async () => {
  silo = await startSilo();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await silo?.stop();
});

/** Signs in through the sign-in form, as a person would. */
async function signIn(page, key) {
  await page.goto(pageUrl);
  await page.fill("#credential-secret", key);
  await page.click("#sign-in-form button[type=submit]");
}

const tileValue = (page, id) => page.getAttribute(`[data-kpi="${id}"]`, "data-value");

async function assertTilesShow(page, scope) {
  // The figures are stable (no revenue arrives meanwhile), so the tiles must equal a fresh reading.
  await waitUntil(async () => (await tileValue(page, "account-count")) !== null, 10_000);
  const expected = await silo.admin.ranking.getConcentration({ scope });
  assert.equal(await tileValue(page, "pareto-share"), String(expected.paretoShare));
  assert.equal(await tileValue(page, "hhi"), String(expected.hhi));
  assert.equal(await tileValue(page, "gini"), String(expected.gini));
  assert.equal(await tileValue(page, "account-count"), String(expected.accountCount));
  assert.equal(await tileValue(page, "window-revenue"), expected.totalRevenueDecimal);
  assert.equal(await page.textContent('[data-kpi="pareto-share"] .kpi-value'), `${(expected.paretoShare * 100).toFixed(1)}%`);
}

test("a wrong key is refused with a plain message", async () => {
  const page = await newPage(browser);
  await signIn(page, "not-a-key-of-this-silo");
  await page.waitForSelector("#sign-in-error:not([hidden])");
  assert.match(await page.textContent("#sign-in-error"), /not accepted/);
  assert.equal(await page.isVisible("#dashboard"), false);
  await page.context().close();
});

test("signs in with an API key and shows the KPIs GetConcentration answers, in both scopes", async () => {
  const page = await newPage(browser);
  await signIn(page, adminKey);
  await page.waitForSelector("#dashboard:not([hidden])");
  await assertTilesShow(page, RankingScope.ACCOUNT);
  await page.waitForSelector('#live-status[data-status="live"]');
  assert.ok((await page.$$("#top-table tbody tr")).length > 10, "the top table lists the ranked accounts");

  await page.selectOption("#scope", "group");
  await waitUntil(async () => (await tileValue(page, "account-count")) === String((await silo.admin.ranking.getConcentration({ scope: RankingScope.GROUP })).accountCount), 5000);
  await assertTilesShow(page, RankingScope.GROUP);
  await page.context().close();
});

test("a key that may not read the aggregates is told so plainly", async () => {
  const page = await newPage(browser);
  await signIn(page, accountsOnlyServiceKey);
  await page.waitForSelector("#sign-in-error:not([hidden])");
  assert.match(await page.textContent("#sign-in-error"), /may not see/);
  await page.context().close();
});

test("signs in with a bearer token too", async () => {
  const page = await newPage(browser);
  await page.goto(pageUrl);
  await page.selectOption("#credential-kind", "bearer");
  await page.fill("#credential-secret", adminKey); // an API key is a valid bearer token
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector('#live-status[data-status="live"]');
  await page.context().close();
});

test("an account manager's top table holds only the accounts the API shows them, at their global ranks", async () => {
  const expected = (await silo.manager.ranking.listTopAccounts({ pageSize: 100 })).rows;
  const all = (await silo.admin.ranking.listTopAccounts({ pageSize: 100 })).rows;
  assert.ok(expected.length > 0 && expected.length < all.length, "the manager sees some accounts, not all");

  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${managerKey}`);
  await page.waitForSelector("#top-table tbody tr");
  const shown = await page.$$eval("#top-table tbody tr", (rows) => rows.map((row) => [row.dataset.accountId, row.dataset.rank]));
  assert.deepEqual(shown, expected.map((row) => [row.accountId, String(row.rank)]));
  await page.context().close();
});

test("the top table filters by strategic tier and by ABC class to exactly the API's rows of that tier or class", async () => {
  const all = (await silo.admin.ranking.listTopAccounts({ pageSize: 100 })).rows;
  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.waitForSelector("#top-table tbody tr");
  const shownIds = () => page.$$eval("#top-table tbody tr", (rows) => rows.map((row) => row.dataset.accountId));

  const tier = all[0].tier; // the largest account's tier: some rows have it, and (in the demo book) not all
  await page.selectOption("#tier-filter", String(tier));
  const ofTier = all.filter((row) => row.tier === tier).map((row) => row.accountId);
  assert.ok(ofTier.length > 0 && ofTier.length < all.length);
  await waitUntil(async () => JSON.stringify(await shownIds()) === JSON.stringify(ofTier), 2000);

  await page.selectOption("#tier-filter", "0");
  const abc = all.at(-1).abcClass; // the smallest row's class (not A)
  await page.selectOption("#class-filter", String(abc));
  const ofClass = all.filter((row) => row.abcClass === abc).map((row) => row.accountId);
  assert.ok(ofClass.length > 0 && ofClass.length < all.length);
  await waitUntil(async () => JSON.stringify(await shownIds()) === JSON.stringify(ofClass), 2000);
  await page.context().close();
});

test("a sign-in link signs in and leaves no key in the address bar", async () => {
  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.waitForSelector("#dashboard:not([hidden])");
  assert.equal(page.url(), pageUrl);
  await page.context().close();
});

test("revenue recorded through gRPC moves the KPI tile and the top table within 2 s, without a reload", async (t) => {
  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.waitForSelector('#live-status[data-status="live"]');
  await page.waitForSelector("#top-table tbody tr");
  await page.evaluate(() => (window.loadedOnce = true)); // gone if the page reloads

  const top = (await silo.admin.ranking.listTopAccounts({ pageSize: 10 })).rows;
  const climber = top[9]; // rank 10 jumps to rank 1
  const amount = top[0].revenueMinor - climber.revenueMinor + 100_000_00n;
  const totalBefore = BigInt(await tileValue(page, "window-revenue"));

  const started = Date.now();
  const reply = await silo.admin.revenue.recordRevenue({
    events: [create(RevenueEventSchema, { eventId: `e2e-${started}`, accountId: climber.accountId, amountMinor: amount, currencyCode: "CNY", occurredAt: timestampNow() })],
  });
  assert.equal(reply.results[0].status, 1, `the event was accepted: ${reply.results[0].message}`);

  await page.waitForFunction(
    ([expectedTotal, accountId]) =>
      document.querySelector('[data-kpi="window-revenue"]')?.getAttribute("data-value") === expectedTotal
      && document.querySelector("#top-table tbody tr")?.getAttribute("data-account-id") === accountId,
    [String(totalBefore + amount), climber.accountId],
    { timeout: 2000, polling: 50 },
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed <= 2000, `updated after ${elapsed} ms`);
  t.diagnostic(`the page showed the new figures ${elapsed} ms after RecordRevenue was sent`);
  assert.equal(await page.getAttribute("#top-table tbody tr:first-child", "data-rank"), "1");
  assert.equal(await page.evaluate(() => window.loadedOnce), true, "the page did not reload");
  await page.context().close();
});

async function openDrillDown(page, key, accountId) {
  await page.goto(`${pageUrl}#api-key=${key}`);
  await page.click(`#top-table tbody tr[data-account-id="${accountId}"]`);
  await page.waitForSelector("#drill-down [data-section=contacts] .contact");
  return page.$$eval("#drill-down [data-profile]", (items) => items.map((item) => item.getAttribute("data-profile")));
}

test("an analyst sees no personal profile in the drill-down; an admin does", async () => {
  // The largest account has contacts with personal profiles in the demo book.
  const [largest] = (await silo.admin.ranking.listTopAccounts({ pageSize: 1 })).rows;
  const contacts = (await silo.admin.contacts.listContacts({ accountId: largest.accountId })).contacts;
  assert.ok(contacts.some((c) => c.personalProfile), "the account has personal profiles to hide");

  const analystPage = await newPage(browser);
  const analystSees = await openDrillDown(analystPage, analystKey, largest.accountId);
  assert.equal(analystSees.length, contacts.length);
  assert.ok(analystSees.every((profile) => profile === "withheld"), `analyst sees ${analystSees}`);
  assert.equal(await analystPage.$("#drill-down .personal-profile"), null);
  await analystPage.context().close();

  const adminPage = await newPage(browser);
  const adminSees = await openDrillDown(adminPage, adminKey, largest.accountId);
  assert.ok(adminSees.includes("shown"), `admin sees ${adminSees}`);
  assert.ok(!adminSees.includes("withheld"));
  await adminPage.context().close();
});

test("the drill-down follows the account live", async () => {
  const page = await newPage(browser);
  const [account] = (await silo.admin.ranking.listTopAccounts({ pageSize: 1 })).rows;
  await openDrillDown(page, adminKey, account.accountId);
  const before = BigInt(await page.getAttribute('#drill-down [data-field="window-revenue"]', "data-value"));
  await silo.admin.revenue.recordRevenue({
    events: [create(RevenueEventSchema, { eventId: `e2e-drill-${Date.now()}`, accountId: account.accountId, amountMinor: 12_345_00n, currencyCode: "CNY", occurredAt: timestampNow() })],
  });
  await page.waitForSelector(`#drill-down [data-field="window-revenue"][data-value="${before + 12_345_00n}"]`, { timeout: 2000 });
  // Its share of wallet moves with it: window revenue ÷ yearly purchase volume (the demo's 365-day window).
  const volume = Number((await silo.admin.accounts.getAccount({ accountId: account.accountId })).organisationProfile.yearlyPurchaseVolumeMinor);
  assert.ok(volume > 0, "the top account of the demo book has a purchase volume");
  const expectedShare = Number(before + 12_345_00n) / volume;
  await waitUntil(async () =>
    Math.abs(Number(await page.getAttribute('#drill-down [data-field="share-of-wallet"]', "data-value")) - expectedShare) < 1e-9, 2000);
  await page.context().close();
});

test("missing intel reads in the UI's language: the server's message in English, by its code in Chinese", async () => {
  // The account with the most missing items among the top rows, so many codes are exercised.
  const rows = (await silo.admin.ranking.listTopAccounts({ pageSize: 20 })).rows;
  const accounts = await Promise.all(rows.map((row) => silo.admin.accounts.getAccount({ accountId: row.accountId })));
  const account = accounts.reduce((most, a) => (a.insights.missing.length > most.insights.missing.length ? a : most));
  assert.ok(account.insights.missing.length > 0);

  const page = await newPage(browser, { language: "en" });
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.click(`#top-table tbody tr[data-account-id="${account.accountId}"]`);
  const items = () => page.$$eval("#drill-down [data-section=intel] details li", (lis) => lis.map((li) => li.textContent));
  await waitUntil(async () => (await items()).length === account.insights.missing.length, 5000);
  await waitUntil(async () => (await items()).includes(`${account.insights.missing[0].message} (${account.insights.missing[0].subject})`), 2000);

  // Switch language (the panel covers the header: close it first), then open the account again.
  await page.click("#drill-down [data-close]");
  await page.click("#language");
  await page.click(`#top-table tbody tr[data-account-id="${account.accountId}"]`);
  // Every item in Chinese (a code without a translation would show the English message).
  await waitUntil(async () => (await items()).length === account.insights.missing.length && (await items()).every((text) =>
    /^[\u4e00-\u9fff]/.test(text) && !account.insights.missing.some((item) => text.startsWith(item.message))), 2000);
  await page.context().close();
});

test("what-if shows the figures WhatIf answers", async () => {
  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  const first = await page.waitForSelector(".what-if-accounts tbody tr");
  const accountId = await first.getAttribute("data-account-id");
  await first.$eval("input[type=checkbox]", (box) => box.click());
  await page.click(".what-if button[type=submit]");
  await page.waitForSelector('.what-if-figures [data-figure="pareto-share"]');
  const expected = await silo.admin.ranking.whatIf({ removeAccountIds: [accountId] });
  assert.equal(await page.getAttribute('.what-if-figures [data-figure="pareto-share"]', "data-value"), String(expected.paretoShare));
  assert.equal(await page.getAttribute('.what-if-figures [data-figure="account-count"]', "data-value"), String(expected.accountCount));
  await page.context().close();
});

test("the language switch turns the UI from English to Chinese and back", async () => {
  const page = await newPage(browser, { language: "en" });
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.waitForSelector('[data-kpi="pareto-share"]');
  assert.equal(await page.textContent("h1"), "Key accounts · 80/20 live");
  assert.match(await page.textContent('[data-kpi="pareto-share"] .kpi-label'), /Top 20% share/);

  await page.click("#language");
  assert.equal(await page.textContent("h1"), "大客户 · 80/20 实时看板");
  assert.match(await page.textContent('[data-kpi="pareto-share"] .kpi-label'), /前 20% 客户占比/);
  assert.equal(await page.textContent("#top-table thead th.revenue"), "窗口期收入");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");

  await page.reload(); // the choice is remembered
  await page.waitForSelector("h1");
  assert.equal(await page.textContent("h1"), "大客户 · 80/20 实时看板");
  await page.click("#language");
  assert.equal(await page.textContent("h1"), "Key accounts · 80/20 live");
  await page.context().close();
});

// Last: it changes the figures for good.
test("a threshold crossing raises an alert and flags its tile", async () => {
  const page = await newPage(browser);
  await page.goto(`${pageUrl}#api-key=${adminKey}`);
  await page.waitForSelector('#live-status[data-status="live"]');
  const before = await silo.admin.ranking.getConcentration({});
  assert.ok(before.hhi < 0.1, `HHI starts below its threshold 0.10 (${before.hhi})`);
  assert.equal(await page.$('[data-kpi="hhi"].alerting'), null);

  // One account doubles the window total on its own: its share alone puts HHI above 0.25.
  const [largest] = (await silo.admin.ranking.listTopAccounts({ pageSize: 1 })).rows;
  await silo.admin.revenue.recordRevenue({
    events: [create(RevenueEventSchema, { eventId: `e2e-alert-${Date.now()}`, accountId: largest.accountId, amountMinor: before.totalRevenueMinor, currencyCode: "CNY", occurredAt: timestampNow() })],
  });
  await page.waitForSelector('[data-kpi="hhi"].alerting .kpi-alert', { timeout: 2000 });
  await page.waitForSelector("#alerts .alert.rising", { timeout: 2000 });
  assert.match(await page.textContent("#alerts .alert.rising"), /HHI rose to/);
  await page.context().close();
});
