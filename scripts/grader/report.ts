/**
 * The grading report and its formats. report.json and JUnit XML are for machines and keep every
 * detail; the terminal text, report.html and the Gradescope and PrairieLearn results are the
 * student's: failures first, each once, with the function under test, the tag linked to its equation
 * in the book, the message, counterexample and tolerance, and the replay command (none with a secret
 * seed); the checks that held are collapsed. Every untrusted text was cleaned (control characters,
 * length) when the checks were built; here it is escaped once more for the format that shows it.
 */
import type { BookAnchors } from "./book-links.ts";
import type { Check } from "./checks.ts";
import { escapeHtml } from "../lib/text.ts";
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

/** Everything a failed check recorded, for the machines' formats (JUnit). */
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

/** A line of a failure message that says how to rerun it: the check's seed, its replay command, fast-check's seed. */
const RERUN_LINE = /^\s*(?:seed|replay|fast-check seed): /;
/** Where a property's counterexample begins (the instance as drawn, then shrunk). */
const PROPERTY_LINE = /^\s*property (?:failed at run|not checked)/;
/** The end of a comparison's line (measure/close.ts): "… > allowed 1.25e-9 (tolerance 1e-12 + 1e-9·|expected|)". */
const ALLOWED = /\s*> (allowed \S+ \(tolerance [^()]+\))\s*$/;
const CUT = /… \[\d+ characters cut\]$/;

/**
 * The report as a student may see it. With a secret seed, every seed and replay command goes (the
 * fields, and the lines of messages that give them), and any text that contains the secret or the
 * submission's seed (a message, a notice) has it replaced: only the instructor's report.json keeps them.
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
  out.checks = out.checks.map((c) => ({
    ...c,
    message: c.message
      .split("\n")
      .filter((l) => !RERUN_LINE.test(l))
      .join("\n"),
    seed: undefined,
    replay: undefined,
  }));
  return out;
}

/** Links from tags to the book: where each tag is marked, and the address the site's pages are found at. */
export interface BookLinks {
  anchors: BookAnchors;
  /** Ends with "/" (or is empty): `${base}01-bandits.html#eq-12`. */
  base: string;
}

/** The address of a tag's mark in the book, or undefined when the book marks no such tag. */
export function tagHref(tag: string, links: BookLinks | undefined): string | undefined {
  const at = links?.anchors.get(tag);
  return at === undefined ? undefined : `${links!.base}${at}`;
}

/** A failed check as its student reads it, each part once. */
export interface FailureParts {
  /** What went wrong, in the check's words (the sandbox's account first, without its marker). */
  message: string;
  /** The instance it failed on: a property's arguments as drawn and as shrunk. */
  counterexample?: string;
  /** What the comparison allowed: a tolerance, or a statistical check's bound. */
  tolerance?: string;
  guess?: string;
  /** The command that reruns the check, and fast-check's seed and path of the shrunk instance. */
  replay: string[];
}

/** A message line without the words every failure shares: "Error: " and the sandbox's marker (shown as the verdict). */
const bare = (l: string) => l.replace(/^(?:Sandbox)?Error: /, "").replace(/^pgbook-sandbox\[[\w-]+\]:\s*/, "");

/**
 * Lines with repeats folded in. The sandbox's line quotes the error it caught ("f threw Error: msg",
 * cut at 400 characters) and vitest prints that error again ("Error: msg"): the second is folded
 * into the first, keeping the longer text.
 */
function fold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const b = bare(line.trim());
    const probe = b.slice(0, 40);
    const i = b.length < 12 ? -1 : out.findIndex((e) => e.replace(CUT, "").includes(probe));
    if (i >= 0) {
      const e = out[i].replace(CUT, "");
      const k = e.indexOf(probe);
      if (b.startsWith(e.slice(k))) {
        out[i] = e.slice(0, k) + b;
        continue;
      }
    }
    out.push(line);
  }
  return out;
}

/** Lines as one text: trailing spaces and blank lines at either end gone, runs of blank lines made one. */
function tidy(lines: string[]): string {
  return lines
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+|\n+$/g, "");
}

function dedent(lines: string[]): string[] {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return Number.isFinite(indent) ? lines.map((l) => l.slice(indent)) : lines;
}

/** The parts of a failed check's message: what went wrong, the counterexample, the tolerance, how to rerun it. */
export function failureParts(c: Check): FailureParts {
  const lines = c.message.split("\n");
  const rerun = lines.filter((l) => RERUN_LINE.test(l)).map((l) => l.trim());
  const kept = lines.filter((l) => !RERUN_LINE.test(l));
  const at = kept.findIndex((l) => PROPERTY_LINE.test(l));
  const head = fold(at < 0 ? kept : kept.slice(0, at));
  if (head.length) head[0] = bare(head[0]);
  const example = at < 0 ? [] : dedent(kept.slice(at));
  let tolerance: string | undefined;
  const t = head.findIndex((l) => ALLOWED.test(l));
  if (t >= 0) {
    tolerance = ALLOWED.exec(head[t])![1];
    head[t] = head[t].replace(ALLOWED, "");
  } else if (c.stats?.length) {
    const s = c.stats[0];
    const why = "a correct function fails the check with probability at most α";
    tolerance = `±${s.bound} at α = ${s.alpha}, n = ${s.n} (${why})`;
  }
  const replays = c.replay ? [c.replay] : rerun.filter((l) => l.startsWith("replay: ")).map((l) => l.slice(8));
  return {
    message: tidy(head),
    counterexample: example.length ? tidy(example) : undefined,
    tolerance,
    guess: c.guess,
    replay: [...replays, ...rerun.filter((l) => l.startsWith("fast-check seed: "))],
  };
}

/** The checks in the order a student reads them: failed, then not attempted, then held (each by chapter). */
function byOutcome(r: Report): { failed: Check[]; notAttempted: Check[]; passed: Check[] } {
  const sorted = [...r.checks].sort((a, b) => a.chapter - b.chapter);
  return {
    failed: sorted.filter((c) => c.status === "failed"),
    notAttempted: sorted.filter((c) => c.status === "not-attempted"),
    passed: sorted.filter((c) => c.status === "passed"),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A failed check as labelled plain text (the terminal and Gradescope), each part once. */
function failureFields(c: Check, links: BookLinks | undefined): [string, string][] {
  const p = failureParts(c);
  const book = c.tags.map((t) => `[${t}]${tagHref(t, links) ? ` ${tagHref(t, links)}` : ""}`).join("  ");
  const fields: [string, string | undefined][] = [
    [c.functions.length > 1 ? "functions" : "function", c.functions.join(", ") || undefined],
    ["book", book || undefined],
    ["verdict", c.verdict && c.verdict !== "assertion" ? c.verdict : undefined],
    ["message", p.message || undefined],
    ["tolerance", p.tolerance],
    ["guess", p.guess],
    ["counterexample", p.counterexample],
    ["replay", p.replay.join("\n") || undefined],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined);
}

/** Labelled fields as aligned text: "label  value", continuation lines under the value. */
function fieldText(fields: [string, string][], indent: string): string[] {
  const pad = indent + " ".repeat(16);
  return fields.map(([k, v]) => `${indent}${k.padEnd(15)} ${v.split("\n").join(`\n${pad}`)}`);
}

const chapterLine = (ch: ChapterScore) =>
  `Chapter ${ch.chapter}: ${fmt(ch.points)}/${fmt(ch.max)} (${pct(ch.score)}) · ` +
  `${ch.passed} held, ${ch.failed} failed, ${ch.notAttempted} not attempted`;

/**
 * The terminal text (plain; colours only when `color`): the chapters' scores, then each failed check
 * with its parts, the checks not attempted one line each, and a count of those that held.
 */
export function toTerminal(r: Report, color = false, links?: BookLinks): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  out.push(
    `pgbook grader · ${clean(r.submission, 200)} · seed ${r.seed} · grader ${r.commit.slice(0, 12)} · ${r.seconds.toFixed(1)} s${phaseText(r)}`,
  );
  if (r.status === "not-gradable") {
    out.push(paint("31", "NOT GRADABLE"));
    for (const e of r.typecheck.errors) out.push(`  ${e}`);
    out.push(`  exports found: ${r.exports.map((e) => clean(e, 80)).join(", ") || "none"}`);
  }
  const chapters = r.chapters.filter((ch) => ch.max > 0);
  if (chapters.length) out.push("", ...chapters.map((ch) => paint("1", chapterLine(ch))));
  const { failed, notAttempted, passed } = byOutcome(r);
  if (failed.length) out.push("", paint("1;31", `${plural(failed.length, "check")} failed`));
  for (const c of failed) {
    out.push("");
    out.push(
      `${paint("31", "✗")} Ch. ${c.chapter} · ${fmt(c.points)}/${fmt(c.weight)} · ` +
        `${c.name}${c.hidden ? " (hidden)" : ""}`,
    );
    out.push(...fieldText(failureFields(c, links), "    "));
  }
  if (notAttempted.length) {
    out.push("", paint("1;33", `${plural(notAttempted.length, "check")} not attempted`));
    for (const c of notAttempted) out.push(`${paint("33", "–")} Ch. ${c.chapter} · ${c.name} · ${c.message}`);
  }
  if (passed.length) out.push("", `${paint("32", "✓")} ${plural(passed.length, "check")} held`);
  if (r.seedSecret) out.push("graded with a secret seed: replay commands are not shown");
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

/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/): the
 * failed checks first, each with its parts, then those not attempted, then those that held (short).
 */
export function toGradescope(r: Report, links?: BookLinks): GradescopeResults {
  const { failed, notAttempted, passed } = byOutcome(r);
  const summary =
    r.status === "not-gradable"
      ? `Not gradable:\n${r.typecheck.errors.join("\n")}\nExports found: ${r.exports.join(", ") || "none"}`
      : [
          ...r.chapters.map((c) => `Chapter ${c.chapter}: ${fmt(c.points)}/${fmt(c.max)} (${pct(c.score)})`),
          `${failed.length} failed, ${notAttempted.length} not attempted, ${passed.length} held.`,
        ].join("\n");
  const seed = r.seedSecret ? "Graded with a secret seed: replay commands are not shown" : `Seed ${r.seed}`;
  const test = (c: Check, output: string): GradescopeTest => ({
    name: clean(`Ch. ${c.chapter} · ${c.name}`, 300),
    score: c.points,
    max_score: c.weight,
    status: c.status === "passed" ? "passed" : "failed",
    output: clean(output, 4000),
    visibility: c.hidden ? r.hiddenVisibility : "visible",
    tags: c.tags,
  });
  return {
    score: r.points,
    execution_time: Math.round(r.seconds),
    output: clean(
      `${summary}\n${seed}, grader ${r.commit.slice(0, 12)}.${r.isolation ? `\n${r.isolation.line}` : ""}${r.notices.length ? `\n${r.notices.join("\n")}` : ""}`,
      8000,
    ),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: [
      ...failed.map((c) => test(c, fieldText(failureFields(c, links), "").join("\n"))),
      ...notAttempted.map((c) => test(c, c.message)),
      ...passed.map((c) => test(c, "held")),
    ],
  };
}

/** A check's facts on one line: chapter, points, the functions it calls, its tags linked to the book. */
function factsHtml(c: Check, links: BookLinks | undefined, more: string[] = []): string {
  const h = escapeHtml;
  const fns = c.functions.map((f) => `<code>${h(f)}</code>`).join(", ");
  return [
    `Chapter ${c.chapter}`,
    `${h(fmt(c.points))}/${h(fmt(c.weight))} point${c.weight === 1 ? "" : "s"}`,
    ...(c.hidden ? ["hidden check"] : []),
    ...(fns ? [`${c.functions.length > 1 ? "functions" : "function"} ${fns}`] : []),
    ...(c.tags.length ? [`in the book ${tagLinks(c.tags, links)}`] : []),
    ...more,
  ].join(" · ");
}

/** A failed check as HTML: its title and facts, then its parts in boxes that wrap. */
function failureHtml(c: Check, links: BookLinks | undefined): string {
  const h = escapeHtml;
  const p = failureParts(c);
  const row = (k: string, v: string | undefined) => (v ? `<dt>${k}</dt><dd>${v}</dd>` : "");
  const pre = (s: string | undefined, cls = "") =>
    s ? `<pre${cls ? ` class="${cls}"` : ""}>${h(s)}</pre>` : undefined;
  const verdict = c.verdict && c.verdict !== "assertion" ? [`verdict ${h(c.verdict)}`] : [];
  return (
    `<article class="check failed"><h3><span class="mark">✗</span> ${h(c.name)}</h3>\n` +
    `<p class="facts">${factsHtml(c, links, verdict)}</p><dl>` +
    row("Message", pre(p.message)) +
    row("Tolerance", p.tolerance ? h(p.tolerance) : undefined) +
    row("Guess", p.guess ? h(p.guess) : undefined) +
    row("Counter&shy;example", pre(p.counterexample)) +
    row("Replay", pre(p.replay.join("\n"), "cmd")) +
    `</dl></article>`
  );
}

/** Each tag as a link to its mark in the book (plain when the book marks no such tag). */
function tagLinks(tags: string[], links: BookLinks | undefined): string {
  return tags
    .map((t) => {
      const href = tagHref(t, links);
      return href ? `<a href="${escapeHtml(href)}">[${escapeHtml(t)}]</a>` : `[${escapeHtml(t)}]`;
    })
    .join(" ");
}

/** One item of a short list (checks not attempted, checks that held): the title, then its facts. */
function shortItem(c: Check, links: BookLinks | undefined, note?: string): string {
  const facts = factsHtml(c, links, note ? [escapeHtml(note)] : []);
  return `<li>${escapeHtml(c.name)}<span class="facts">${facts}</span></li>`;
}

const STYLE = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,sans-serif;color:#1b1b1b;margin:0 auto;max-width:62rem;padding:1rem;overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:.2rem 0 .5rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}h3{font-size:1rem;margin:0 0 .6rem}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:20em;overflow-y:auto}
pre{background:#f4f4f4;border-radius:4px;padding:.45rem .6rem;margin:0}
pre.cmd{background:#eef3fb}
a{color:#0b57d0}
.total{font-size:1.15rem;margin:.3rem 0}.total.failed strong,.mark{color:#b00020}.total.passed strong{color:#1b5e20}
.meta,.notice,.isolation,.facts{color:#555;font-size:.9rem}.notice{color:#7a5d00}
ul{padding-left:1.25rem;margin:.3rem 0}li{margin:.35rem 0}
li .facts{display:block}p.facts{margin:0 0 .6rem}.facts a{white-space:nowrap}
.check{border:1px solid #ddd;border-left:4px solid #b00020;border-radius:4px;padding:.7rem .8rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.4rem .9rem;margin:0}
dt{font-weight:600;color:#444}dd{margin:0;min-width:0}
details{border:1px solid #ddd;border-radius:4px;padding:.5rem .8rem}summary{cursor:pointer;font-weight:600}
@media (max-width:36rem){body{padding:.75rem}dl{display:block}dt{margin-top:.55rem}dd{margin-top:.15rem}}`;

/**
 * A standalone HTML page (no scripts, inline style; every text escaped) that fits a phone: the
 * score, each failed check with its parts, the checks not attempted, and those that held collapsed.
 */
export function toHtml(r: Report, links?: BookLinks): string {
  const h = escapeHtml;
  const { failed, notAttempted, passed } = byOutcome(r);
  const section = (cls: string, title: string, body: string) =>
    `<section class="${cls}"><h2>${title}</h2>\n${body}</section>\n`;
  const exports = h(r.exports.join(", ") || "none");
  const body = [
    r.status === "not-gradable"
      ? section(
          "not-gradable",
          "Not gradable",
          `<pre>${h(r.typecheck.errors.join("\n"))}</pre><p>Exports found: ${exports}</p>`,
        )
      : "",
    failed.length
      ? section(
          "failures",
          `${plural(failed.length, "check")} failed`,
          failed.map((c) => failureHtml(c, links)).join("\n"),
        )
      : "",
    notAttempted.length
      ? section(
          "not-attempted",
          `${plural(notAttempted.length, "check")} not attempted`,
          `<ul>${notAttempted.map((c) => shortItem(c, links, c.message)).join("")}</ul>`,
        )
      : "",
    passed.length
      ? section(
          "held",
          `${plural(passed.length, "check")} held`,
          `<details><summary>Show the checks that held</summary><ul>${passed.map((c) => shortItem(c, links)).join("")}` +
            `</ul></details>`,
        )
      : "",
  ].join("");
  const score = `${h(fmt(r.points))}/${h(fmt(r.maxPoints))}`;
  const seed = r.seedSecret ? "seed secret (replay commands are not shown)" : `seed <code>${h(r.seed)}</code>`;
  const grader = `grader <code>${h(r.commit.slice(0, 12))}</code>`;
  const meta = `Submission <code>${h(r.submission)}</code> · ${seed} · ${grader}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>pgbook grading report: ${score}</title>
<style>${STYLE}</style></head>
<body><header><h1>pgbook grading report</h1>
<p class="total ${r.status === "passed" ? "passed" : "failed"}"><strong>${score}</strong> points (${pct(r.score)})
· ${h(r.status)}</p>
<ul class="chapters">${r.chapters.map((c) => `<li>${h(chapterLine(c))}</li>`).join("")}</ul>
<p class="meta">${meta} · ${r.seconds.toFixed(1)} s${h(phaseText(r))}</p>
${r.notices.map((n) => `<p class="notice">${h(n)}</p>`).join("\n")}</header>
<main>${body}</main>
${r.isolation ? `<footer><p class="isolation">${h(r.isolation.line)}</p></footer>` : ""}
</body></html>
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
export function toPrairieLearn(r: Report, links?: BookLinks): PrairieLearnResults {
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
            : (failureParts(c).message.split("\n")[0] ?? "failed"),
        500,
      ),
      output: clean(
        c.status === "failed"
          ? fieldText(failureFields(c, links), "").join("\n")
          : c.status === "not-attempted"
            ? c.message
            : "",
        4000,
      ),
    })),
  };
}
