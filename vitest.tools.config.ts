/** Tests of the tooling (site builder, grader, CLI): `npm run test:tools`. Not claims of the book. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
    passWithNoTests: true,
    fileParallelism: false,
  },
});
