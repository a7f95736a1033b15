/**
 * Grade one submission: type-check it against the contract, bundle it into a sandbox folder, run the
 * chosen chapters' specs (both tiers, plus hidden ones) with the seam pointing at the sandbox, and turn
 * the results into a report. Never throws: a failure of the grader itself becomes a report with
 * status "grader-error" (exit code 3).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { runTier, type RunOutcome } from "../lib/run-specs.ts";
import { buildSandbox } from "./sandbox/build.ts";
import { DEFAULT_MASTER_SEED } from "../../spec/support/seed.ts";
import { toChecks, type Check, type Weights } from "./checks.ts";
import { ROOT, chapterFunctions, chapterSpecDirs } from "./contract.ts";
import { scoreChapters, type Report, type Visibility } from "./report.ts";
import { clean } from "./text.ts";
import { typecheck } from "./typecheck.ts";

export interface GradeOptions {
  submission: string;
  chapters?: number[];
  hidden?: string;
  hiddenVisibility?: Visibility;
  seed?: string;
  callTimeoutMs?: number;
  submissionTimeoutMs?: number;
  weights?: Weights;
  /** Only the book's spec files whose names contain one of these (["none"]: none, only --hidden). */
  specs?: string[];
  /** Also grade the slow tier (training runs, large Monte Carlo designs): minutes through the sandbox. */
  slow?: boolean;
}

const ENTRY_NAMES = ["index.ts", "index.mts", "index.js", "index.mjs", "main.ts", "submission.ts"];

/** The module to grade: the file itself, or the folder's index/main module. */
export function resolveEntry(submission: string): string | undefined {
  const abs = path.resolve(submission);
  if (!existsSync(abs)) return undefined;
  if (statSync(abs).isFile()) return abs;
  for (const n of ENTRY_NAMES) if (existsSync(path.join(abs, n))) return path.join(abs, n);
  return undefined;
}

export function graderCommit(): string {
  const p = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  if (p.status === 0) return p.stdout.trim();
  // A platform bundle carries the commit it was built from.
  const f = path.join(ROOT, "GRADER_COMMIT");
  return existsSync(f) ? readFileSync(f, "utf8").trim() : "unknown";
}

function finish(r: Report, t0: number): Report {
  r.seconds = (performance.now() - t0) / 1000;
  const graded = r.checks;
  r.points = graded.reduce((s, c) => s + c.points, 0);
  r.maxPoints = graded.reduce((s, c) => s + c.weight, 0);
  r.score = r.maxPoints > 0 ? r.points / r.maxPoints : 0;
  if (r.status === "not-gradable") r.exitCode = 2;
  else if (r.status === "grader-error") r.exitCode = 3;
  else {
    const ok = graded.length > 0 && graded.every((c) => c.status === "passed");
    r.status = ok ? "passed" : "failed";
    r.exitCode = ok ? 0 : 1;
  }
  return r;
}

export function gradeSubmission(o: GradeOptions): Report {
  const t0 = performance.now();
  const fns = chapterFunctions();
  const dirs = chapterSpecDirs();
  const available = [...dirs.keys()].filter((c) => fns.has(c));
  const chapters = (o.chapters?.length ? o.chapters : available).filter((c) => available.includes(c));
  const seed = o.seed ?? DEFAULT_MASTER_SEED;
  const r: Report = {
    tool: "pgbook-grader",
    submission: clean(o.submission, 300),
    status: "failed",
    exitCode: 1,
    seed,
    commit: graderCommit(),
    node: process.version,
    startedAt: new Date().toISOString(),
    seconds: 0,
    chapters: [],
    points: 0,
    maxPoints: 0,
    score: 0,
    checks: [],
    exports: [],
    typecheck: { errors: [], warnings: [] },
    notices: [],
    hiddenVisibility: o.hiddenVisibility ?? "after_published",
  };
  let sandboxDir: string | undefined;
  try {
    if (o.chapters?.length) {
      const unknown = o.chapters.filter((c) => !available.includes(c));
      if (unknown.length) r.notices.push(`chapters ${unknown.join(", ")} have no contract or no specs yet and were skipped`);
    }
    r.chapters = scoreChapters([], chapters);
    const entry = resolveEntry(o.submission);
    if (!entry) {
      r.status = "not-gradable";
      r.typecheck.errors.push(`no module to grade at ${clean(o.submission, 300)} (a .ts/.js file, or a folder with ${ENTRY_NAMES.join(" / ")})`);
      return finish(r, t0);
    }
    const allFns = [...fns.values()].flat();
    const tc = typecheck(entry, allFns);
    r.phases = { typecheck: tc.seconds };
    r.exports = tc.exports.map((e) => clean(e, 100));
    r.typecheck = { errors: tc.errors, warnings: tc.warnings };
    if (!tc.ok) {
      r.status = "not-gradable";
      return finish(r, t0);
    }
    const tb = performance.now();
    try {
      sandboxDir = buildSandbox(entry).dir;
      r.phases.bundle = (performance.now() - tb) / 1000;
    } catch (e) {
      r.status = "not-gradable";
      r.typecheck.errors.push(clean(`the module cannot be bundled: ${(e as Error).message}`));
      return finish(r, t0);
    }
    const hiddenAbs = o.hidden ? path.resolve(o.hidden) : undefined;
    if (hiddenAbs && !existsSync(hiddenAbs)) throw new Error(`--hidden folder ${hiddenAbs} does not exist`);
    const patterns = o.specs?.length ? o.specs.filter((x) => x !== "none").map((x) => `*${x.replace(/[^\w.-]/g, "")}*.spec.ts`) : ["*.spec.ts"];
    const include = chapters.flatMap((c) => patterns.map((p) => `${dirs.get(c)}/**/${p}`));
    if (hiddenAbs) include.push(`${hiddenAbs}/**/*.spec.ts`);
    const rel = path.relative(ROOT, entry);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGBOOK_IMPL: rel.startsWith("..") ? entry : rel,
      PGBOOK_SANDBOX: "1",
      PGBOOK_SANDBOX_DIR: sandboxDir,
      PGBOOK_SANDBOX_EXPORTS: tc.attempted.join(","),
      PGBOOK_SEED: seed,
      PGBOOK_CALL_TIMEOUT_MS: String(o.callTimeoutMs ?? 3000),
      PGBOOK_SANDBOX_DEADLINE: String(Date.now() + (o.submissionTimeoutMs ?? 300_000)),
      PGBOOK_GRADE_INCLUDE: JSON.stringify(include),
      PGBOOK_GRADE_SLOW: o.slow ? "1" : "0",
    };
    const cwd = process.cwd();
    process.chdir(ROOT);
    let run: RunOutcome;
    const tr = performance.now();
    try {
      run = runTier("fast", env, ["--config", "scripts/grader/vitest.grade.config.ts"]);
    } finally {
      process.chdir(cwd);
      r.phases.checks = (performance.now() - tr) / 1000;
    }
    for (const e of run.errors) r.notices.push(clean(e, 1500));
    const checks: Check[] = toChecks(run.tests, {
      chapters: new Set(chapters),
      weights: o.weights,
      isHidden: (f) => !!hiddenAbs && path.resolve(ROOT, f).startsWith(hiddenAbs + path.sep),
      fns,
    });
    r.checks = checks;
    r.chapters = scoreChapters(checks, chapters);
    if (run.errors.length || (run.tests.length === 0 && include.length > 0 && run.exitCode !== 0)) r.status = "grader-error";
    return finish(r, t0);
  } catch (e) {
    r.status = "grader-error";
    r.notices.push(clean(`the grader failed: ${(e as Error).stack ?? e}`));
    return finish(r, t0);
  } finally {
    if (sandboxDir) rmSync(sandboxDir, { recursive: true, force: true });
  }
}

/** Read a weights file ({ default, tags: { "eq 12": 2 }, kinds: { "monte-carlo": 2 } }). */
export function readWeights(file: string): Weights {
  return JSON.parse(readFileSync(file, "utf8")) as Weights;
}
