/**
 * The structure of an MDP, for the checks, computed independently of the reference's validator
 * (src/average-return/validate.ts): the shape and entries of P and r, the closed classes of the graph of
 * moves, and its period. The classes come from another algorithm than the validator's depth-first search
 * from every state: Warshall's transitive closure of the adjacency matrix, then the mutually reachable sets
 * that no move leaves. The graph has an edge s → s' when P[s][a][s'] > 0 for some action a, which is the
 * chain of every full-support policy, so "unichain under every full-support policy" is "exactly one closed
 * class".
 */
import type { Mdp } from "../../src/average-return/types.ts";

/** reach[s][t]: t can be reached from s in zero or more moves (Warshall's closure of the move graph). */
export function reachability(mdp: Mdp): boolean[][] {
  const S = mdp.P.length;
  const reach = Array.from({ length: S }, (_, s) =>
    Array.from({ length: S }, (_, t) => s === t || mdp.P[s].some((row) => row[t] > 0)),
  );
  for (let k = 0; k < S; k++)
    for (let s = 0; s < S; s++) if (reach[s][k]) for (let t = 0; t < S; t++) if (reach[k][t]) reach[s][t] = true;
  return reach;
}

/**
 * The closed communicating classes, each a sorted list of states, in the order of their smallest state:
 * a class is a set of states that reach one another, and it is closed when nothing outside it is reachable.
 */
export function closedClassesOf(mdp: Mdp): number[][] {
  const S = mdp.P.length;
  const reach = reachability(mdp);
  const classes: number[][] = [];
  const placed = new Array<boolean>(S).fill(false);
  for (let s = 0; s < S; s++) {
    if (placed[s]) continue;
    const members = Array.from({ length: S }, (_, t) => t).filter((t) => reach[s][t] && reach[t][s]);
    members.forEach((t) => (placed[t] = true));
    const closed = Array.from({ length: S }, (_, t) => t).every((t) => !reach[s][t] || members.includes(t));
    if (closed) classes.push(members);
  }
  return classes;
}

/**
 * The period of the closed class holding `from`, in the graph of every move any action allows: the gcd of
 * level[u] + 1 − level[v] over the class's edges u → v, with levels the breadth-first distances from `from`.
 * `from` must lie in a closed class (every state it reaches reaches it back); from a transient state the
 * gcd would also count the edges leading into the class, which lie on no cycle.
 */
export function periodOf(mdp: Mdp, from: number): number {
  const S = mdp.P.length;
  const level = new Array<number>(S).fill(-1);
  level[from] = 0;
  const queue = [from];
  const edges: [number, number][] = [];
  while (queue.length) {
    const u = queue.shift()!;
    for (const row of mdp.P[u])
      row.forEach((p, v) => {
        if (p <= 0) return;
        edges.push([u, v]);
        if (level[v] < 0) {
          level[v] = level[u] + 1;
          queue.push(v);
        }
      });
  }
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  return edges.reduce((g, [u, v]) => gcd(g, level[u] + 1 - level[v]), 0);
}

/**
 * What keeps `mdp` from being an MDP of S states and A ≥ 1 actions, one line per defect: ragged P or r,
 * non-finite entries, negative probabilities, rows of P whose sum is off 1 by more than 1e-9 (the contract's
 * rounding allowance). Empty when it is one.
 */
export function mdpDefects(mdp: Mdp): string[] {
  const out: string[] = [];
  const S = mdp.P.length;
  const A = S > 0 ? mdp.P[0].length : 0;
  if (S === 0 || A === 0) return [`P has ${S} states and ${A} actions`];
  if (mdp.r.length !== S) out.push(`r has ${mdp.r.length} rows, not ${S}`);
  for (let s = 0; s < S; s++) {
    if (mdp.P[s].length !== A) out.push(`P[${s}] has ${mdp.P[s].length} actions, not ${A}`);
    if (mdp.r[s]?.length !== A) out.push(`r[${s}] has ${mdp.r[s]?.length} entries, not ${A}`);
    mdp.r[s]?.forEach((x, a) => Number.isFinite(x) || out.push(`r[${s}][${a}] = ${x}`));
    mdp.P[s].forEach((row, a) => {
      if (row.length !== S) out.push(`P[${s}][${a}] has ${row.length} entries, not ${S}`);
      row.forEach((p, t) => (Number.isFinite(p) && p >= 0) || out.push(`P[${s}][${a}][${t}] = ${p}`));
      const sum = row.reduce((x, y) => x + y, 0);
      if (!(Math.abs(sum - 1) <= 1e-9)) out.push(`P[${s}][${a}] sums to ${sum}`);
    });
  }
  return out;
}
