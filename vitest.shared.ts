/** Settings shared by both tiers: the master seed is resolved once here and handed to every worker. */
import { resolveMasterSeed } from "./spec/support/seed.ts";

export const MASTER_SEED = resolveMasterSeed();
process.env.PGBOOK_SEED = MASTER_SEED;

export const sharedTest = {
  env: { PGBOOK_SEED: MASTER_SEED },
  setupFiles: ["spec/support/setup.ts"],
  reporters: ["default", "./spec/support/budget-reporter.ts"],
  testTimeout: 60_000,
};
