// Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core.
import { chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser() {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/** A fresh page (its own session and local storage) in the given UI language. */
export async function newPage(browser, { language = "en", width = 1600, height = 1000 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: language === "zh" ? "zh-CN" : "en-US" });
  return context.newPage();
}
