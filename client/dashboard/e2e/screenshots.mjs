// `npm run screenshots`: the main views against a real silo with the demo book, written to
// docs/img/ (shown in the README): the overview in English and in Chinese, an account's
// drill-down (its top and its contacts with personal profiles), and the what-if panel.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, newPage } from "./browser.mjs";
import { adminKey, pageUrl, startSilo } from "./silo.mjs";

const images = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "img");
mkdirSync(images, { recursive: true });

const silo = await startSilo();
const browser = await launchBrowser();
try {
  for (const language of ["en", "zh"]) {
    const page = await newPage(browser, { language, width: 1600, height: 1150 });
    await page.goto(`${pageUrl}#api-key=${adminKey}`);
    await page.waitForSelector('#live-status[data-status="live"]');
    await page.waitForTimeout(1000); // charts finish their animation
    await page.screenshot({ path: join(images, `dashboard-overview-${language}.png`) });
    if (language === "zh") continue;

    await page.click("#top-table tbody tr:first-child");
    await page.waitForSelector("#drill-down [data-section=contacts] .contact");
    await page.screenshot({ path: join(images, "dashboard-drill-down.png") });
    await page.$eval("#drill-down [data-section=contacts]", (section) => section.scrollIntoView());
    await page.screenshot({ path: join(images, "dashboard-drill-down-contacts.png") });
    await page.click("#drill-down [data-close]");

    for (const row of (await page.$$(".what-if-accounts tbody tr")).slice(0, 2)) await row.$eval("input[type=checkbox]", (box) => box.click());
    await page.click(".what-if button[type=submit]");
    await page.waitForSelector(".what-if-figures");
    await (await page.$("#what-if")).screenshot({ path: join(images, "dashboard-what-if.png") });
  }
  console.log(`screenshots written to ${images}`);
} finally {
  await browser.close();
  await silo.stop();
}
