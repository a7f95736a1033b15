/**
 * The reference's exact rollout variance (src/average-return/rollout.ts, a recursion on first and second
 * moments) against the covariance double sum of measure/average-return/rollout-variance.ts, which the
 * chapter's [erratum rollout-infinite-sum] check uses in its place. A unit test of the reference, and a
 * cross-check of the measuring tool.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rolloutVariance } from "../../src/average-return/rollout.ts";
import { policyProbs } from "../../src/average-return/policy.ts";
import { stream } from "../../src/contract/random.ts";
import { homeWork, periodic, randomUnichainMdp, withTransient } from "../../measure/average-return/examples.ts";
import { rolloutVarianceByCovariances } from "../../measure/average-return/rollout-variance.ts";

describe("rolloutVariance: Var[Q̂_K] for every start pair", () => {
  it("equals the covariance double sum on the chapter's examples and on random MDPs and policies", () => {
    const agree = (v: ArrayLike<number>, w: ArrayLike<number>, what: string) => {
      // both sum O(K²) terms of size up to (max|r| + |λ|)² ≤ 4: rounding of a few 1e-13 relative
      for (let i = 0; i < v.length; i++)
        expect(Math.abs(v[i] - w[i]), `${what}[${i}]: ${v[i]} vs ${w[i]}`).toBeLessThanOrEqual(
          1e-10 * Math.max(1, Math.abs(w[i])),
        );
    };
    for (const [name, mdp] of [
      ["homeWork", homeWork],
      ["withTransient", withTransient],
      ["periodic", periodic],
    ] as const) {
      const A = mdp.P[0].length;
      const pi = policyProbs(mdp, { kind: "tabular" }, new Float64Array(mdp.P.length * A));
      for (const K of [1, 2, 5, 40])
        agree(rolloutVariance(mdp, pi, K, 0.3), rolloutVarianceByCovariances(mdp, pi, K, 0.3), `${name}, K = ${K}`);
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (S, A, K, seed) => {
          const rng = stream(`rollout-variance/${seed}`);
          const mdp = randomUnichainMdp(rng, S, A);
          const theta = Float64Array.from({ length: S * A }, () => 4 * rng() - 2);
          const pi = policyProbs(mdp, { kind: "tabular" }, theta);
          const lambda = rng();
          agree(
            rolloutVariance(mdp, pi, K, lambda),
            rolloutVarianceByCovariances(mdp, pi, K, lambda),
            `S = ${S}, A = ${A}, K = ${K}`,
          );
        },
      ),
      { seed: 20251117, numRuns: 100 },
    );
  });
});
