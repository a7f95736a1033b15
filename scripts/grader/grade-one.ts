/**
 * Grade one submission: type-check it against the contract, bundle it into a sandbox folder, run the
 * chosen chapters' specs (both tiers, plus hidden ones) with the seam pointing at the sandbox, and turn
 * the results into a report. Never throws: a failure of the grader itself becomes a report with
 * status "grader-error" (exit code 3).
 */
import { spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { expectedChecks, GRACE_MS, runChecks, type ListedCheck } from "./run-checks.ts";
import { buildSandboxAsync, NotGradable } from "./sandbox/build.ts";
import {
  acquireUid,
  isolationLine,
  killUid,
  missingRequired,
  probeIsolation,
  type Isolation,
} from "./sandbox/isolation.ts";

const isolationOf = (env: NodeJS.ProcessEnv): Isolation =>
  JSON.parse(env.PGBOOK_SANDBOX_ISOLATION ?? "{}") as Isolation;
import { DEFAULT_MASTER_SEED } from "../../measure/seed.ts";
import { toChecks, unexercisedFailures, weightOf, type Check, type Weights } from "./checks.ts";
import { tagsOf } from "../lib/run-specs.ts";
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
  /** A master seed used as it is (not secret, not keyed with the submission); `seed` takes precedence. */
  masterSeed?: string;
  callTimeoutMs?: number;
  submissionTimeoutMs?: number;
  weights?: Weights;
  /** Only the book's spec files whose names contain one of these (["none"]: none, only --hidden). */
  specs?: string[];
  /** Also grade the slow tier (training runs, large Monte Carlo designs): minutes through the sandbox. */
  slow?: boolean;
  /** Refuse to grade (exit 3) unless every isolation layer is active. */
  requireIsolation?: boolean;
}

/**
 * The master seed a submission is graded with under a secret seed (the public seed is used as it
 * is, so students reproduce it with `npm test`): the secret keyed with the submission's content, so each
 * submission meets its own instances and a fixed secret leaks nothing across resubmissions through
 * the pattern of passes and fails.
 */
export function submissionSeed(secret: string, bundle: string): string {
  const content = createHash("sha256").update(readFileSync(bundle)).digest();
  return `s${createHmac("sha256", secret).update(content).digest("hex").slice(0, 24)}`;
}

const SELF_TEST = path.join(ROOT, "scripts/grader/self-test");

/**
 * The grader's self-test: one check through the sandbox, as it will run the student's, with a
 * known-good module. Returns undefined when it held, else the cause (the grader's fault).
 */
async function selfTest(base: NodeJS.ProcessEnv): Promise<string | undefined> {
  // A self-test that held is reused for SELF_TEST_FRESH_MS by gradings with the same sandbox (its
  // code, the Node binary, the layers): a batch of a class pays for it once, not per submission.
  const { uid: _u, gid: _g, ...layers } = isolationOf(base);
  const key = createHash("sha256").update(JSON.stringify(layers)).update(process.execPath).update(process.version);
  for (const dir of [path.join(ROOT, "scripts/grader/sandbox"), SELF_TEST])
    for (const f of readdirSync(dir).sort()) key.update(f).update(readFileSync(path.join(dir, f)));
  const stamp = path.join(ROOT, ".cache/grader", `self-test-${key.digest("hex").slice(0, 24)}.ok`);
  if (existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < SELF_TEST_FRESH_MS) return undefined;
  const failure = await runSelfTest(base);
  if (!failure) {
    mkdirSync(path.dirname(stamp), { recursive: true });
    writeFileSync(stamp, new Date().toISOString() + "\n");
  }
  return failure;
}

/** How long a self-test that held stands for later gradings (ms). */
const SELF_TEST_FRESH_MS = 10 * 60_000;

async function runSelfTest(base: NodeJS.ProcessEnv): Promise<string | undefined> {
  let files;
  try {
    files = await buildSandboxAsync(path.join(SELF_TEST, "module.js"));
  } catch (e) {
    return `the sandbox could not be built: ${(e as Error).message}`;
  }
  try {
    const spec = "scripts/grader/self-test/self-test.spec.ts";
    const env = {
      ...base,
      PGBOOK_IMPL: "scripts/grader/self-test/module.js",
      PGBOOK_SANDBOX_DIR: files.dir,
      PGBOOK_SANDBOX_EXPORTS: "gibbsPolicy",
      PGBOOK_GRADE_INCLUDE: JSON.stringify([spec]),
      PGBOOK_SANDBOX_DEADLINE: String(Date.now() + 60_000),
      PGBOOK_CALL_TIMEOUT_MS: "30000",
    };
    const want: ListedCheck = { file: spec, path: "the sandbox answers a call of a known-good module exactly" };
    const run = await runChecks(env, [want], Date.now() + 60_000, isolationOf(base).uid);
    const t = run.tests.find((x) => x.file === spec);
    if (t?.status === "passed") return undefined;
    const why = t
      ? t.failureMessages.join("\n").split("\n").slice(0, 3).join(" ")
      : run.errors.join(" ") || run.output.slice(-600);
    return `the grader's self-test failed (a known-good module through the sandbox): ${clean(why, 800)}`;
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
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
  // the book's own clone only: installed under node_modules of someone's repository, git would name theirs
  const p = spawnSync("git", ["rev-parse", "--show-toplevel", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const [top, head] = p.status === 0 ? p.stdout.trim().split("\n") : [];
  if (top && head && realpathSync(top) === realpathSync(ROOT)) return head;
  // a platform bundle (GRADER_COMMIT) or the installed package (dist/GRADER_COMMIT, from npm pack) carries its commit
  for (const f of ["GRADER_COMMIT", "dist/GRADER_COMMIT"])
    if (existsSync(path.join(ROOT, f))) return readFileSync(path.join(ROOT, f), "utf8").trim();
  return "unknown";
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

export async function gradeSubmission(o: GradeOptions): Promise<Report> {
  const t0 = performance.now();
  const t0Epoch = Date.now();
  const fns = chapterFunctions();
  const dirs = chapterSpecDirs();
  const available = [...dirs.keys()].filter((c) => fns.has(c));
  const chapters = (o.chapters?.length ? o.chapters : available).filter((c) => available.includes(c));
  let seed = o.seed ?? o.masterSeed ?? DEFAULT_MASTER_SEED;
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
    seedSecret: o.seed !== undefined,
  };
  let sandboxDir: string | undefined;
  const slot = acquireUid();
  try {
    // The isolation layers, probed here; the grader's own faults stop the grading before any check.
    const iso: Isolation = probeIsolation(process.execPath, slot?.uid);
    r.isolation = { layers: iso.layers, missing: iso.missing, line: isolationLine(iso) };
    if (!iso.permissionFlag) {
      r.status = "grader-error";
      r.notices.push(`the sandbox cannot start: ${iso.missing["permission-model"]}`);
      return finish(r, t0);
    }
    if (process.getuid?.() === 0 && !iso.layers.includes("uid")) {
      // as root, a child without a uid of its own could signal or read anything on the machine
      r.status = "grader-error";
      r.notices.push(`refusing to run student code as root: the sandbox uid is not available (${iso.missing.uid})`);
      return finish(r, t0);
    }
    const lacking = missingRequired(iso);
    if (o.requireIsolation && lacking.length) {
      r.status = "grader-error";
      r.notices.push(
        `--require-isolation: not graded, these isolation layers are not available here: ${lacking.join("; ")}`,
      );
      return finish(r, t0);
    }
    if (o.chapters?.length) {
      const unknown = o.chapters.filter((c) => !available.includes(c));
      if (unknown.length)
        r.notices.push(`chapters ${unknown.join(", ")} have no contract or no specs yet and were skipped`);
    }
    r.chapters = scoreChapters([], chapters);
    const entry = resolveEntry(o.submission);
    if (!entry) {
      r.status = "not-gradable";
      r.typecheck.errors.push(
        `no module to grade at ${clean(o.submission, 300)} (a .ts/.js file, or a folder with ${ENTRY_NAMES.join(" / ")})`,
      );
      return finish(r, t0);
    }
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      PGBOOK_SANDBOX: "1",
      PGBOOK_SANDBOX_ISOLATION: JSON.stringify(iso),
      PGBOOK_CALL_TIMEOUT_MS: String(o.callTimeoutMs ?? 3000),
      PGBOOK_GRADE_SLOW: o.slow ? "1" : "0",
    };
    // the self-test runs while the submission is bundled and type-checked
    r.phases = {};
    const selfTested = (async () => {
      const t = performance.now();
      const failure = await selfTest(base);
      r.phases!.selfTest = (performance.now() - t) / 1000;
      return failure;
    })();
    // Bundled first, confined to the submission's folder: nothing outside it is read, by esbuild or
    // by the type check after it (which then only sees files the bundle was allowed to reach).
    const tb = performance.now();
    let bundleError: string | undefined;
    try {
      sandboxDir = (await buildSandboxAsync(entry)).dir;
    } catch (e) {
      bundleError = e instanceof NotGradable ? e.message : `the module cannot be bundled: ${(e as Error).message}`;
    }
    r.phases.bundle = (performance.now() - tb) / 1000;
    const allFns = [...fns.values()].flat();
    const tc = bundleError ? undefined : typecheck(entry, allFns);
    if (tc) {
      r.phases.typecheck = tc.seconds;
      r.exports = tc.exports.map((e) => clean(e, 100));
      r.typecheck = { errors: tc.errors, warnings: tc.warnings };
    }
    const selfFailure = await selfTested;
    if (selfFailure) {
      r.status = "grader-error";
      r.notices.push(selfFailure);
      return finish(r, t0);
    }
    if (bundleError || !tc?.ok) {
      r.status = "not-gradable";
      if (bundleError) r.typecheck.errors.push(clean(bundleError));
      return finish(r, t0);
    }
    const hiddenAbs = o.hidden ? path.resolve(o.hidden) : undefined;
    if (hiddenAbs && !existsSync(hiddenAbs)) throw new Error(`--hidden folder ${hiddenAbs} does not exist`);
    const patterns = o.specs?.length
      ? o.specs.filter((x) => x !== "none").map((x) => `*${x.replace(/[^\w.-]/g, "")}*.spec.ts`)
      : ["*.spec.ts"];
    const include = chapters.flatMap((c) => patterns.map((p) => `${dirs.get(c)}/**/${p}`));
    if (hiddenAbs) include.push(`${hiddenAbs}/**/*.spec.ts`);
    const rel = path.relative(ROOT, entry);
    seed = o.seed === undefined ? seed : submissionSeed(o.seed, path.join(sandboxDir!, "submission.mjs"));
    r.seed = seed;
    // the submission's time counts from the start of the grading, so the whole grading ends within it (plus the grace)
    const deadline = t0Epoch + (o.submissionTimeoutMs ?? 300_000);
    const env: NodeJS.ProcessEnv = {
      ...base,
      PGBOOK_IMPL: rel.startsWith("..") ? entry : rel,
      PGBOOK_SANDBOX_DIR: sandboxDir,
      PGBOOK_SANDBOX_EXPORTS: tc.attempted.join(","),
      PGBOOK_SEED: seed,
      PGBOOK_SANDBOX_DEADLINE: String(deadline),
      PGBOOK_GRADE_INCLUDE: JSON.stringify(include),
    };
    const tr = performance.now();
    // every check the submission must face, known before any runs: none may vanish
    const expected = expectedChecks(env, hiddenAbs);
    const run = await runChecks(env, expected, deadline + GRACE_MS, iso.uid);
    r.phases.checks = (performance.now() - tr) / 1000;
    for (const e of run.errors) r.notices.push(clean(e, 1500));
    const mapping = {
      chapters: new Set(chapters),
      weights: o.weights,
      isHidden: (f: string) => !!hiddenAbs && path.resolve(ROOT, f).startsWith(hiddenAbs + path.sep),
      fns,
    };
    const checks: Check[] = toChecks(run.tests, mapping);
    const { book, hidden } = unexercisedFailures(run.tests, mapping);
    if (book.length || hidden)
      r.notices.push(
        clean(
          `${book.length + hidden} checks that call none of the submission's functions failed (not graded: they check the book's or the instructor's own tools)${book.length ? `: ${book.slice(0, 5).join("; ")}${book.length > 5 ? "; …" : ""}` : ""}${hidden ? `${book.length ? "; and" : ":"} ${hidden} of the hidden checks` : ""}`,
          2000,
        ),
      );
    if (run.stopped === "deadline") {
      // stopped from outside at the deadline: what did not run fails with the verdict `deadline`
      r.notices.push(
        `the grading was stopped ${GRACE_MS / 1000} s after the submission's total time limit; ${run.missing.length} checks had not finished`,
      );
      for (const m of run.missing) checks.push(stoppedCheck(m, chapters, o.weights, hiddenAbs));
    } else if (run.missing.length) {
      // a check that did not run is never dropped: the grading is the grader's failure
      r.status = "grader-error";
      const names = run.missing.slice(0, 8).map((m) => `${m.file} › ${m.path}`);
      r.notices.push(
        clean(
          `${run.missing.length} checks did not run (${run.stopped ? "the grader was stopped" : `vitest exited with ${run.exitCode}`}); no score is given. ${names.join("; ")}${run.missing.length > 8 ? "; …" : ""}\n${run.output.slice(-800)}`,
          2000,
        ),
      );
    }
    r.checks = checks;
    r.chapters = scoreChapters(checks, chapters);
    if (run.errors.length || (run.tests.length === 0 && include.length > 0 && run.exitCode !== 0))
      r.status = "grader-error";
    return finish(r, t0);
  } catch (e) {
    r.status = "grader-error";
    r.notices.push(clean(`the grader failed: ${(e as Error).stack ?? String(e)}`));
    return finish(r, t0);
  } finally {
    // nothing of the grading's sandboxes outlives it (they run as its uid), then its folders go
    killUid(slot?.uid);
    if (sandboxDir) rmSync(sandboxDir, { recursive: true, force: true });
    slot?.release();
  }
}

/** A listed check the supervisor stopped before it finished: failed, verdict `deadline`. */
function stoppedCheck(m: ListedCheck, chapters: number[], weights: Weights | undefined, hiddenAbs?: string): Check {
  const hidden = !!hiddenAbs && path.resolve(ROOT, m.file).startsWith(hiddenAbs + path.sep);
  const fromPath = Number(/^spec\/(\d+)-/.exec(m.file)?.[1] ?? NaN);
  const chapter = Number.isFinite(fromPath) && chapters.includes(fromPath) ? fromPath : chapters[0];
  const fullName = m.path.split(" > ").join(" ");
  const tags = tagsOf(fullName);
  const weight = weightOf(tags, "exact", weights);
  return {
    id: `${m.file}::${fullName}`,
    chapter,
    file: m.file,
    name: clean(fullName, 300),
    tags,
    kind: "exact",
    functions: [],
    status: "failed",
    verdict: "deadline",
    message:
      "pgbook-sandbox[deadline]: not run: the submission's total time limit was used up and the grading was stopped",
    weight,
    points: 0,
    hidden,
    seconds: 0,
  };
}

/** Read a weights file ({ default, tags: { "eq 12": 2 }, kinds: { "monte-carlo": 2 } }). */
export function readWeights(file: string): Weights {
  return JSON.parse(readFileSync(file, "utf8")) as Weights;
}
