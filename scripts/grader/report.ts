/**
 * The grading report and its formats: a terminal table, JSON, JUnit XML, Gradescope results.json and
 * a standalone HTML page. Every untrusted text was cleaned (control characters, length) when the
 * checks were built; here it is escaped once more for the format that shows it.
 */
import type { Check } from "./checks.ts";
import { ellipsize, escapeHtml } from "../lib/text.ts";
import { clean, escapeXml } from "./text.ts";

export interface ChapterScore {
  chapter: number;
  points: number;
  max: number;
  /** Weighted share of the chapter's checks that held, in [0, 1]. */
  score: number;
  passed: number;
  failed: number;
  notAttempted: number;
}

export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

export interface Report {
  tool: "pgbook-grader";
  submission: string;
  status: "passed" | "failed" | "not-gradable" | "grader-error";
  exitCode: 0 | 1 | 2 | 3;
  /** The master seed the specs ran with (each check's own seed derives from it). */
  seed: string;
  /** The grader's commit (git HEAD of the book). */
  commit: string;
  node: string;
  startedAt: string;
  seconds: number;
  /** Where the time went: type check, bundling into the sandbox, the grader's self-test, running the checks (seconds). */
  phases?: { typecheck?: number; bundle?: number; selfTest?: number; checks?: number };
  /** The master seed was secret (`--seed`): student-visible formats show neither it nor the seeds and replays derived from it. */
  seedSecret?: boolean;
  /** The isolation layers that were active for this grading (see scripts/grader/sandbox/isolation.ts). */
  isolation?: { layers: string[]; missing: Record<string, string>; line: string };
  chapters: ChapterScore[];
  points: number;
  maxPoints: number;
  /** points / maxPoints, in [0, 1]. */
  score: number;
  checks: Check[];
  exports: string[];
  typecheck: { errors: string[]; warnings: string[] };
  /** Things the instructor should know (grader errors, spec files that failed to load). */
  notices: string[];
  hiddenVisibility: Visibility;
}

export function scoreChapters(checks: Check[], chapters: number[]): ChapterScore[] {
  return chapters.map((chapter) => {
    const cs = checks.filter((c) => c.chapter === chapter);
    const max = cs.reduce((s, c) => s + c.weight, 0);
    const points = cs.reduce((s, c) => s + c.points, 0);
    return {
      chapter,
      points,
      max,
      score: max > 0 ? points / max : 0,
      passed: cs.filter((c) => c.status === "passed").length,
      failed: cs.filter((c) => c.status === "failed").length,
      notAttempted: cs.filter((c) => c.status === "not-attempted").length,
    };
  });
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function detail(c: Check): string[] {
  const lines: string[] = [];
  if (c.message) lines.push(c.message);
  if (c.guess) lines.push(`guess: ${c.guess}`);
  if (c.stats?.length) {
    for (const s of c.stats.slice(0, 6))
      lines.push(
        `${s.label}: estimate ${s.estimate} vs expected ${s.expected} (error ${s.error}, bound ±${s.bound} at α=${s.alpha}, n=${s.n})`,
      );
  }
  if (c.status !== "passed" && c.seed) lines.push(`seed: ${c.seed}`);
  if (c.status !== "passed" && c.replay) lines.push(`replay: ${c.replay}`);
  return lines;
}

/** " (type check 4.1 s, bundle 0.2 s, checks 30.5 s)", or "" before any phase ran. */
export function phaseText(r: Report): string {
  const p = r.phases ?? {};
  const parts = (
    [
      ["type check", p.typecheck],
      ["bundle", p.bundle],
      ["self-test", p.selfTest],
      ["checks", p.checks],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v!.toFixed(1)} s`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/**
 * The report as a student may see it. With a secret seed, every seed and replay command goes, and
 * any text that contains the secret or the submission's seed (a message, a notice) has it replaced:
 * only the instructor's report.json keeps them.
 */
export function forStudent(r: Report, secrets: string[] = []): Report {
  if (!r.seedSecret) return r;
  const hide = [...new Set([r.seed, ...secrets].filter((x) => x && x.length >= 3))].sort((a, b) => b.length - a.length);
  const scrub = (v: unknown): unknown => {
    if (typeof v === "string") return hide.reduce((t, x) => t.split(x).join("(secret)"), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  const out = scrub(r) as Report;
  out.seed = "secret";
  out.checks = out.checks.map((c) => ({ ...c, seed: undefined, replay: undefined }));
  return out;
}

/** The readable terminal table (plain text; colours only when `color`). */
export function toTerminal(r: Report, color = false): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const mark = { passed: paint("32", "✓"), failed: paint("31", "✗"), "not-attempted": paint("33", "–") } as const;
  const out: string[] = [];
  out.push(
    `pgbook grader · ${clean(r.submission, 200)} · seed ${r.seed} · grader ${r.commit.slice(0, 12)} · ${r.seconds.toFixed(1)} s${phaseText(r)}`,
  );
  if (r.status === "not-gradable") {
    out.push(paint("31", "NOT GRADABLE"));
    for (const e of r.typecheck.errors) out.push(`  ${e}`);
    out.push(`  exports found: ${r.exports.map((e) => clean(e, 80)).join(", ") || "none"}`);
  }
  for (const ch of r.chapters) {
    if (ch.max === 0) continue;
    out.push("");
    out.push(
      paint(
        "1",
        `Chapter ${ch.chapter}: ${fmt(ch.points)}/${fmt(ch.max)} (${pct(ch.score)}) · ${ch.passed} held, ${ch.failed} failed, ${ch.notAttempted} not attempted`,
      ),
    );
    for (const c of r.checks.filter((x) => x.chapter === ch.chapter)) {
      const name = ellipsize(c.name, 100);
      out.push(
        `  ${mark[c.status]} ${fmt(c.points).padStart(4)}/${fmt(c.weight).padEnd(3)} ${name}${c.hidden ? " (hidden)" : ""}`,
      );
      if (c.status === "failed") for (const l of detail(c)) out.push(`        ${l.split("\n").join("\n        ")}`);
    }
  }
  for (const n of r.notices) out.push(paint("33", `note: ${n}`));
  if (r.isolation) out.push(r.isolation.line);
  out.push("");
  out.push(
    paint("1", `Total ${fmt(r.points)}/${fmt(r.maxPoints)} (${pct(r.score)}) · ${r.status} · exit ${r.exitCode}`),
  );
  return out.join("\n") + "\n";
}

export function toJson(r: Report): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/** JUnit XML: one testsuite per chapter, one testcase per check. */
export function toJunit(r: Report): string {
  const x = escapeXml;
  const suites = r.chapters.map((ch) => {
    const cs = r.checks.filter((c) => c.chapter === ch.chapter);
    const cases = cs.map((c) => {
      const attrs = `name="${x(c.name)}" classname="${x(`chapter${c.chapter}.${c.file}`)}" time="${c.seconds.toFixed(3)}"`;
      if (c.status === "passed") return `    <testcase ${attrs}/>`;
      if (c.status === "not-attempted")
        return `    <testcase ${attrs}>\n      <skipped message="${x(c.message)}"/>\n    </testcase>`;
      const body = detail(c).join("\n");
      return `    <testcase ${attrs}>\n      <failure message="${x(c.message.split("\n")[0] ?? "")}" type="${x(c.verdict ?? "failure")}">${x(body)}</failure>\n    </testcase>`;
    });
    const time = cs.reduce((s, c) => s + c.seconds, 0);
    return `  <testsuite name="chapter ${ch.chapter}" tests="${cs.length}" failures="${ch.failed}" skipped="${ch.notAttempted}" errors="0" time="${time.toFixed(3)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  if (r.status === "not-gradable" || r.status === "grader-error") {
    const msg = [...r.typecheck.errors, ...r.notices].join("\n");
    suites.push(
      `  <testsuite name="submission" tests="1" failures="0" errors="1" skipped="0" time="0">\n    <testcase name="${x(r.status)}" classname="submission">\n      <error message="${x(r.status)}">${x(msg)}</error>\n    </testcase>\n  </testsuite>`,
    );
  }
  const failures = r.chapters.reduce((s, c) => s + c.failed, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pgbook grader" tests="${r.checks.length}" failures="${failures}" time="${r.seconds.toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: Visibility;
  tags?: string[];
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export function toGradescope(r: Report): GradescopeResults {
  const summary =
    r.status === "not-gradable"
      ? `Not gradable:\n${r.typecheck.errors.join("\n")}\nExports found: ${r.exports.join(", ") || "none"}`
      : r.chapters.map((c) => `Chapter ${c.chapter}: ${fmt(c.points)}/${fmt(c.max)} (${pct(c.score)})`).join("\n");
  return {
    score: r.points,
    execution_time: Math.round(r.seconds),
    output: clean(
      `${summary}\nSeed ${r.seed}, grader ${r.commit.slice(0, 12)}.${r.isolation ? `\n${r.isolation.line}` : ""}${r.notices.length ? `\n${r.notices.join("\n")}` : ""}`,
      8000,
    ),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: r.checks.map((c) => ({
      name: clean(`Ch. ${c.chapter} · ${c.name}`, 300),
      score: c.points,
      max_score: c.weight,
      status: c.status === "passed" ? "passed" : "failed",
      output: clean([c.status === "not-attempted" ? "not attempted" : c.status, ...detail(c)].join("\n"), 4000),
      visibility: c.hidden ? r.hiddenVisibility : "visible",
      tags: c.tags,
    })),
  };
}

/** A standalone HTML page (no scripts, inline style); every text escaped. */
export function toHtml(r: Report): string {
  const h = escapeHtml;
  const rows = r.checks
    .map((c) => {
      const cls = c.status;
      const more = c.status === "passed" ? "" : `<pre>${h(detail(c).join("\n"))}</pre>`;
      return `<tr class="${cls}"><td>${c.chapter}</td><td>${h(c.status)}</td><td>${h(fmt(c.points))}/${h(fmt(c.weight))}</td><td>${h(c.tags.join(" "))}</td><td>${h(c.name)}${c.hidden ? " <em>(hidden)</em>" : ""}${more}</td></tr>`;
    })
    .join("\n");
  const chapters = r.chapters
    .map(
      (c) =>
        `<li>Chapter ${c.chapter}: ${h(fmt(c.points))}/${h(fmt(c.max))} (${pct(c.score)}) — ${c.passed} held, ${c.failed} failed, ${c.notAttempted} not attempted</li>`,
    )
    .join("");
  const ng =
    r.status === "not-gradable"
      ? `<section class="failed"><h2>Not gradable</h2><pre>${h(r.typecheck.errors.join("\n"))}</pre><p>Exports found: ${h(r.exports.join(", ") || "none")}</p></section>`
      : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>pgbook grading report</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.failed td:nth-child(2){color:#b00020;font-weight:bold}tr.passed td:nth-child(2){color:#1b5e20}tr.not-attempted td:nth-child(2){color:#8a6d00}pre{white-space:pre-wrap;background:#f6f6f6;padding:6px;margin:4px 0}</style></head>
<body><h1>pgbook grading report</h1>
<p>Submission <code>${h(r.submission)}</code> · total <strong>${h(fmt(r.points))}/${h(fmt(r.maxPoints))} (${pct(r.score)})</strong> · ${h(r.status)} · seed <code>${h(r.seed)}</code> · grader <code>${h(r.commit.slice(0, 12))}</code> · ${r.seconds.toFixed(1)} s${h(phaseText(r))}</p>
${ng}<ul>${chapters}</ul>
${r.notices.map((n) => `<p class="notice">${h(n)}</p>`).join("\n")}
${r.isolation ? `<p class="isolation">${h(r.isolation.line)}</p>` : ""}
<table><thead><tr><th>Ch.</th><th>status</th><th>points</th><th>tags</th><th>check</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

export interface PrairieLearnResults {
  gradable: boolean;
  score: number;
  message: string;
  output: string;
  tests: { name: string; points: number; max_points: number; message: string; output: string; description?: string }[];
}

/** PrairieLearn's external-grader results.json (gradable, score in [0, 1], tests with points). */
export function toPrairieLearn(r: Report): PrairieLearnResults {
  return {
    gradable: r.status !== "not-gradable",
    score: Math.min(1, Math.max(0, r.score)),
    message: clean(
      r.status === "not-gradable"
        ? `Not gradable: ${r.typecheck.errors.join("\n")}`
        : `${fmt(r.points)}/${fmt(r.maxPoints)} · seed ${r.seed} · grader ${r.commit.slice(0, 12)}`,
      4000,
    ),
    output: clean([...(r.isolation ? [r.isolation.line] : []), ...r.notices].join("\n"), 4000),
    tests: r.checks.map((c) => ({
      name: clean(`Ch. ${c.chapter} · ${c.name}`, 300),
      description: c.tags.join(" "),
      points: c.points,
      max_points: c.weight,
      message: clean(
        c.status === "passed"
          ? "held"
          : c.status === "not-attempted"
            ? "not attempted"
            : (c.message.split("\n")[0] ?? "failed"),
        500,
      ),
      output: clean(c.status === "passed" ? "" : detail(c).join("\n"), 4000),
    })),
  };
}
