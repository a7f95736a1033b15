/** The slow tier: long training runs and large Monte Carlo designs (`npm run test:slow`, CI, site build). */
import { defineConfig } from "vitest/config";
import { sharedTest } from "./vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    include: ["spec/**/*.slow.spec.ts"],
    testTimeout: 600_000,
    passWithNoTests: true,
  },
});
