/**
 * The reference simulator's draws (src/average-return/policy.ts, simulate.ts): an action, a next state or
 * an index from one uniform u ∈ [0, 1), by the half-open cumulative intervals of the row it is given. Unit
 * tests of the reference: the contract does not fix how sampleRollout or trajectoryAverageReward turn
 * uniforms into draws, so these boundaries are the reference's convention, not a claim of the book.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawAction } from "../../src/average-return/policy.ts";
import { sampleIndex, sampleNextState } from "../../src/average-return/simulate.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { probabilities, unitInterval } from "../../measure/arbitraries/index.ts";

describe("the simulator's draws from one uniform", () => {
  it("drawAction maps u ∈ [0, 1) to a by the half-open intervals [Σ_{b<a} π(b|s), Σ_{b≤a} π(b|s)) of its own state's row", () => {
    // two states, A = 3; the draw must read state 1's row (¼, ¼, ½), not state 0's
    const table = [0.5, 0.3, 0.2, 0.25, 0.25, 0.5];
    const cases: [number, number][] = [
      [0, 0],
      [0.2499, 0],
      [0.25, 1],
      [0.4999, 1],
      [0.5, 2],
      [0.75, 2],
      [0.9999, 2],
    ];
    for (const [u, a] of cases) expect(drawAction(table, 1, 3, u)).toBe(a);
    // state 0: (½, 0.3, 0.2), interval ends ½ and 0.8
    for (const [u, a] of [
      [0.4999, 0],
      [0.5, 1],
      [0.7999, 1],
      [0.8, 2],
    ] as const)
      expect(drawAction(table, 0, 3, u)).toBe(a);
    fc.assert(
      fc.property(
        probabilities(3, 0.01),
        probabilities(3, 0.01),
        fc.integer({ min: 0, max: 1 }),
        unitInterval(),
        (row0, row1, s, u) => {
          const A = 3;
          const pi = [...row0, ...row1];
          const a = drawAction(pi, s, A, u);
          let below = 0;
          for (let b = 0; b < a; b++) below += pi[s * A + b];
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThan(A);
          expect(u).toBeGreaterThanOrEqual(below - 1e-15);
          if (a < A - 1) expect(u).toBeLessThan(below + pi[s * A + a]);
        },
      ),
      { seed: 20251117, numRuns: 200 },
    );
  });

  it("sampleNextState and sampleIndex use the half-open cumulative intervals of the row they are given", () => {
    const mdp: Mdp = {
      P: [
        [
          [0.5, 0.5, 0],
          [0.2, 0.3, 0.5],
        ],
        [
          [1, 0, 0],
          [0, 0, 1],
        ],
        [
          [0, 1, 0],
          [0.25, 0.25, 0.5],
        ],
      ],
      r: [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    };
    const cases: [number, number, number, number][] = [
      [0, 1, 0, 0],
      [0, 1, 0.1999, 0],
      [0, 1, 0.2, 1],
      [0, 1, 0.4999, 1],
      [0, 1, 0.5, 2],
      [0, 1, 0.9999, 2],
      [2, 1, 0.2499, 0],
      [2, 1, 0.25, 1],
      [2, 1, 0.5, 2],
      [1, 1, 0.3, 2],
      [1, 0, 0.9999, 0],
      [0, 0, 0.5, 1],
    ];
    for (const [s, a, u, t] of cases) expect(sampleNextState(mdp, s, a, u)).toBe(t);
    for (const [u, i] of [
      [0, 0],
      [0.0999, 0],
      [0.1, 1],
      [0.3999, 1],
      [0.4, 2],
      [0.9999, 2],
    ] as const)
      expect(sampleIndex([0.1, 0.3, 0.6], u)).toBe(i);
    expect(sampleIndex([1], 0.9999)).toBe(0);
  });
});
