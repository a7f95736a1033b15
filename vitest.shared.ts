/** Settings shared by both tiers: the master seed is resolved once here and handed to every worker. */
import { resolveMasterSeed } from "./measure/seed.ts";

export const MASTER_SEED = resolveMasterSeed();
process.env.PGBOOK_SEED = MASTER_SEED;

export const sharedTest = {
  env: { PGBOOK_SEED: MASTER_SEED },
  setupFiles: ["measure/setup.ts"],
  reporters: ["default", "./scripts/lib/budget-reporter.ts"],
  testTimeout: 60_000,
};
