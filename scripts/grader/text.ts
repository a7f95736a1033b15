/**
 * Untrusted text (anything a submission controls: error messages, printed output, thrown values,
 * export names) made safe for each format: truncated to a stated length everywhere, terminal control
 * sequences stripped, and escaped for HTML and XML.
 */

import { escapeHtml, truncate } from "../lib/text.ts";

export { escapeHtml };

/** The longest untrusted text any report shows (characters). */
export const MESSAGE_LIMIT = 2000;

/** Remove ANSI/VT escape sequences and other control characters (keeps newline and tab). */
export function stripControl(s: string): string {
  return s
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, "")
    .replace(/\u001b[@-_]/g, "")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "");
}

/** Plain, bounded text: control characters gone, length capped. The base of every format. */
export function clean(s: unknown, limit = MESSAGE_LIMIT): string {
  // any thrown or printed value, shown as String shows it ("[object Object]" included)
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return truncate(stripControl(String(s ?? "")), limit);
}

/** XML 1.0 text: escaped, and characters XML forbids removed. */
export function escapeXml(s: string): string {
  return escapeHtml(s).replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "");
}
