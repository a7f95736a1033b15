/** Simulating episodes under π_θ with an injected stream. */
import { categorical, type Rng } from "../contract/random.ts";
import { terminalMask } from "./problem.ts";
import { episodicPolicy } from "./policy.ts";
import type { Episode, EpisodicProblem } from "./types.ts";

/**
 * One episode: S₀ ~ initial, then for t = 0, …, T − 1 (stopping early at a terminal state)
 * A_t ~ π_θ(·|S_t), R_{t+1} = r(S_t, A_t), S_{t+1} ~ P(·|S_t, A_t).
 */
export function sampleEpisode(p: EpisodicProblem, theta: ArrayLike<number>, rng: Rng): Episode {
  const cache = new Map<number, Float64Array>(); // π(·|s) of the visited states only
  const policyOf = (s: number) => {
    let ps = cache.get(s);
    if (!ps) cache.set(s, (ps = episodicPolicy(p, theta, s)));
    return ps;
  };
  return sampleWith(p, policyOf, terminalMask(p), rng);
}

/** The loop of sampleEpisode, given π(·|s) as a function and the terminal mask (reused by training loops). */
export function sampleWith(
  p: EpisodicProblem,
  policyOf: (s: number) => ArrayLike<number>,
  term: Uint8Array,
  rng: Rng,
): Episode {
  let s = categorical(rng, p.initial);
  const ep: Episode = { states: [s], actions: [], rewards: [] };
  for (let t = 0; t < p.horizon && !term[s]; t++) {
    const a = categorical(rng, policyOf(s));
    ep.actions.push(a);
    ep.rewards.push(p.mdp.r[s][a]);
    s = categorical(rng, p.mdp.P[s][a]);
    ep.states.push(s);
  }
  return ep;
}
