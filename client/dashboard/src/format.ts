// Numbers as people read them, in the UI language: money in the reporting currency (compact on
// tiles: 1.2亿 / 120M), shares as percentages, indices with three decimals.
import { currentLanguage } from "./i18n";

const locale = () => (currentLanguage() === "zh" ? "zh-CN" : "en-US");

/** Minor units (fen) to a money string; compact for tiles. */
export function money(minor: bigint | number, currency: string, compact = false): string {
  const major = Number(minor) / 100;
  return new Intl.NumberFormat(locale(), {
    style: "currency",
    currency: currency || "CNY",
    notation: compact ? "compact" : "standard",
    maximumFractionDigits: compact ? 2 : 0,
  }).format(major);
}

export function percent(share: number, digits = 1): string {
  return new Intl.NumberFormat(locale(), { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

export function decimal(value: number, digits = 3): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function integer(value: bigint | number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

export function dateTime(date: Date): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Escapes text for innerHTML templates (names and notes come from the API). */
export function html(text: string | number | bigint): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
