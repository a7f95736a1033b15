/**
 * measure/average-return/structure.ts, the checks' own reading of an MDP's structure: reachability
 * (zero or more moves), the period against the gcd of the closed-walk lengths counted by boolean matrix
 * powers, and the defects of malformed data, each named.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mdpDefects, periodOf, reachability } from "../../measure/average-return/structure.ts";
import type { Mdp } from "../../src/average-return/types.ts";

/** A one-action MDP moving uniformly along the given edges (every state needs at least one). */
function graph(edges: number[][]): Mdp {
  return {
    P: edges.map((out) => [edges.map((_, t) => (out.includes(t) ? 1 / out.length : 0))]),
    r: edges.map(() => [0]),
  };
}

/** The gcd of every n ≤ S with a closed walk of length n at some state reachable from `from`. */
function periodByWalks(edges: number[][], from: number): number {
  const S = edges.length;
  const reach = reachability(graph(edges));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let g = 0;
  // walk[t][u]: u is reachable from t in exactly n moves
  let walk = edges.map((_, t) => edges.map((__, u) => t === u));
  for (let n = 1; n <= S; n++) {
    walk = walk.map((row) => edges.map((_, u) => row.some((on, v) => on && edges[v].includes(u))));
    for (let t = 0; t < S; t++) if (reach[from][t] && walk[t][t]) g = gcd(g, n);
  }
  return g;
}

describe("reachability", () => {
  it("lets every state reach itself in zero moves, also one that no move returns to", () => {
    // 0 → 1 → 1: state 0 is never revisited, yet reaches itself in zero moves
    const r = reachability(graph([[1], [1]]));
    expect(r).toEqual([
      [true, true],
      [false, true],
    ]);
  });
});

describe("periodOf", () => {
  it("is 3 on a 3-cycle, 1 with a self-loop added, 2 on a 2-cycle behind a transient state", () => {
    expect(periodOf(graph([[1], [2], [0]]), 0)).toBe(3);
    expect(periodOf(graph([[1], [2], [0, 2]]), 0)).toBe(1);
    expect(periodOf(graph([[1], [2], [1]]), 1)).toBe(2);
  });

  it("equals the gcd of the closed-walk lengths on random sparse graphs", () => {
    const arbGraph = fc.integer({ min: 1, max: 7 }).chain((S) =>
      fc.array(fc.uniqueArray(fc.integer({ min: 0, max: S - 1 }), { minLength: 1, maxLength: 3 }), {
        minLength: S,
        maxLength: S,
      }),
    );
    fc.assert(
      fc.property(arbGraph, (edges) => {
        // from every state of a closed class (periodOf's domain): it reaches only states that reach it back
        const reach = reachability(graph(edges));
        const closed = edges.map((_, s) => edges.every((__, t) => !reach[s][t] || reach[t][s]));
        for (let from = 0; from < edges.length; from++)
          if (closed[from])
            expect(periodOf(graph(edges), from), JSON.stringify({ edges, from })).toBe(periodByWalks(edges, from));
      }),
      { seed: 20251117, numRuns: 400 },
    );
  });
});

describe("mdpDefects", () => {
  it("reports an MDP without actions in one line, and rows of r that do not match P", () => {
    expect(mdpDefects({ P: [[]], r: [[]] })).toEqual(["P has 1 states and 0 actions"]);
    expect(mdpDefects({ P: [], r: [] })).toEqual(["P has 0 states and 0 actions"]);
    expect(mdpDefects({ P: [[[1, 0]], [[0, 1]]], r: [[0]] })).toEqual([
      "r has 1 rows, not 2",
      "r[1] has undefined entries, not 1",
    ]);
    expect(mdpDefects(graph([[1], [0]]))).toEqual([]);
  });
});
