/**
 * Running a grading's checks under an outside supervisor, with nothing lost.
 *
 * - Before anything runs, the list of checks the submission must face is known: `vitest list` over
 *   the same spec files with the book's reference implementation (cached by the specs' content).
 * - vitest runs as its own process group; the supervisor (this process, outside the child's and
 *   vitest's process trees) kills the whole group when the submission's deadline plus a grace
 *   period has passed, so a grading always ends.
 * - Each result is streamed to a file as it finishes (stream-reporter.ts), so a stopped run keeps
 *   what it reached; a listed check with no result is returned in `missing`, never dropped.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tagsOf, testsOf, type JsonReport, type TestResult } from "../lib/run-specs.ts";
import { ROOT } from "./contract.ts";
import { killUid } from "./sandbox/isolation.ts";

const CONFIG = "scripts/grader/vitest.grade.config.ts";
/** vitest's command, wherever npm put it: the book's node_modules, or beside an installed pgbook. */
const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
/** How long after the submission's deadline the supervisor waits for vitest to finish by itself. */
export const GRACE_MS = 8_000;

export interface ListedCheck {
  /** Relative to the project root, as in the results. */
  file: string;
  /** Ancestors and title joined by " > " (vitest list's name; a title may itself contain " > "). */
  path: string;
}

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory() && d.name !== "node_modules") filesUnder(p, out);
    else if (d.isFile()) out.push(p);
  }
  return out.sort();
}

/** A content key of everything the list of checks depends on: the specs, their support, the hidden folder, the selection. */
function listKey(env: NodeJS.ProcessEnv, hidden?: string): string {
  const h = createHash("sha256");
  h.update(`${env.PGBOOK_GRADE_INCLUDE}\n${env.PGBOOK_GRADE_SLOW}\n`);
  for (const f of [
    ...filesUnder(path.join(ROOT, "spec")),
    ...(hidden ? filesUnder(hidden) : []),
    path.join(ROOT, CONFIG),
  ]) {
    h.update(f);
    h.update(readFileSync(f));
  }
  return h.digest("hex").slice(0, 24);
}

/** The checks a grading with these settings runs, from `vitest list` with the reference implementation (cached). */
export function expectedChecks(env: NodeJS.ProcessEnv, hidden?: string): ListedCheck[] {
  const cacheDir = path.join(ROOT, ".cache/grader");
  const cached = path.join(cacheDir, `checks-v2-${listKey(env, hidden)}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as ListedCheck[];
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-list-"));
  try {
    const out = path.join(dir, "list.json");
    const { PGBOOK_IMPL: _i, PGBOOK_SANDBOX: _s, ...rest } = env;
    const p = spawnSync(process.execPath, [VITEST, "list", "--config", CONFIG, `--json=${out}`], {
      cwd: ROOT,
      env: rest,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    if (p.status !== 0 || !existsSync(out))
      throw new Error(
        `the list of checks could not be made (vitest list exited ${p.status}): ${(p.stderr ?? "").slice(-1500)}`,
      );
    const listed = (JSON.parse(readFileSync(out, "utf8")) as { name: string; file: string }[]).map((t) => ({
      file: path.relative(ROOT, t.file).split(path.sep).join("/"),
      path: t.name,
    }));
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cached, JSON.stringify(listed));
    return listed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SupervisedRun {
  tests: TestResult[];
  /** Files vitest reported as failed to load, and vitest's own errors. */
  errors: string[];
  exitCode: number | null;
  seconds: number;
  /** Set when the supervisor stopped vitest. */
  stopped?: "deadline" | "signal";
  /** Listed checks with no result (did not run, or were stopped). */
  missing: ListedCheck[];
  /** The tail of vitest's output, for the instructor when something went wrong. */
  output: string;
}

const keyOf = (file: string, testPath: string) => `${file}\u0000${testPath}`;

/**
 * Run the checks with vitest in its own process group and stop the whole group at `stopAt` (epoch
 * ms). Resolves with every result reached and the listed checks that have none.
 */
export function runChecks(
  env: NodeJS.ProcessEnv,
  expected: ListedCheck[],
  stopAt: number,
  sandboxUid?: number,
): Promise<SupervisedRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-run-"));
  const out = path.join(dir, "results.json");
  const stream = path.join(dir, "stream.jsonl");
  const args = [
    VITEST,
    "run",
    "--config",
    CONFIG,
    "--reporter=json",
    `--outputFile=${out}`,
    "--reporter=./scripts/grader/stream-reporter.ts",
    "--includeTaskLocation",
  ];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...env, PGBOOK_GRADE_STREAM: stream },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    p.stdout.on("data", keep);
    p.stderr.on("data", keep);
    let stopped: SupervisedRun["stopped"];
    // vitest's process group, and every sandbox process of the grading's uid (in sessions of their own)
    const killGroup = () => {
      try {
        process.kill(-p.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      killUid(sandboxUid);
    };
    const timer = setTimeout(
      () => {
        stopped = "deadline";
        killGroup();
      },
      Math.max(0, stopAt - Date.now()),
    );
    const onSignal = () => {
      stopped = "signal";
      killGroup();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    p.on("exit", (code) => {
      clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      killGroup(); // anything vitest left behind
      let tests: TestResult[] = [];
      const errors: string[] = [];
      if (existsSync(out) && statSync(out).size > 0) {
        try {
          const r = testsOf(JSON.parse(readFileSync(out, "utf8")) as JsonReport, "fast", ROOT);
          tests = r.tests;
          errors.push(...r.errors);
        } catch (e) {
          errors.push(`vitest's JSON report could not be read: ${(e as Error).message}`);
        }
      }
      // results that only reached the stream (vitest was stopped, or died before its report)
      const have = new Set(
        tests
          .filter((t) => t.status === "passed" || t.status === "failed")
          .map((t) => keyOf(t.file, t.path ?? t.fullName)),
      );
      if (existsSync(stream)) {
        for (const l of readFileSync(stream, "utf8").split("\n")) {
          if (!l.trim()) continue;
          const s = JSON.parse(l) as Omit<TestResult, "tags" | "tier" | "meta"> & {
            meta?: { pgbook?: TestResult["meta"] };
          };
          const file = path.relative(ROOT, s.file).split(path.sep).join("/");
          const k = keyOf(file, s.path ?? s.fullName);
          if (have.has(k) || (s.status !== "passed" && s.status !== "failed")) continue;
          have.add(k);
          tests = tests.filter((t) => keyOf(t.file, t.path ?? t.fullName) !== k);
          tests.push({ ...s, file, tags: tagsOf(s.title), tier: "fast", meta: s.meta?.pgbook });
        }
      }
      rmSync(dir, { recursive: true, force: true });
      const missing = expected.filter((c) => !have.has(keyOf(c.file, c.path)));
      resolve({ tests, errors, exitCode: code, seconds: (performance.now() - t0) / 1000, stopped, missing, output });
    });
  });
}
