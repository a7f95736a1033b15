/** The sizes read off the book's problem data: states, actions, parameters, terminal states. */
import type { Mdp } from "../average-return/types.ts";
import type { EpisodicProblem } from "../total-return/types.ts";

/** Number of states and actions of an MDP. */
export function mdpShape(m: Mdp): { S: number; A: number } {
  return { S: m.P.length, A: m.P.length ? m.P[0].length : 0 };
}

/** Numbers of states S and actions A, and the parameter dimension d (S·A tabular, else the feature length). */
export function problemShape(p: EpisodicProblem): { S: number; A: number; d: number } {
  const { S, A } = mdpShape(p.mdp);
  const d = p.features ? (p.features[0]?.[0]?.length ?? 0) : S * A;
  return { S, A, d };
}

/** A 0/1 mask of the absorbing terminal states. */
export function terminalMask(p: EpisodicProblem): Uint8Array {
  const m = new Uint8Array(p.mdp.P.length);
  for (const s of p.terminal ?? []) m[s] = 1;
  return m;
}
