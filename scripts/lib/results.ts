/**
 * The results of a full run (both tiers), cached in `.cache/` under a key made of the content of
 * everything that can change them: src/, spec/, chapters/, scripts/, the config files, the lockfile,
 * the master seed and the implementation under test. A cached run is reused only under the same key.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runTier, type TestResult } from "./run-specs.ts";

export interface CheckResults {
  tests: TestResult[];
  /** Vitest's own errors (a spec file that failed to load). */
  errors: string[];
  masterSeed: string;
  seconds: { fast: number; slow: number };
  /** When the checks ran (ISO 8601). */
  ranAt: string;
  /** The content key the results were produced under. */
  key: string;
  /** True when this build reused an earlier run. */
  cached?: boolean;
}

// what the checks read: the code under test, the measuring tools, the claims (which read the chapters'
// figure settings) and the runner itself; the site builder, grader and CLI are not inputs of a check
const INPUT_DIRS = ["src", "measure", "spec", "chapters", "scripts/lib"];
const INPUT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "vitest.config.ts"];

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** The content key of a run: sha256 over every input file (path and bytes), the seed and the seam. */
export function inputKey(root: string, masterSeed: string, impl = process.env.PGBOOK_IMPL ?? ""): string {
  return contentKey(root, INPUT_DIRS, INPUT_FILES, `seed\0${masterSeed}\0impl\0${impl}\0`);
}

/** sha256 over `prefix` and every file under `dirs` and of `files` (path and bytes), in a fixed order. */
export function contentKey(root: string, dirs: string[], files: string[], prefix: string): string {
  const all: string[] = [];
  for (const d of dirs) walk(path.join(root, d), all);
  for (const f of files) if (existsSync(path.join(root, f))) all.push(path.join(root, f));
  const h = createHash("sha256");
  h.update(prefix);
  for (const f of all) {
    h.update(path.relative(root, f).split(path.sep).join("/"));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

function cacheFile(root: string, key: string): string {
  return path.join(root, ".cache", `results-${key.slice(0, 24)}.json`);
}

/** The cached results for this key, if a run under exactly this key was saved. */
export function loadCached(root: string, key: string): CheckResults | undefined {
  const f = cacheFile(root, key);
  if (!existsSync(f)) return undefined;
  try {
    const r = JSON.parse(readFileSync(f, "utf8")) as CheckResults;
    return r.key === key ? { ...r, cached: true } : undefined;
  } catch {
    return undefined;
  }
}

/** Run both tiers under `masterSeed` (fast, then slow) and save the results under `key`. */
export function runChecks(
  root: string,
  masterSeed: string,
  key: string,
  log: (s: string) => void = () => {},
): CheckResults {
  const env = { ...process.env, PGBOOK_SEED: masterSeed };
  const ranAt = new Date().toISOString();
  log("running the fast tier…");
  const fast = runTier("fast", env);
  log(`fast tier: ${fast.tests.length} checks in ${fast.seconds.toFixed(1)} s; running the slow tier…`);
  const slow = runTier("slow", env);
  log(`slow tier: ${slow.tests.length} checks in ${slow.seconds.toFixed(1)} s`);
  const results: CheckResults = {
    tests: [...fast.tests, ...slow.tests],
    errors: [...fast.errors, ...slow.errors],
    masterSeed,
    seconds: { fast: fast.seconds, slow: slow.seconds },
    ranAt,
    key,
  };
  mkdirSync(path.join(root, ".cache"), { recursive: true });
  writeFileSync(cacheFile(root, key), JSON.stringify(results));
  return results;
}
