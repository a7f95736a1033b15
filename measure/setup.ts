/** Runs in every test worker before the specs: fast-check's defaults follow the master seed. */
import fc from "fast-check";
import { seed32 } from "../src/contract/random.ts";
import { masterSeed } from "./seed.ts";

fc.configureGlobal({ seed: seed32(masterSeed(), "fast-check") | 0, numRuns: 100 });
