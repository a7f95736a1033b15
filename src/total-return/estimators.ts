/**
 * Single-episode estimates of the policy gradient (Section 3.1). Each is Σ_t c_t ∇θ ln π_θ(A_t|S_t)
 * for a different weight c_t; they differ in what they know (exact Q_t, V_t, or only the rewards).
 */
import { addScore, episodicPolicy } from "./policy.ts";
import { timeIndexedValues } from "./exact.ts";
import { problemShape } from "./problem.ts";
import type { Episode, EpisodicProblem } from "./types.ts";

/** Σ_t c_t ∇θ ln π_θ(A_t|S_t) for the given weights c_t. */
export function weightedScores(
  p: EpisodicProblem,
  theta: ArrayLike<number>,
  ep: Episode,
  c: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(problemShape(p).d);
  const pi = new Map<number, Float64Array>(); // π(·|s) of the visited states only
  for (let t = 0; t < ep.actions.length; t++) {
    const s = ep.states[t];
    let ps = pi.get(s);
    if (!ps) pi.set(s, (ps = episodicPolicy(p, theta, s)));
    addScore(p, ps, s, ep.actions[t], c[t], g);
  }
  return g;
}

/** The rewards-to-go Ĝ_t = R_{t+1} + … + R_τ of an episode, t = 0, …, τ − 1 (τ its number of decisions). */
export function rewardsToGo(ep: Episode): Float64Array {
  const n = ep.actions.length;
  const G = new Float64Array(n);
  let acc = 0;
  for (let t = n - 1; t >= 0; t--) {
    acc += ep.rewards[t];
    G[t] = acc;
  }
  return G;
}

/** Eq. (28) for one episode: Σ_t Q_t(S_t, A_t) ∇θ ln π_θ(A_t|S_t), with the exact time-indexed Q_t. */
export function update28(p: EpisodicProblem, theta: ArrayLike<number>, ep: Episode): Float64Array {
  const { Q } = timeIndexedValues(p, theta);
  return weightedScores(
    p,
    theta,
    ep,
    ep.actions.map((a, t) => Q[t][ep.states[t]][a]),
  );
}

/** Eq. (29): Σ_t Ĝ_t ∇θ ln π_θ(A_t|S_t) with Ĝ_t = Σ_{k=t}^{T−1} R_{k+1}, the reward-to-go (R_T included). */
export function reinforceRewardToGo(p: EpisodicProblem, theta: ArrayLike<number>, ep: Episode): Float64Array {
  return weightedScores(p, theta, ep, rewardsToGo(ep));
}

/** The full-return variant of (29): Ĝ₀ Σ_t ∇θ ln π_θ(A_t|S_t), every step weighted by the whole return. */
export function reinforceFullReturn(p: EpisodicProblem, theta: ArrayLike<number>, ep: Episode): Float64Array {
  const G0 = rewardsToGo(ep)[0] ?? 0;
  return weightedScores(
    p,
    theta,
    ep,
    ep.actions.map(() => G0),
  );
}

/** Eq. (30) for one episode: Σ_t (Q_t(S_t, A_t) − V_t(S_t)) ∇θ ln π_θ(A_t|S_t), exact advantages. */
export function update30(p: EpisodicProblem, theta: ArrayLike<number>, ep: Episode): Float64Array {
  const { Q, V } = timeIndexedValues(p, theta);
  return weightedScores(
    p,
    theta,
    ep,
    ep.actions.map((a, t) => Q[t][ep.states[t]][a] - V[t][ep.states[t]]),
  );
}

/** Eq. (30) estimated: Σ_t (Ĝ_t − V_t(S_t)) ∇θ ln π_θ(A_t|S_t), the reward-to-go with the exact V_t as baseline. */
export function reinforceValueBaseline(p: EpisodicProblem, theta: ArrayLike<number>, ep: Episode): Float64Array {
  const { V } = timeIndexedValues(p, theta);
  const G = rewardsToGo(ep);
  return weightedScores(
    p,
    theta,
    ep,
    Array.from(G, (g, t) => g - V[t][ep.states[t]]),
  );
}

/** Σ_t (Ĝ_t − b[t][S_t]) ∇θ ln π_θ(A_t|S_t): any baseline fixed before the episode (e.g. a running one) keeps it unbiased. */
export function reinforceBaseline(
  p: EpisodicProblem,
  theta: ArrayLike<number>,
  ep: Episode,
  b: ArrayLike<number>[],
): Float64Array {
  const G = rewardsToGo(ep);
  return weightedScores(
    p,
    theta,
    ep,
    Array.from(G, (g, t) => g - b[t][ep.states[t]]),
  );
}

/** A zero running baseline b[t][s] = 0 for t < T (B₀ = 0: the first episode is not baselined). */
export function zeroBaseline(p: EpisodicProblem): Float64Array[] {
  return Array.from({ length: p.horizon }, () => new Float64Array(p.mdp.P.length));
}

/** The running baseline after an episode: b[t][S_t] ← b[t][S_t] + β(Ĝ_t − b[t][S_t]), a new table. */
export function updateRunningBaseline(b: ArrayLike<number>[], ep: Episode, step: number): Float64Array[] {
  const out = b.map((row) => Float64Array.from(row));
  const G = rewardsToGo(ep);
  for (let t = 0; t < G.length; t++) out[t][ep.states[t]] += step * (G[t] - out[t][ep.states[t]]);
  return out;
}
