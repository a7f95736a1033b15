/** Simulating episodes under π_θ with an injected stream. */
import { categorical, type Rng } from "../random.ts";
import { terminalMask } from "./problem.ts";
import { policyTable } from "./exact.ts";
import type { Episode, EpisodicProblem } from "./types.ts";

/**
 * One episode: S₀ ~ initial, then for t = 0, …, T − 1 (stopping early at a terminal state)
 * A_t ~ π_θ(·|S_t), R_{t+1} = r(S_t, A_t), S_{t+1} ~ P(·|S_t, A_t).
 */
export function sampleEpisode(p: EpisodicProblem, theta: ArrayLike<number>, rng: Rng): Episode {
  return sampleWith(p, policyTable(p, theta), terminalMask(p), rng);
}

/** The loop of sampleEpisode, given the policy table and terminal mask (reused by training loops). */
export function sampleWith(p: EpisodicProblem, pi: Float64Array[], term: Uint8Array, rng: Rng): Episode {
  let s = categorical(rng, p.initial);
  const ep: Episode = { states: [s], actions: [], rewards: [] };
  for (let t = 0; t < p.horizon && !term[s]; t++) {
    const a = categorical(rng, pi[s]);
    ep.actions.push(a);
    ep.rewards.push(p.mdp.r[s][a]);
    s = categorical(rng, p.mdp.P[s][a]);
    ep.states.push(s);
  }
  return ep;
}
