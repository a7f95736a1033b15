/**
 * The fast tier as Stryker runs it (`npm run mutation`): the spec folders of one module only, named by
 * `PGBOOK_MUTATION_SPECS` (comma-separated globs, set by scripts/tools/mutation.ts), so a module's mutants are
 * tested by the checks of its own chapter and the run stays within its time budget.
 */
import { defineConfig } from "vitest/config";
import { sharedTest } from "./vitest.shared.ts";

const specs = (process.env.PGBOOK_MUTATION_SPECS ?? "spec/**/*.spec.ts").split(",").filter(Boolean);

export default defineConfig({
  test: {
    ...sharedTest,
    reporters: ["default"],
    include: specs,
    exclude: ["spec/**/*.slow.spec.ts", "node_modules/**"],
  },
});
