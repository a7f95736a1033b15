/**
 * The grader's vitest configuration: both tiers of the chosen chapters' specs plus any instructor-only
 * specs (`--hidden`), run against the sandboxed submission. The grader passes the spec globs in
 * PGBOOK_GRADE_INCLUDE (a JSON list). Hidden specs import the seam and the book's tools through the
 * aliases "@pgbook/support/<file>" (spec/support), "@pgbook/measure/<file>" (measure) and "@pgbook/src/<file>" (src).
 * It stays apart from the book's projects (vitest.config.ts): it runs on a copy of the book with a root
 * and aliases of its own, the sandbox as the seam's provider and only the chapters it was asked for;
 * the spec tiers' settings (the master seed for the workers, fast-check's setup) come from there.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { specSettings } from "../../vitest.config.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const include = JSON.parse(process.env.PGBOOK_GRADE_INCLUDE ?? '["spec/[1-9]*/**/*.spec.ts"]') as string[];
/** The slow tier (training runs, large Monte Carlo designs) is graded only when asked for (`--slow`). */
const exclude = ["node_modules/**", ...(process.env.PGBOOK_GRADE_SLOW === "1" ? [] : ["**/*.slow.spec.ts"])];
/**
 * Test workers of one grading, each with its own sandbox: one per core by default (vitest's own default,
 * cores − 1, grades one file at a time on 2 cores while the judging thread mostly waits for the child);
 * a batch of several jobs gives each its share of the cores (PGBOOK_GRADE_WORKERS).
 */
const given = Number(process.env.PGBOOK_GRADE_WORKERS);
const workers = Number.isInteger(given) && given > 0 ? given : availableParallelism();

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@pgbook\/support\/(.*)$/, replacement: `${root}/spec/support/$1` },
      { find: /^@pgbook\/measure\/(.*)$/, replacement: `${root}/measure/$1` },
      { find: /^@pgbook\/src\/(.*)$/, replacement: `${root}/src/$1` },
    ],
  },
  server: { fs: { strict: false } },
  test: {
    ...specSettings,
    // the sandbox registers itself as the seam's provider before any spec loads
    setupFiles: ["scripts/grader/sandbox/provider.ts", ...specSettings.setupFiles],
    reporters: ["default"],
    include,
    exclude,
    // One sandbox per worker, kept across spec files: the seam (and so the child holding the submission)
    // is imported once per worker instead of once per file, as the fast tier runs the specs (isolate: false).
    // The child already met every check of a file in one process; sharing it across files gives the
    // submission no channel it did not have, and a crashed child is restarted as before.
    isolate: false,
    // PGBOOK_GRADE_PROF=<dir>: a CPU profile of each test worker (the judging side) for `node --cpu-prof`'s readers
    ...(process.env.PGBOOK_GRADE_PROF
      ? { execArgv: ["--cpu-prof", `--cpu-prof-dir=${process.env.PGBOOK_GRADE_PROF}`] }
      : {}),
    maxWorkers: workers,
    testTimeout: 600_000,
    passWithNoTests: true,
  },
});
