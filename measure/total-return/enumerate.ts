/**
 * A measuring tool: every episode of a small problem with its probability, and the exact mean and
 * variance of any single-episode estimator. It takes the policy as a table π[s][a] (the specs pass one
 * computed by their own softmax), so it never trusts the code it measures.
 */
import { problemShape, terminalMask } from "../../src/core/shapes.ts";
import type { Episode, EpisodicProblem } from "../../src/total-return/types.ts";

export interface WeightedEpisode {
  episode: Episode;
  prob: number;
}

/** Every episode of policy π[s][a] with positive probability (depth-first); refuses beyond `limit` episodes. */
export function enumerateEpisodes(p: EpisodicProblem, pi: ArrayLike<number>[], limit = 200_000): WeightedEpisode[] {
  const { S, A } = problemShape(p);
  const term = terminalMask(p);
  const out: WeightedEpisode[] = [];
  const states: number[] = [];
  const actions: number[] = [];
  const rewards: number[] = [];
  const visit = (prob: number) => {
    const s = states[states.length - 1];
    if (actions.length === p.horizon || term[s]) {
      if (out.length >= limit) throw new RangeError(`more than ${limit} episodes: too large to enumerate`);
      out.push({ episode: { states: [...states], actions: [...actions], rewards: [...rewards] }, prob });
      return;
    }
    for (let a = 0; a < A; a++) {
      const pa = prob * pi[s][a];
      if (pa === 0) continue;
      actions.push(a);
      rewards.push(p.mdp.r[s][a]);
      for (let s2 = 0; s2 < S; s2++) {
        const q = pa * p.mdp.P[s][a][s2];
        if (q === 0) continue;
        states.push(s2);
        visit(q);
        states.pop();
      }
      actions.pop();
      rewards.pop();
    }
  };
  for (let s0 = 0; s0 < S; s0++) {
    if (p.initial[s0] === 0) continue;
    states.push(s0);
    visit(p.initial[s0]);
    states.pop();
  }
  return out;
}

export interface ExactMoments {
  /** E[ĝ], componentwise. */
  mean: Float64Array;
  /** Var[ĝ_i], componentwise. */
  variance: Float64Array;
  /** The total variance E‖ĝ − E ĝ‖² = Σ_i Var[ĝ_i]. */
  totalVariance: number;
  /** How many episodes were enumerated. */
  episodes: number;
}

/** The exact mean and variance of an estimator ĝ(episode), summed over every episode with its probability. */
export function exactMoments(list: WeightedEpisode[], estimator: (ep: Episode) => ArrayLike<number>): ExactMoments {
  const values = list.map((w) => estimator(w.episode));
  const d = values[0]?.length ?? 0;
  const mean = new Float64Array(d);
  list.forEach((w, k) => {
    for (let i = 0; i < d; i++) mean[i] += w.prob * values[k][i];
  });
  const variance = new Float64Array(d);
  list.forEach((w, k) => {
    for (let i = 0; i < d; i++) variance[i] += w.prob * (values[k][i] - mean[i]) ** 2;
  });
  return { mean, variance, totalVariance: variance.reduce((x, y) => x + y, 0), episodes: list.length };
}

/** E[f(episode)] for a scalar function of the episode (e.g. its return, to check J). */
export function exactExpectation(list: WeightedEpisode[], f: (ep: Episode) => number): number {
  let acc = 0;
  for (const w of list) acc += w.prob * f(w.episode);
  return acc;
}
