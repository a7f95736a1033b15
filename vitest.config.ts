/**
 * The book's one vitest configuration: each tier is a project, picked with `--project <name>`.
 *
 *   fast      the `*.spec.ts` files of spec/ but the slow ones: `npm test` (`npm run coverage`: with coverage of src/ and measure/)
 *   slow      the `*.slow.spec.ts` files of spec/: long training runs, large Monte Carlo designs (`npm run test:slow`)
 *   tools     the `*.test.ts` files of test/: the tooling (site builder, grader, CLI), one file at a time (`npm run test:tools`)
 *   mutation  the fast tier as Stryker runs it (`npm run mutation`): the spec globs of one module named by
 *             PGBOOK_MUTATION_SPECS (comma-separated, set by scripts/tools/mutation.ts; default the whole
 *             fast tier), so a module's mutants meet the checks of its own chapter. It is the only project
 *             when PGBOOK_MUTATION_SPECS is set or Stryker's runner loads this file (Stryker cannot pick a
 *             project), and absent otherwise
 *
 * Without `--project`, a run takes every project with matching files: `npx vitest run <spec file>`
 * replays a check in its own tier, `npx vitest run spec/4-language-models` runs both tiers of a
 * chapter (`--project fast` for the fast one alone), a bare `npx vitest run` every tier.
 *
 * The master seed is resolved once, here, and handed to every worker. The grader has a configuration
 * of its own (scripts/grader/vitest.grade.config.ts: another root, the sandbox as the seam's provider,
 * the chapters it was asked for), which takes `specSettings` from here.
 */
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import type { TestProjectInlineConfiguration } from "vitest/config";
import type { TestModule } from "vitest/node";
import { resolveMasterSeed } from "./measure/seed.ts";
import BudgetReporter from "./scripts/lib/budget-reporter.ts";

export const MASTER_SEED = resolveMasterSeed();
/**
 * One test worker per core. vitest's default leaves a core to its main process (cores − 1), which on a
 * 2-core machine runs the specs one file at a time; the main process does little while they run
 * (measured: the fast tier 36.5 s with one worker, 22.9 s with two).
 */
const WORKERS = availableParallelism();
process.env.PGBOOK_SEED = MASTER_SEED;

/** Settings of every tier of the specs (the grader's too): the seed for the workers, fast-check's setup. */
export const specSettings = {
  env: { PGBOOK_SEED: MASTER_SEED },
  setupFiles: ["measure/setup.ts"],
  testTimeout: 60_000,
};

const SLOW_SPECS = "spec/**/*.slow.spec.ts";
/** The tiers whose checks count in the statistical budget the run prints. */
const BUDGET_TIERS = new Set(["fast", "slow"]);

/** The budget reporter (Σα + Σβ, the master seed) over the spec tiers' files of a run; silent for the others. */
class SpecBudgetReporter extends BudgetReporter {
  override onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const specs = modules.filter((m) => BUDGET_TIERS.has(m.project.name));
    if (specs.length) super.onTestRunEnd(specs);
  }
}

// isolate: false — the specs are pure functions over their own seeds (no module state, no env writes, no mocks),
// so a worker need not re-import the book for every file; that re-import was 20 of the fast tier's 45 s.
const fast: TestProjectInlineConfiguration = {
  test: {
    name: "fast",
    ...specSettings,
    isolate: false,
    maxWorkers: WORKERS,
    include: ["spec/**/*.spec.ts"],
    exclude: [SLOW_SPECS, "node_modules/**"],
  },
};
const slow: TestProjectInlineConfiguration = {
  test: { name: "slow", ...specSettings, include: [SLOW_SPECS], testTimeout: 600_000, maxWorkers: WORKERS },
};
const tools: TestProjectInlineConfiguration = {
  test: {
    name: "tools",
    include: ["test/**/*.test.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
    fileParallelism: false,
  },
};
/** Stryker's test runners (each has STRYKER_MUTATOR_WORKER set) and runs naming PGBOOK_MUTATION_SPECS. */
const mutating = process.env.PGBOOK_MUTATION_SPECS !== undefined || process.env.STRYKER_MUTATOR_WORKER !== undefined;
const mutationSpecs = (process.env.PGBOOK_MUTATION_SPECS ?? "spec/**/*.spec.ts").split(",").filter(Boolean);
const mutation: TestProjectInlineConfiguration = {
  test: { name: "mutation", ...specSettings, include: mutationSpecs, exclude: [SLOW_SPECS, "node_modules/**"] },
};

export default defineConfig({
  test: {
    projects: mutating ? [mutation] : [fast, slow, tools],
    reporters: ["default", new SpecBudgetReporter()],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "measure/**/*.ts"],
      exclude: ["src/contract/**", "src/**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 85, functions: 85, branches: 75, statements: 85 },
    },
  },
});
