/** Small HTML helpers shared by the site's pages. */
import { escapeHtml } from "../lib/text.ts";

/** Escape any value's text for HTML content and attribute values. */
export function esc(s: unknown): string {
  return escapeHtml(String(s));
}

/** The text of escaped HTML: the five entities `esc` writes, turned back (&amp; last, so "&amp;lt;" stays "&lt;"). */
export function unescapeHtml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** An anchor id from a tag: "eq 12" → "eq-12", "erratum max-in-q" → "erratum-max-in-q". */
export function tagId(tag: string): string {
  return tag.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/\./g, "_");
}

/** A number for people: 1e-9 → "1.0e-9", 0.01234 → "0.0123", 12345 → "12,345". */
export function fmt(x: number | undefined): string {
  if (x === undefined || x === null) return "—";
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString("en-US");
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(1);
  return x.toPrecision(3);
}

/** Seconds or milliseconds for a duration given in ms. */
export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A value as JSON to place inside <script type="application/json">: no "<", so no "</script>" can end it early. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c");
}
