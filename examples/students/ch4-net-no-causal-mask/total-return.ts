/**
 * Chapter 3 (total return over a horizon T, eqs. (28)–(30)), written for src/contract/chapter3.ts.
 * θ is tabular (θ[s·A + a]) or log-linear over problem.features (shared across states).
 */
import type { Chapter3 } from "pgbook/contract";

type EpisodicProblem = Parameters<Chapter3["totalReturn"]>[0];
type Episode = ReturnType<Chapter3["sampleEpisode"]>;
type TimeValues = ReturnType<Chapter3["timeIndexedValues"]>;
import { inverseCdf, softmax } from "./linear.ts";

const dims = (p: EpisodicProblem) => ({ S: p.mdp.P.length, A: p.mdp.P[0].length, T: p.horizon });
const isTerminal = (p: EpisodicProblem) => {
  const set = new Set(p.terminal ?? []);
  return (s: number) => set.has(s);
};

/** π_θ(·|s), a softmax of θ[s·A + a] or θ·φ(s, a). */
export const episodicPolicy: Chapter3["episodicPolicy"] = (problem, theta, s) => {
  const { A } = dims(problem);
  const z = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    if (problem.features) z[a] = problem.features[s][a].reduce((acc, f, i) => acc + f * theta[i], 0);
    else z[a] = theta[s * A + a];
  }
  return softmax(z);
};

/** ∇ ln π(a|s) = φ(s, a) − Σ_b π(b|s) φ(s, b), with one-hot φ for the tabular policy. */
export const episodicScore: Chapter3["episodicScore"] = (problem, theta, s, a) => {
  const { A } = dims(problem);
  const p = episodicPolicy(problem, theta, s);
  const g = new Float64Array(theta.length);
  for (let b = 0; b < A; b++) {
    const w = (b === a ? 1 : 0) - p[b];
    if (problem.features) problem.features[s][b].forEach((f, i) => (g[i] += w * f));
    else g[s * A + b] += w;
  }
  return g;
};

/** One episode: S₀ from one uniform, then per step one uniform for A_t and one for S_{t+1}. */
export const sampleEpisode: Chapter3["sampleEpisode"] = (problem, theta, rng) => {
  const { T } = dims(problem);
  const term = isTerminal(problem);
  let s = inverseCdf(problem.initial, rng());
  const ep: Episode = { states: [s], actions: [], rewards: [] };
  for (let t = 0; t < T && !term(s); t++) {
    const a = inverseCdf(episodicPolicy(problem, theta, s), rng());
    ep.actions.push(a);
    ep.rewards.push(problem.mdp.r[s][a]);
    s = inverseCdf(problem.mdp.P[s][a], rng());
    ep.states.push(s);
  }
  return ep;
};

/** P(S_t = s), t = 0 … T; mass in a terminal state stays there. */
export const stateDistributions: Chapter3["stateDistributions"] = (problem, theta) => {
  const { S, A, T } = dims(problem);
  const term = isTerminal(problem);
  const pis = Array.from({ length: S }, (_, s) => episodicPolicy(problem, theta, s));
  const out = [Float64Array.from(problem.initial)];
  for (let t = 0; t < T; t++) {
    const cur = out[t];
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (cur[s] === 0) continue;
      if (term(s)) {
        next[s] += cur[s];
        continue;
      }
      for (let a = 0; a < A; a++) for (let u = 0; u < S; u++) next[u] += cur[s] * pis[s][a] * problem.mdp.P[s][a][u];
    }
    out.push(next);
  }
  return out;
};

/** J(θ) = Σ_t Σ_s P(S_t = s) Σ_a π(a|s) r(s, a) over non-terminal s. */
export const totalReturn: Chapter3["totalReturn"] = (problem, theta) => {
  const { S, A, T } = dims(problem);
  const term = isTerminal(problem);
  const ds = stateDistributions(problem, theta);
  let J = 0;
  for (let s = 0; s < S; s++) {
    if (term(s)) continue;
    const p = episodicPolicy(problem, theta, s);
    let rs = 0;
    for (let a = 0; a < A; a++) rs += p[a] * problem.mdp.r[s][a];
    for (let t = 0; t < T; t++) J += ds[t][s] * rs;
  }
  return J;
};

/** Backward induction: Q_t(s, a) = r(s, a) + Σ P V_{t+1}, V_T = 0, zero in terminal states. */
export const timeIndexedValues: Chapter3["timeIndexedValues"] = (problem, theta) => {
  const { S, A, T } = dims(problem);
  const term = isTerminal(problem);
  const pis = Array.from({ length: S }, (_, s) => episodicPolicy(problem, theta, s));
  const Q: Float64Array[][] = new Array(T);
  const V: Float64Array[] = new Array(T);
  let after: Float64Array = new Float64Array(S); // V_{t+1}
  for (let t = T - 1; t >= 0; t--) {
    Q[t] = [];
    V[t] = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const q = new Float64Array(A);
      if (!term(s)) {
        for (let a = 0; a < A; a++) {
          let x = problem.mdp.r[s][a];
          for (let u = 0; u < S; u++) x += problem.mdp.P[s][a][u] * after[u];
          q[a] = x;
          V[t][s] += pis[s][a] * x;
        }
      }
      Q[t].push(q);
    }
    after = V[t];
  }
  const out: TimeValues = { Q, V };
  return out;
};

/** Σ_t w(t) ∇ ln π(A_t|S_t) along an episode. */
function alongEpisode(problem: EpisodicProblem, theta: Float64Array, ep: Episode, w: (t: number) => number): Float64Array {
  const g = new Float64Array(theta.length);
  for (let t = 0; t < ep.actions.length; t++) {
    const c = w(t);
    if (c === 0) continue;
    const sc = episodicScore(problem, theta, ep.states[t], ep.actions[t]);
    for (let i = 0; i < g.length; i++) g[i] += c * sc[i];
  }
  return g;
}

/** Ĝ_t = R_{t+1} + … + R_τ for every t (rewards[k] is R_{k+1}). */
function rewardsToGo(ep: Episode): Float64Array {
  const G = new Float64Array(ep.rewards.length);
  let acc = 0;
  for (let t = ep.rewards.length - 1; t >= 0; t--) G[t] = acc += ep.rewards[t];
  return G;
}

/** E[(28)] = Σ_t Σ_s P(S_t = s) Σ_a π(a|s) Q_t(s, a) ∇ ln π(a|s). */
export const expectedUpdate: Chapter3["expectedUpdate"] = (problem, theta) => {
  const { S, A, T } = dims(problem);
  const term = isTerminal(problem);
  const ds = stateDistributions(problem, theta);
  const { Q } = timeIndexedValues(problem, theta);
  const g = new Float64Array(theta.length);
  for (let s = 0; s < S; s++) {
    if (term(s)) continue;
    const p = episodicPolicy(problem, theta, s);
    for (let a = 0; a < A; a++) {
      let w = 0;
      for (let t = 0; t < T; t++) w += ds[t][s] * p[a] * Q[t][s][a];
      if (w === 0) continue;
      const sc = episodicScore(problem, theta, s, a);
      for (let i = 0; i < g.length; i++) g[i] += w * sc[i];
    }
  }
  return g;
};

/** Eq. (28) on one episode, with the exact Q_t. */
export const update28: Chapter3["update28"] = (problem, theta, ep) => {
  const { Q } = timeIndexedValues(problem, theta);
  return alongEpisode(problem, theta, ep, (t) => Q[t][ep.states[t]][ep.actions[t]]);
};

/** Eq. (29): Σ_t Ĝ_t ∇ ln π(A_t|S_t). */
export const reinforceRewardToGo: Chapter3["reinforceRewardToGo"] = (problem, theta, ep) => {
  const G = rewardsToGo(ep);
  return alongEpisode(problem, theta, ep, (t) => G[t]);
};

export const reinforceFullReturn: Chapter3["reinforceFullReturn"] = (problem, theta, ep) => {
  const G0 = ep.rewards.reduce((acc, r) => acc + r, 0);
  return alongEpisode(problem, theta, ep, () => G0);
};

/** Eq. (30) with exact advantages Q_t − V_t. */
export const update30: Chapter3["update30"] = (problem, theta, ep) => {
  const { Q, V } = timeIndexedValues(problem, theta);
  return alongEpisode(problem, theta, ep, (t) => Q[t][ep.states[t]][ep.actions[t]] - V[t][ep.states[t]]);
};

export const reinforceBaseline: Chapter3["reinforceBaseline"] = (problem, theta, ep, baseline) => {
  const G = rewardsToGo(ep);
  return alongEpisode(problem, theta, ep, (t) => G[t] - baseline[t][ep.states[t]]);
};

/** Eq. (30) estimated: Ĝ_t − V_t(S_t). */
export const reinforceValueBaseline: Chapter3["reinforceValueBaseline"] = (problem, theta, ep) =>
  reinforceBaseline(problem, theta, ep, timeIndexedValues(problem, theta).V);

export const updateRunningBaseline: Chapter3["updateRunningBaseline"] = (baseline, ep, step) => {
  const out = baseline.map((row) => Float64Array.from(row));
  const G = rewardsToGo(ep);
  for (let t = 0; t < ep.actions.length; t++) {
    const s = ep.states[t];
    out[t][s] += step * (G[t] - out[t][s]);
  }
  return out;
};

/** One episode, one update θ ← θ + α ĝ; J recorded before the first and after every update. */
export const trainEpisodic: Chapter3["trainEpisodic"] = (problem, options, rng) => {
  const { S, A, T } = dims(problem);
  let theta = options.theta0 ? Float64Array.from(options.theta0) : new Float64Array(problem.features ? problem.features[0][0].length : S * A);
  let b: Float64Array[] = Array.from({ length: T }, () => new Float64Array(S));
  const J = new Float64Array(options.episodes + 1);
  J[0] = totalReturn(problem, theta);
  for (let l = 0; l < options.episodes; l++) {
    const ep = sampleEpisode(problem, theta, rng);
    let g: Float64Array;
    switch (options.estimator) {
      case "full-return":
        g = reinforceFullReturn(problem, theta, ep);
        break;
      case "reward-to-go":
        g = reinforceRewardToGo(problem, theta, ep);
        break;
      case "value-baseline":
        g = reinforceValueBaseline(problem, theta, ep);
        break;
      case "running-baseline":
        g = reinforceBaseline(problem, theta, ep, b);
        b = updateRunningBaseline(b, ep, options.baselineStep ?? 0.1);
        break;
    }
    theta = theta.map((x, i) => x + options.stepSize * g[i]);
    J[l + 1] = totalReturn(problem, theta);
  }
  return { J, theta };
};
