/**
 * vitest's runner of the portable claims (spec/claims/claim.ts): a spec file registers a claim with
 * `it(c.title, (ctx) => runClaim(ctx, c))` inside `describe(c.section, …)`, and the claim runs on the seam's
 * implementation under the test's own seed, recorded like every other check.
 */
import type { TestContext } from "vitest";
import { claimSeed, type Claim } from "../claims/claim.ts";
import { masterSeed } from "../../measure/seed.ts";
import { stream } from "../../src/contract/random.ts";
import { claim, testSeed } from "./claim.ts";
import { impl } from "./impl.ts";
import { checkProperty } from "./property.ts";

/** Run the portable claim `c` as this test. */
export function runClaim(ctx: TestContext, c: Claim): void {
  const seed = testSeed(ctx);
  // the page derives the seed from the claim's own names: they must be where it is registered
  const portable = claimSeed(masterSeed(), c);
  if (portable !== seed)
    throw new Error(
      `the claim "${c.title}" is registered under another file, section or title: its own names give the seed ` +
        `${portable}, the test's is ${seed}`,
    );
  // declared first, so that a failure is still graded as this check's
  claim(ctx, c.kind, { implements: c.implements });
  c.check(impl, {
    seed,
    rng: () => stream(seed),
    property: (p, o) => checkProperty(ctx, p, { numRuns: o?.numRuns, implements: c.implements }),
    fact: (name, value) => void claim(ctx, c.kind, { facts: { [name]: value } }),
  });
}
