/**
 * Random finite-horizon problems for chapter 3's property checks, built on the book's arbitraries
 * (./index.ts): parameters θ of a few units, rewards of order one, transition rows with entries
 * bounded away from zero where they are not zero, features in [−1, 1].
 */
import fc from "fast-check";
import type { EpisodicProblem } from "../../src/total-return/types.ts";
import { real, reward, score, vector } from "./index.ts";

export interface ProblemBounds {
  maxS?: number;
  maxA?: number;
  maxT?: number;
  /** Allow absorbing terminal states (default true). */
  terminal?: boolean;
  /** Draw log-linear features (true), tabular (false), or either (undefined). */
  features?: boolean;
}

/**
 * A transition row over S next states: weights uniform on [0.05, 1], each dropped with probability ½
 * except the first (so the row stays a distribution and some rows are sparse), then normalized.
 */
export function transitionRow(S: number): fc.Arbitrary<number[]> {
  return fc.array(fc.tuple(real(0.05, 1), fc.boolean()), { minLength: S, maxLength: S }).map((row) => {
    const w = row.map(([x, keep], j) => (keep || j === 0 ? x : 0));
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  });
}

/** A feature value φᵢ(s, a), uniform on [−1, 1]. */
export const feature = (): fc.Arbitrary<number> => real(-1, 1);

/**
 * A random finite-horizon problem and parameters θ: S ≤ maxS states, 2 ≤ A ≤ maxA actions, T ≤ maxT
 * steps; transition rows as `transitionRow`, rewards uniform on [−3, 3], an initial distribution with
 * every entry ≥ 0.05/S, maybe one absorbing terminal state, maybe features φ ∈ [−1, 1]^d (d ≤ 3) shared
 * across states; θ uniform on [−4, 4] per component (tabular: probability ratios up to e^8 within a
 * state; with features |θ·φ| ≤ 12).
 */
export function episodicProblem(
  b: ProblemBounds = {},
): fc.Arbitrary<{ problem: EpisodicProblem; theta: Float64Array }> {
  const { maxS = 3, maxA = 2, maxT = 3 } = b;
  return fc
    .record({
      S: fc.integer({ min: 1, max: maxS }),
      A: fc.integer({ min: 2, max: maxA }),
      T: fc.integer({ min: 1, max: maxT }),
      d: fc.integer({ min: 1, max: 3 }),
      useFeatures: b.features === undefined ? fc.boolean() : fc.constant(b.features),
      useTerminal: b.terminal === false ? fc.constant(false) : fc.boolean(),
    })
    .chain(({ S, A, T, d, useFeatures, useTerminal }) =>
      fc
        .record({
          P: fc.array(fc.array(transitionRow(S), { minLength: A, maxLength: A }), { minLength: S, maxLength: S }),
          r: fc.array(fc.array(reward(), { minLength: A, maxLength: A }), { minLength: S, maxLength: S }),
          init: fc.array(real(0.05, 1), { minLength: S, maxLength: S }),
          term: fc.integer({ min: 0, max: S - 1 }),
          F: fc.array(fc.array(fc.array(feature(), { minLength: d, maxLength: d }), { minLength: A, maxLength: A }), {
            minLength: S,
            maxLength: S,
          }),
          theta: vector(score(), useFeatures ? d : S * A),
        })
        .map(({ P, r, init, term, F, theta }) => {
          const z = init.reduce((x, y) => x + y, 0);
          const problem: EpisodicProblem = { mdp: { P, r }, horizon: T, initial: init.map((x) => x / z) };
          if (useTerminal && S > 1) problem.terminal = [term];
          if (useFeatures) problem.features = F;
          return { problem, theta };
        }),
    );
}

/**
 * A baseline table b_t(s) for t < T and s < S, fixed before the episode: values uniform on [−5, 5],
 * the size of a reward-to-go over a few steps of rewards in [−3, 3].
 */
export function baselineTable(T: number, S: number): fc.Arbitrary<Float64Array[]> {
  return fc.array(vector(real(-5, 5), S), { minLength: T, maxLength: T });
}
