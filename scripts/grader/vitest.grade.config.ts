/**
 * The grader's vitest configuration: both tiers of the chosen chapters' specs plus any instructor-only
 * specs (`--hidden`), run against the sandboxed submission. The grader passes the spec globs in
 * PGBOOK_GRADE_INCLUDE (a JSON list). Hidden specs import the seam and the book's tools through the
 * aliases "@pgbook/support/<file>" (spec/support), "@pgbook/measure/<file>" (measure) and "@pgbook/src/<file>" (src).
 * It stays apart from the book's projects (vitest.config.ts): it runs on a copy of the book with a root
 * and aliases of its own, the sandbox as the seam's provider and only the chapters it was asked for;
 * the spec tiers' settings (the master seed for the workers, fast-check's setup) come from there.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { specSettings } from "../../vitest.config.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const include = JSON.parse(process.env.PGBOOK_GRADE_INCLUDE ?? '["spec/[1-9]*/**/*.spec.ts"]') as string[];
/** The slow tier (training runs, large Monte Carlo designs) is graded only when asked for (`--slow`). */
const exclude = ["node_modules/**", ...(process.env.PGBOOK_GRADE_SLOW === "1" ? [] : ["**/*.slow.spec.ts"])];

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
    testTimeout: 600_000,
    passWithNoTests: true,
  },
});
