/**
 * Run both tiers of the specs through vitest's JSON reporter and collect each test's outcome with
 * the facts it attached (ctx.task.meta.pgbook) and the tags in its title.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ClaimMeta } from "../../measure/claim-meta.ts";

export interface TestResult {
  file: string;
  fullName: string;
  /** Ancestor titles and the title joined by " > " (vitest list's name), when known. */
  path?: string;
  title: string;
  status: "passed" | "failed" | "skipped" | "pending" | "todo";
  duration: number;
  failureMessages: string[];
  tags: string[];
  tier: "fast" | "slow";
  /** Line of the test in its spec file (vitest's includeTaskLocation), when known. */
  line?: number;
  meta?: ClaimMeta;
}

export interface RunOutcome {
  tests: TestResult[];
  seconds: number;
  exitCode: number;
  /** Vitest's own errors (a spec that failed to load), if any. */
  errors: string[];
}

/** Tags in a title: `[eq 12] [fig 1] [sec 3.2] [erratum max-in-q]`, one bracket per tag. */
export function tagsOf(title: string): string[] {
  const out: string[] = [];
  for (const m of title.matchAll(/\[(eq \d+|fig \d+|sec \d+(?:\.\d+)*|erratum [a-z0-9-]+)\]/g)) out.push(m[1]);
  return out;
}

export interface JsonReport {
  testResults: {
    name: string;
    message?: string;
    status: string;
    assertionResults: {
      fullName: string;
      ancestorTitles?: string[];
      title: string;
      status: TestResult["status"];
      duration?: number;
      failureMessages: string[];
      location?: { line: number; column: number };
      meta?: { pgbook?: ClaimMeta };
    }[];
  }[];
}

/** Run one tier and return its tests. `env` may set PGBOOK_SEED, PGBOOK_IMPL and so on. */
export function runTier(tier: "fast" | "slow", env: NodeJS.ProcessEnv = process.env, extra: string[] = []): RunOutcome {
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-run-"));
  const out = path.join(dir, "results.json");
  // each tier is a project of vitest.config.ts
  const args = [
    "vitest",
    "run",
    "--project",
    tier,
    "--reporter=json",
    `--outputFile=${out}`,
    "--includeTaskLocation",
    ...extra,
  ];
  const t0 = performance.now();
  const p = spawnSync("npx", args, { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(out, "utf8")) as JsonReport;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return {
      tests: [],
      seconds,
      exitCode: p.status ?? 1,
      errors: [`vitest produced no results (${tier} tier): ${p.stderr.slice(-2000)}`],
    };
  }
  rmSync(dir, { recursive: true, force: true });
  return { ...testsOf(report, tier), seconds, exitCode: p.status ?? 1 };
}

/**
 * The tests of a vitest JSON report, their paths relative to `root` (the working directory unless given: the
 * grader gives the book's root, wherever it was called from), and the files that failed to load.
 */
export function testsOf(
  report: JsonReport,
  tier: "fast" | "slow",
  root = process.cwd(),
): { tests: TestResult[]; errors: string[] } {
  const tests: TestResult[] = [];
  const errors: string[] = [];
  for (const f of report.testResults) {
    const file = path.relative(root, f.name).split(path.sep).join("/");
    if (f.status === "failed" && f.assertionResults.length === 0)
      errors.push(`${file}: ${f.message ?? "failed to load"}`);
    for (const a of f.assertionResults) {
      tests.push({
        file,
        fullName: a.fullName,
        path: [...(a.ancestorTitles ?? []), a.title].join(" > "),
        title: a.title,
        status: a.status,
        duration: a.duration ?? 0,
        failureMessages: a.failureMessages ?? [],
        tags: tagsOf(a.title),
        tier,
        line: a.location?.line,
        meta: a.meta?.pgbook,
      });
    }
  }
  return { tests, errors };
}
