/**
 * From vitest's results to graded checks: one check per test of a graded chapter that exercises the
 * submission. Each gets a status (passed / failed / not attempted), a weight and points, and, when it
 * failed, a message in the book's terms: the sandbox's verdict (timeout, crash, mutation, …) naming
 * the function, or a statistical check's estimate, expected value, bound, sample size and seed with a
 * guess at the kind of error (sign, scale, bias).
 */
import type { TestResult } from "../lib/run-specs.ts";
import { chapterOf } from "./contract.ts";
import { clean } from "./text.ts";

export type CheckStatus = "passed" | "failed" | "not-attempted";

export interface StatFinding {
  label: string;
  estimate: number;
  expected: number;
  error: number;
  bound: number;
  alpha: number;
  n: number;
}

export interface Check {
  id: string;
  chapter: number;
  file: string;
  name: string;
  tags: string[];
  kind: string;
  functions: string[];
  status: CheckStatus;
  /** What went wrong: a sandbox verdict, "statistical", "assertion", "not-attempted". */
  verdict?: string;
  message: string;
  weight: number;
  points: number;
  seed?: string;
  replay?: string;
  hidden: boolean;
  seconds: number;
  stats?: StatFinding[];
  guess?: string;
}

/** Weights: by tag ("eq 12"), by kind ("monte-carlo"), else `default` (1). */
export interface Weights {
  default?: number;
  tags?: Record<string, number>;
  kinds?: Record<string, number>;
}

export function weightOf(tags: string[], kind: string, w: Weights = {}): number {
  for (const t of tags) if (w.tags?.[t] !== undefined) return w.tags[t];
  if (w.kinds?.[kind] !== undefined) return w.kinds[kind];
  return w.default ?? 1;
}

const STAT = /([^\s:][^:\n]*?): mean (\S+) vs (\S+) \(error (\S+), half-width (\S+) at α=([^,]+), n=(\d+)/g;

export function parseStats(text: string): StatFinding[] {
  const out: StatFinding[] = [];
  for (const m of text.matchAll(STAT)) {
    out.push({
      label: m[1].trim(),
      estimate: Number(m[2]),
      expected: Number(m[3]),
      error: Number(m[4]),
      bound: Number(m[5]),
      alpha: Number(m[6]),
      n: Number(m[7]),
    });
  }
  return out;
}

/** A finding about the law of sampled actions: a point of the empirical CDF over action indices (labels "cdf P(A ≤ i) …"). */
const ACTION_LAW = /^cdf\b|^P\(A\s*[≤<=]/;

/** A guess at the kind of error behind failed statistical comparisons. */
export function guessError(stats: StatFinding[]): string | undefined {
  const bad = stats.filter((s) => Math.abs(s.error) > s.bound);
  if (!bad.length) return undefined;
  // Frequencies of sampled actions off their probabilities: the sampler draws the wrong actions. A ratio
  // of frequencies to probabilities says nothing about a scale (they are bounded by 1 and sum to 1).
  if (bad.every((s) => ACTION_LAW.test(s.label))) {
    const worst = bad.reduce((a, b) => (Math.abs(a.error) > Math.abs(b.error) ? a : b));
    return (
      `looks like a wrong distribution: the sampled actions do not follow πθ — ` +
      `${worst.label} is ${worst.estimate.toPrecision(3)} where πθ gives ${worst.expected.toPrecision(3)} (the check allows ±${worst.bound.toPrecision(3)}); ` +
      `check which action the sampler returns for each uniform draw`
    );
  }
  const ratios = bad.filter((s) => Math.abs(s.expected) > 4 * s.bound).map((s) => s.estimate / s.expected);
  if (ratios.length === bad.length) {
    const lo = Math.min(...ratios);
    const hi = Math.max(...ratios);
    if (hi - lo < 0.15 * Math.max(Math.abs(lo), Math.abs(hi), 1e-12)) {
      const r = (lo + hi) / 2;
      if (Math.abs(r + 1) < 0.15) return "looks like a sign error: the estimate is about −1 × the expected value";
      return `looks like a scale error: the estimate is about ${r.toPrecision(3)} × the expected value`;
    }
  }
  const worst = bad.reduce((a, b) => (Math.abs(a.error) / a.bound > Math.abs(b.error) / b.bound ? a : b));
  return `looks like a bias: ${worst.label} is off by ${worst.error.toPrecision(3)} (the check allows ±${worst.bound.toPrecision(3)})`;
}

/** The useful part of a failure message: no stack frames, bounded, control characters stripped. */
export function failureText(messages: string[]): string {
  const text = messages
    .join("\n")
    .split("\n")
    .filter((l) => !/^\s+at\s/.test(l) && !/^\s*❯/.test(l))
    .join("\n")
    .trim();
  return clean(text);
}

export interface MapOptions {
  chapters: Set<number>;
  weights?: Weights;
  /** Spec files from the instructor's hidden folder. */
  isHidden: (file: string) => boolean;
  fns: Map<number, string[]>;
}

/**
 * The failed tests of the graded chapters that called none of the submission's functions: not graded (they
 * check the book's or the instructor's own tools), but never dropped silently — the report names them.
 */
export function unexercisedFailures(tests: TestResult[], o: MapOptions): { book: string[]; hidden: number } {
  const failed = tests
    .filter((t) => t.status === "failed" && !(t.meta?.implements ?? []).length)
    .filter((t) => !/NotAttempted|not attempted: |pgbook-sandbox\[/.test(t.failureMessages.join("\n")));
  // a hidden check is counted, never named: the notices reach the student's formats
  const hidden = failed.filter((t) => o.isHidden(t.file)).length;
  const book = failed
    .filter((t) => !o.isHidden(t.file) && o.chapters.has(Number(/^spec\/(\d+)-/.exec(t.file)?.[1] ?? NaN)))
    .map((t) => `${t.file} › ${clean(t.fullName, 200)}: ${clean(failureText(t.failureMessages), 300)}`);
  return { book, hidden };
}

export function toChecks(tests: TestResult[], o: MapOptions): Check[] {
  const out: Check[] = [];
  for (const t of tests) {
    if (t.status === "skipped" || t.status === "todo" || t.status === "pending") continue;
    const hidden = o.isHidden(t.file);
    const raw = t.failureMessages.join("\n");
    const functions = t.meta?.implements ?? [];
    const notAttempted = /NotAttempted|not attempted: /.test(raw);
    // A non-finite result the sandbox passed back is the cause when the check then failed otherwise.
    const nonfinite =
      t.status === "passed" || notAttempted || /pgbook-sandbox\[/.test(raw) ? undefined : t.meta?.nonfinite;
    const sandbox =
      /pgbook-sandbox\[([\w-]+)\]/.exec(raw) ?? (nonfinite ? /pgbook-sandbox\[([\w-]+)\]/.exec(nonfinite) : null);
    let chapter = Number(/^spec\/(\d+)-/.exec(t.file)?.[1] ?? NaN);
    if (!Number.isFinite(chapter) || hidden)
      chapter =
        functions.map((f) => chapterOf(f, o.fns)).find((c) => c !== undefined) ??
        (Number.isFinite(chapter) ? chapter : 0);
    if (chapter === 0 || !o.chapters.has(chapter)) continue;
    // Only checks that exercise the submission are graded (the others check the book's own tools).
    if (functions.length === 0 && !notAttempted && !sandbox) continue;
    const kind = t.meta?.kind ?? "exact";
    const weight = weightOf(t.tags, kind, o.weights);
    let status: CheckStatus = t.status === "passed" ? "passed" : "failed";
    let verdict: string | undefined;
    let message = "";
    let stats: StatFinding[] | undefined;
    let guess: string | undefined;
    if (status === "failed") {
      message = failureText(t.failureMessages);
      if (notAttempted && !sandbox) {
        status = "not-attempted";
        verdict = "not-attempted";
        const missing = [...raw.matchAll(/does not export "([^"]+)"/g)].map((m) => m[1]);
        message = `not attempted: the submission does not export ${[...new Set(missing)].join(", ") || "a function this check needs"}`;
      } else if (sandbox) {
        verdict = sandbox[1];
        // The sandbox's line (it names the function) first, then the rest of the failure.
        const line = (/[^\n]*pgbook-sandbox\[[^\n]*/.exec(raw) ??
          /[^\n]*pgbook-sandbox\[[^\n]*/.exec(nonfinite!))![0].trim();
        if (!message.startsWith(line)) message = clean(`${clean(line, 400)}\n${message.replace(line, "")}`);
      } else if (/statistical check failed|negative control|runs succeeded, the claim/.test(raw)) {
        verdict = "statistical";
        stats = parseStats(raw);
        guess = guessError(stats);
      } else verdict = "assertion";
    }
    out.push({
      id: `${t.file}::${t.fullName}`,
      chapter,
      file: t.file,
      name: clean(t.fullName, 300),
      tags: t.tags,
      kind,
      functions,
      status,
      verdict,
      message,
      weight,
      points: status === "passed" ? weight : 0,
      seed: t.meta?.seed,
      replay: t.meta?.replay,
      hidden,
      seconds: t.duration / 1000,
      stats,
      guess,
    });
  }
  return out;
}
