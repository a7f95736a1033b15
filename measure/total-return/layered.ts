/**
 * Layered episodic problems, too large to enumerate: T layers of K states, A actions, random transitions
 * from each layer to the next (weights 0.05 + U(0, 1), normalized), and an absorbing "end" state after the
 * last layer. The episode starts in the first state of layer 0, and each state is visited at most once.
 * The rewards are the caller's: the chapter's Monte Carlo checks scale them so that every reward-to-go
 * lies in [0, 1] (spec/3-total-return/tools.ts), the benchmark draws them uniformly.
 */
import type { EpisodicProblem } from "../../src/total-return/types.ts";

/**
 * The layered problem with the rewards r(s, ·) = `rewards(layer of s)`, drawn state by state right after
 * that state's transitions (so both come from `rng` in one fixed order); the end state pays 0.
 */
export function layeredProblem(
  rng: () => number,
  K: number,
  A: number,
  T: number,
  rewards: (layer: number) => number[],
): EpisodicProblem {
  const S = K * T + 1;
  const end = S - 1;
  const P: number[][][] = [];
  const r: number[][] = [];
  for (let s = 0; s < S - 1; s++) {
    const layer = Math.floor(s / K);
    P.push(
      Array.from({ length: A }, () => {
        const row = new Array<number>(S).fill(0);
        if (layer === T - 1) row[end] = 1;
        else {
          const w = Array.from({ length: K }, () => 0.05 + rng());
          const z = w.reduce((x, y) => x + y, 0);
          w.forEach((x, k) => (row[(layer + 1) * K + k] = x / z));
        }
        return row;
      }),
    );
    r.push(rewards(layer));
  }
  P.push(Array.from({ length: A }, () => Array.from({ length: S }, (_, k) => (k === end ? 1 : 0))));
  r.push(new Array<number>(A).fill(0));
  const initial = new Array<number>(S).fill(0);
  initial[0] = 1;
  return { mdp: { P, r }, horizon: T, initial, terminal: [end] };
}
