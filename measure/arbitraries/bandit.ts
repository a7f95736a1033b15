/**
 * Random bandit instances for Chapter 1's claims, built on the book's arbitraries (./index.ts):
 * score vectors θ with an action and mean rewards, and discrete reward laws (each arm a finite
 * law, so the expectation of an update is an exact finite sum over (action, reward) outcomes).
 */
import fc from "fast-check";
import { probabilities, reward, rewards, scores } from "./index.ts";

/** A finite reward law for each arm: `values[a][j]` with probability `probs[a][j]`. */
export interface DiscreteBandit {
  values: number[][];
  probs: number[][];
}

/** An action index of a k-action bandit (every index equally often). */
export const action = (k: number): fc.Arbitrary<number> => fc.noBias(fc.integer({ min: 0, max: k - 1 }));

/** θ (2 to 6 actions, |θₐ| ≤ 4), an action a of it, and a mean-reward vector r of the same length (|r(a)| ≤ 3). */
export function scoresActionRewards(k?: number): fc.Arbitrary<{ theta: Float64Array; a: number; r: Float64Array }> {
  return scores(k).chain((theta) =>
    fc.record({ theta: fc.constant(theta), a: action(theta.length), r: rewards(theta.length) }),
  );
}

/**
 * One arm's reward law: 1 to 3 values of order one (rewards in [−3, 3]), each with probability at
 * least 0.05/3, so every outcome carries weight in the exact expectations.
 */
export function discreteArm(): fc.Arbitrary<{ values: number[]; probs: number[] }> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain((m) => fc.record({ values: fc.array(reward(), { minLength: m, maxLength: m }), probs: probabilities(m) }))
    .map(({ values, probs }) => ({ values, probs: Array.from(probs) }));
}

/** A discrete bandit with k arms. */
export function discreteBandit(k: number): fc.Arbitrary<DiscreteBandit> {
  return fc
    .array(discreteArm(), { minLength: k, maxLength: k })
    .map((arms) => ({ values: arms.map((x) => x.values), probs: arms.map((x) => x.probs) }));
}

/** θ together with a discrete bandit of as many arms. */
export function scoresWithBandit(k?: number): fc.Arbitrary<[Float64Array, DiscreteBandit]> {
  return scores(k).chain((theta) => fc.tuple(fc.constant(theta), discreteBandit(theta.length)));
}

/** A history of past rewards R_1, …, R_t of order one, t between minLength and maxLength. */
export function rewardHistory(minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  // size "max": fast-check otherwise caps the length of generated arrays near 10
  return fc.array(reward(), { minLength, maxLength, size: "max" });
}

/**
 * `n` instances drawn from `arb` under a 32-bit seed (a test's testSeed32), for checks that loop over
 * a few random instances themselves (e.g. to batch the calls) rather than through checkProperty.
 */
export function drawInstances<T>(arb: fc.Arbitrary<T>, seed: number, n: number): T[] {
  return fc.sample(arb, { seed, numRuns: n });
}
