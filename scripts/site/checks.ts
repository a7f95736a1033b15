/**
 * Checks as the site shows them: the status of a claim (all its checks), the badge at a mark, and the
 * details of one check (kind, design, seed, replay command, links to the spec and the implementation).
 */
import type { TestResult } from "../lib/run-specs.ts";
import { esc, fmt, fmtMs, tagId } from "./html.ts";

/** A text fact as the report shows it: in full up to 200 characters, else its length (e.g. a recorded θ in base64). */
function longFact(v: string): string {
  return v.length <= 200 ? v : `${v.length.toLocaleString("en-US")} characters (recorded for the figures, not shown)`;
}

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

const STATUS_LABEL: Record<string, string> = {
  passed: "held",
  failed: "FAILED",
  skipped: "not attempted",
  pending: "pending",
  todo: "todo",
};

function row(k: string, v: string): string {
  return `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
}

/** A rate claim of a check, read back from the facts its design recorded (spec/support/stat.ts, recordRate). */
export interface RateClaim {
  label: string;
  direction: "at-least" | "at-most";
  successes: number;
  runs: number;
  p0: number;
  p1: number;
  critical: number;
  /** Set for a negative control: the rate its learner is known to have at most (at least, for "at most"). */
  controlRate?: number;
  /** Negative controls: the exact probability that the control passes. */
  miss?: number;
}

/** The rate claims (and rate controls) of a check, in the order their facts were recorded. */
export function rateClaims(t: TestResult): RateClaim[] {
  const f = t.meta?.facts ?? {};
  const num = (k: string) => (typeof f[k] === "number" ? f[k] : undefined);
  const out: RateClaim[] = [];
  for (const k of Object.keys(f)) {
    const m = /^(.*)\.p1$/.exec(k);
    if (!m) continue;
    const label = m[1];
    const [p0, p1, runs, critical, successes] = ["p0", "p1", "runs", "critical", "successes"].map((x) =>
      num(`${label}.${x}`),
    );
    if (p0 === undefined || p1 === undefined || runs === undefined || critical === undefined || successes === undefined)
      continue;
    out.push({
      label,
      direction: p1 <= p0 ? "at-least" : "at-most",
      successes,
      runs,
      p0,
      p1,
      critical,
      controlRate: num(`${label}.controlRate`),
      miss: num(`${label}.miss`),
    });
  }
  return out;
}

const pct = (p: number, dir: "down" | "up" | "near" = "near") => {
  const r =
    dir === "down" ? Math.floor(p * 1000 + 1e-9) : dir === "up" ? Math.ceil(p * 1000 - 1e-9) : Math.round(p * 1000);
  return `${(r / 10).toFixed(1).replace(/\.0$/, "")}%`;
};

/** 1 − β of a check's rate claims as text ("0.999"). */
function power(t: TestResult): string {
  return String(Number((1 - (t.meta?.powerBeta ?? 1e-3)).toPrecision(6)));
}

/**
 * What a rate claim was verified to do: "fails w.p. ≥ 0.999 at ≤ 80.0%" — the claim "rate ≥ p0" fails
 * with probability at least 1 − β whenever the true rate is at most p1 (at least p1 for "at most"),
 * p1 rounded in the safe direction.
 */
export function powerText(c: RateClaim, t: TestResult): string {
  return c.direction === "at-least"
    ? `fails w.p. ≥ ${power(t)} at ≤ ${pct(c.p1, "down")}`
    : `fails w.p. ≥ ${power(t)} at ≥ ${pct(c.p1, "up")}`;
}

function rateRow(c: RateClaim, t: TestResult): string {
  const sign = c.direction === "at-least" ? "≥" : "≤";
  const seen = `${fmt(c.successes)} of ${fmt(c.runs)} runs; needs ${sign} ${fmt(c.critical)}`;
  if (c.controlRate !== undefined)
    return row(
      `negative control ${c.label}`,
      esc(
        `${seen} to pass; its learner's rate is ${c.direction === "at-least" ? "at most" : "at least"} ${pct(c.controlRate)} exactly, so it passes with probability ${fmt(c.miss)}`,
      ),
    );
  return row(`rate claim ${c.label}`, esc(`rate ${sign} ${pct(c.p0)}: ${seen}; ${powerText(c, t)}`));
}

/**
 * A check's seed, said without repeating what the check already shows: the label is the master seed, the
 * spec file and the check's full name (itself starting with the file), then any labels of its own streams.
 */
export function seedHtml(t: TestResult): string {
  const seed = t.meta?.seed ?? "";
  const master = t.meta?.masterSeed ?? "";
  for (const name of [`${t.file} > ${t.fullName}`, t.fullName]) {
    const own = `${master}/${t.file}/${name}`;
    if (seed !== own && !seed.startsWith(`${own}/`)) continue;
    const rest = seed.slice(own.length + 1);
    return `derived from the master seed <code>${esc(master)}</code>, the spec file and the check's full name${rest ? `, then <code>${esc(rest)}</code>` : ""}`;
  }
  return `<code>${esc(seed)}</code>`;
}

/**
 * The details of one check: what it is, how it was checked, how to replay it, where its code lives.
 * `collapsed`: a <details> showing only the status and title until opened (open when the check failed).
 */
export function checkHtml(t: TestResult, links: Links, collapsed = false): string {
  const m = t.meta;
  const rows: string[] = [];
  rows.push(row("kind", `${esc(kindLabel(t))}${m?.control ? " · with negative control" : ""} · ${t.tier} tier`));
  if (m?.samples !== undefined) rows.push(row("samples", fmt(m.samples)));
  if (m?.runs !== undefined) rows.push(row("runs", fmt(m.runs)));
  if (m?.alpha !== undefined) rows.push(row("α (false-failure rate)", fmt(m.alpha)));
  if (m?.beta !== undefined) rows.push(row("β (control miss rate)", fmt(m.beta)));
  if (m?.halfWidth !== undefined) rows.push(row("half-width", fmt(m.halfWidth)));
  if (m?.detectable !== undefined) rows.push(row("detectable deviation", fmt(m.detectable)));
  for (const c of rateClaims(t)) rows.push(rateRow(c, t));
  for (const [k, v] of Object.entries(m?.facts ?? {}))
    rows.push(row(k, esc(typeof v === "number" ? fmt(v) : longFact(String(v)))));
  rows.push(row("duration", fmtMs(t.duration)));
  if (m?.seed) rows.push(row("seed", seedHtml(t)));
  const specHref = links.spec(t.file, t.line);
  const specText = `${t.file}${t.line ? `:${t.line}` : ""}`;
  rows.push(row("spec", specHref ? `<a href="${esc(specHref)}">${esc(specText)}</a>` : esc(specText)));
  const fns = (m?.implements ?? []).map((n) => {
    const l = links.fn(n);
    return l ? `<a href="${esc(l.href)}" title="${esc(l.where)}"><code>${esc(n)}</code></a>` : `<code>${esc(n)}</code>`;
  });
  if (fns.length) rows.push(row("implements", fns.join(", ")));
  const replay = m?.replay ?? `npx vitest run ${t.tier === "slow" ? "--project slow " : ""}${t.file}`;
  rows.push(row("replay", `<code class="replay">${esc(replay)}</code>`));
  const fail =
    t.status === "failed" && t.failureMessages.length
      ? `<pre class="failure">${esc(t.failureMessages.join("\n").slice(0, 4000))}</pre>`
      : "";
  const title = `<span class="pill ${esc(t.status)}">${esc(STATUS_LABEL[t.status] ?? t.status)}</span> ${esc(t.fullName)}`;
  const facts = `${fail}<table class="facts">${rows.join("")}</table>`;
  if (collapsed)
    return `<details class="check ${esc(t.status)}"${t.status === "failed" ? " open" : ""}><summary class="check-title">${title}</summary>${facts}</details>`;
  return `<div class="check ${esc(t.status)}"><div class="check-title">${title}</div>${facts}</div>`;
}

const BADGE_TEXT: Record<Status, string> = { held: "✓ held", failed: "✗ FAILED", skipped: "– not attempted" };

/** The badge at a mark: its status and, when opened, the list of its checks. */
export function badgeHtml(tags: string[], checks: TestResult[], links: Links): string {
  const status = statusOf(checks);
  const failed = checks.filter((t) => t.status === "failed").length;
  const count =
    status === "failed"
      ? `${failed} of ${checks.length} checks failed`
      : `${checks.length} check${checks.length === 1 ? "" : "s"}`;
  const kinds = [...new Set(checks.map(kindLabel))].join(", ");
  // the power of every rate claim behind the mark, on the badge itself
  const powers = checks.flatMap((t) =>
    rateClaims(t)
      .filter((c) => c.controlRate === undefined)
      .map((c) => `${c.direction === "at-least" ? "≥" : "≤"} ${pct(c.p0)}: ${powerText(c, t)}`),
  );
  const powerSpan = powers.length
    ? `<span class="badge-power" title="${esc(`rate claims: each fails with the stated probability when the true rate is beyond p1`)}">${esc([...new Set(powers)].join(" · "))}</span>`
    : "";
  return (
    `<details class="badge ${status}" data-tags="${esc(tags.join("|"))}"${status === "failed" ? " open" : ""}>` +
    `<summary title="${esc(tags.map((t) => `[${t}]`).join(" "))}: ${esc(kinds)}"><span class="badge-status">${BADGE_TEXT[status]}</span>` +
    `<span class="badge-count">${esc(count)}</span>${powerSpan}</summary>` +
    `<div class="badge-panel"><div class="badge-tags">${tags.map((t) => `<a href="report.html#${tagId(t)}">[${esc(t)}]</a>`).join(" ")} · ${esc(kinds)}</div>` +
    checks.map((t) => checkHtml(t, links)).join("") +
    `</div></details>`
  );
}
