/** The fast tier: every `*.spec.ts` except the slow ones; run by `npm test` with coverage of src/. */
import { defineConfig } from "vitest/config";
import { sharedTest } from "./vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    include: ["spec/**/*.spec.ts"],
    exclude: ["spec/**/*.slow.spec.ts", "node_modules/**"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "measure/**/*.ts"],
      exclude: ["src/contract/**", "src/**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 85, functions: 85, branches: 75, statements: 85 },
    },
  },
});
