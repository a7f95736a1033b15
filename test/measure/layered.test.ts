/**
 * measure/total-return/layered.ts, the generator of the episodic problems too large to enumerate: its
 * problems are valid, layered as stated (each layer moves only to the next, with every next-layer state
 * reachable), end in an absorbing, unpaid end state, and carry the caller's rewards layer by layer.
 */
import { describe, expect, it } from "vitest";
import { layeredProblem } from "../../measure/total-return/layered.ts";
import { stream } from "../../src/contract/random.ts";
import { problemErrors } from "../../src/total-return/problem.ts";

const K = 3;
const A = 2;
const T = 4;
/** Rewards that name their layer and action, so each row can be traced back to the call that made it. */
const rewards = (layer: number) => Array.from({ length: A }, (_, a) => 10 * layer + a);

describe("layeredProblem(rng, K, A, T, rewards)", () => {
  // built inside each test, not while the file is collected: mutation testing attributes the code a
  // test runs to that test, and code run at collection time to none
  const make = () => layeredProblem(stream("layered-test"), K, A, T, rewards);
  const S = K * T + 1;
  const end = S - 1;

  it("is a valid episodic problem of K·T + 1 states, horizon T, starting in state 0, ending in the end state", () => {
    const p = make();
    expect(problemErrors(p)).toEqual([]);
    expect(p.mdp.P).toHaveLength(S);
    for (const rows of p.mdp.P) {
      expect(rows).toHaveLength(A);
      for (const row of rows) expect(row).toHaveLength(S);
    }
    expect(p.horizon).toBe(T);
    expect(p.terminal).toEqual([end]);
    expect(p.initial).toEqual(Array.from({ length: S }, (_, s) => (s === 0 ? 1 : 0)));
  });

  it("moves each layer to the next only, every next state with probability ≥ 0.05/(K + 0.05·K)", () => {
    // weights 0.05 + U with U ∈ [0, 1): each is at least 0.05 of a total below K·1.05
    const floor = 0.05 / (K * 1.05);
    const p = make();
    for (let s = 0; s < K * (T - 1); s++) {
      const layer = Math.floor(s / K);
      for (const row of p.mdp.P[s]) {
        row.forEach((q, t) => {
          const next = t >= (layer + 1) * K && t < (layer + 2) * K;
          if (next) expect(q, `P[${s}][·][${t}]`).toBeGreaterThanOrEqual(floor);
          else expect(q, `P[${s}][·][${t}]`).toBe(0);
        });
        expect(Math.abs(row.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it("sends the last layer to the end state, which is absorbing and pays 0", () => {
    const p = make();
    for (let s = K * (T - 1); s < S; s++)
      for (const row of p.mdp.P[s]) expect(row).toEqual(Array.from({ length: S }, (_, t) => (t === end ? 1 : 0)));
    expect(p.mdp.r[end]).toEqual(new Array(A).fill(0));
  });

  it("pays r(s, ·) = rewards(layer of s) in every state before the end", () => {
    const p = make();
    for (let s = 0; s < end; s++) expect(p.mdp.r[s], `r[${s}]`).toEqual(rewards(Math.floor(s / K)));
  });
});
