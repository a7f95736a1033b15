/** Text helpers shared by the site and the grader's reports: HTML escaping and capped length. */

/** Text safe in HTML content and in quoted attribute values: & < > " ' escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** s cut to its first `limit` characters, with a note of how many were cut. */
export function truncate(s: string, limit: number): string {
  return s.length <= limit ? s : `${s.slice(0, limit)}… [${s.length - limit} characters cut]`;
}

/** s in at most `width` characters: its first width − 1 and "…" when it is longer (for one-line listings). */
export function ellipsize(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
}
