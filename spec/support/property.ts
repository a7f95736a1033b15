/**
 * Property checks over random instances drawn by fast-check, seeded from the test's own seed.
 * A failure prints fast-check's counterexample, its seed and path, and the replay command.
 */
import fc from "fast-check";
import type { TestContext } from "vitest";
import { claim, testSeed32 } from "./claim.ts";

export interface PropertyOptions {
  numRuns?: number;
  implements?: string[];
}

/** Run a fast-check property (sync) under the test's seed and record it as a property check. */
export function checkProperty<T>(ctx: TestContext, property: fc.IProperty<T>, o: PropertyOptions = {}): void {
  const seed = testSeed32(ctx);
  const numRuns = o.numRuns ?? 100;
  const meta = claim(ctx, "property", { samples: numRuns, facts: { fastCheckSeed: seed }, implements: o.implements ?? [] });
  const details = fc.check(property, { seed, numRuns });
  if (details.failed) {
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? "");
    throw new Error(
      `property failed after ${details.numRuns} runs on ${fc.stringify(details.counterexample)}\n  ${err}\n` +
        `  fast-check seed: ${details.seed}, path: ${details.counterexamplePath}\n  replay: ${meta.replay}`,
    );
  }
}
