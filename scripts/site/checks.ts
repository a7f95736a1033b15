/**
 * Checks as the site shows them: the status of a claim (all its checks), the badge at a mark, and the
 * details of one check (kind, design, seed, replay command, links to the spec and the implementation).
 */
import type { TestResult } from "../lib/run-specs.ts";
import { esc, fmt, fmtMs, tagId } from "./html.ts";

export type Status = "held" | "failed" | "skipped";

/** Where a check's spec and the functions it exercises live on the site (relative hrefs). */
export interface Links {
  spec(file: string, line?: number): string | undefined;
  fn(name: string): { href: string; where: string } | undefined;
}

/** A claim held when every check ran and passed; failed when any check failed; else skipped. */
export function statusOf(checks: TestResult[]): Status {
  if (checks.some((t) => t.status === "failed")) return "failed";
  if (checks.length > 0 && checks.every((t) => t.status === "passed")) return "held";
  return "skipped";
}

/** Every tag with the checks that carry it. */
export function byTag(tests: TestResult[]): Map<string, TestResult[]> {
  const m = new Map<string, TestResult[]>();
  for (const t of tests) for (const tag of t.tags) m.set(tag, [...(m.get(tag) ?? []), t]);
  return m;
}

/** Sort order of tags: eq, fig, sec, erratum; numerically within a kind. */
export function compareTags(a: string, b: string): number {
  const key = (tag: string) => {
    const [kind, ...rest] = tag.split(" ");
    const r = rest.join(" ");
    return [["eq", "fig", "sec", "erratum"].indexOf(kind), r.split(".").map(Number)] as const;
  };
  const [ka, ra] = key(a);
  const [kb, rb] = key(b);
  if (ka !== kb) return ka - kb;
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const x = ra[i] ?? -1;
    const y = rb[i] ?? -1;
    if (Number.isNaN(x) || Number.isNaN(y)) return a.localeCompare(b);
    if (x !== y) return x - y;
  }
  return a.localeCompare(b);
}

const KIND_LABEL: Record<string, string> = { exact: "exact", property: "property", "monte-carlo": "Monte Carlo" };

export function kindLabel(t: TestResult): string {
  return KIND_LABEL[t.meta?.kind ?? ""] ?? "unrecorded";
}

const STATUS_LABEL: Record<string, string> = { passed: "held", failed: "FAILED", skipped: "not attempted", pending: "pending", todo: "todo" };

function row(k: string, v: string): string {
  return `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
}

/** The details of one check: what it is, how it was checked, how to replay it, where its code lives. */
export function checkHtml(t: TestResult, links: Links): string {
  const m = t.meta;
  const rows: string[] = [];
  rows.push(row("kind", `${esc(kindLabel(t))}${m?.control ? " · with negative control" : ""} · ${t.tier} tier`));
  if (m?.samples !== undefined) rows.push(row("samples", fmt(m.samples)));
  if (m?.runs !== undefined) rows.push(row("runs", fmt(m.runs)));
  if (m?.alpha !== undefined) rows.push(row("α (false-failure rate)", fmt(m.alpha)));
  if (m?.beta !== undefined) rows.push(row("β (control miss rate)", fmt(m.beta)));
  if (m?.halfWidth !== undefined) rows.push(row("half-width", fmt(m.halfWidth)));
  if (m?.detectable !== undefined) rows.push(row("detectable deviation", fmt(m.detectable)));
  for (const [k, v] of Object.entries(m?.facts ?? {})) rows.push(row(k, esc(typeof v === "number" ? fmt(v) : String(v))));
  rows.push(row("duration", fmtMs(t.duration)));
  if (m?.seed) rows.push(row("seed", `<code>${esc(m.seed)}</code>`));
  const specHref = links.spec(t.file, t.line);
  const specText = `${t.file}${t.line ? `:${t.line}` : ""}`;
  rows.push(row("spec", specHref ? `<a href="${esc(specHref)}">${esc(specText)}</a>` : esc(specText)));
  const fns = (m?.implements ?? []).map((n) => {
    const l = links.fn(n);
    return l ? `<a href="${esc(l.href)}" title="${esc(l.where)}"><code>${esc(n)}</code></a>` : `<code>${esc(n)}</code>`;
  });
  if (fns.length) rows.push(row("implements", fns.join(", ")));
  const replay = m?.replay ?? `npx vitest run ${t.tier === "slow" ? "--config vitest.slow.config.ts " : ""}${t.file}`;
  rows.push(row("replay", `<code class="replay">${esc(replay)}</code>`));
  const fail =
    t.status === "failed" && t.failureMessages.length
      ? `<pre class="failure">${esc(t.failureMessages.join("\n").slice(0, 4000))}</pre>`
      : "";
  return (
    `<div class="check ${esc(t.status)}"><div class="check-title"><span class="pill ${esc(t.status)}">${esc(STATUS_LABEL[t.status] ?? t.status)}</span> ` +
    `${esc(t.fullName)}</div>${fail}<table class="facts">${rows.join("")}</table></div>`
  );
}

const BADGE_TEXT: Record<Status, string> = { held: "✓ held", failed: "✗ FAILED", skipped: "– not attempted" };

/** The badge at a mark: its status and, when opened, the list of its checks. */
export function badgeHtml(tags: string[], checks: TestResult[], links: Links): string {
  const status = statusOf(checks);
  const failed = checks.filter((t) => t.status === "failed").length;
  const count = status === "failed" ? `${failed} of ${checks.length} checks failed` : `${checks.length} check${checks.length === 1 ? "" : "s"}`;
  const kinds = [...new Set(checks.map(kindLabel))].join(", ");
  return (
    `<details class="badge ${status}" data-tags="${esc(tags.join("|"))}"${status === "failed" ? " open" : ""}>` +
    `<summary title="${esc(tags.map((t) => `[${t}]`).join(" "))}: ${esc(kinds)}"><span class="badge-status">${BADGE_TEXT[status]}</span>` +
    `<span class="badge-count">${esc(count)}</span></summary>` +
    `<div class="badge-panel"><div class="badge-tags">${tags.map((t) => `<a href="report.html#${tagId(t)}">[${esc(t)}]</a>`).join(" ")} · ${esc(kinds)}</div>` +
    checks.map((t) => checkHtml(t, links)).join("") +
    `</div></details>`
  );
}
