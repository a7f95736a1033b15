/**
 * Exact quantities of a finite-horizon problem: the state distributions P(S_t = s) by forward
 * propagation, the total return J(θ), the time-indexed values Q_t, V_t by backward induction, and the
 * expected update of (28), which equals ∇J(θ).
 */
import { addScore, episodicPolicy } from "./policy.ts";
import { problemShape, terminalMask } from "./problem.ts";
import type { EpisodicProblem, TimeValues } from "./types.ts";

/** π_θ(·|s) for every state. */
export function policyTable(p: EpisodicProblem, theta: ArrayLike<number>): Float64Array[] {
  return p.mdp.P.map((_, s) => episodicPolicy(p, theta, s));
}

/** P(S_t = s) for t = 0, …, T: d₀ = initial, d_{t+1}(s') = Σ_s d_t(s) Σ_a π(a|s) P(s'|s, a); terminal states absorb. */
export function stateDistributions(p: EpisodicProblem, theta: ArrayLike<number>): Float64Array[] {
  const { S, A } = problemShape(p);
  const pi = policyTable(p, theta);
  const term = terminalMask(p);
  const out = [Float64Array.from(p.initial)];
  for (let t = 0; t < p.horizon; t++) {
    const d = out[t];
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (d[s] === 0) continue;
      if (term[s]) {
        next[s] += d[s];
        continue;
      }
      for (let a = 0; a < A; a++) {
        const w = d[s] * pi[s][a];
        const row = p.mdp.P[s][a];
        for (let s2 = 0; s2 < S; s2++) next[s2] += w * row[s2];
      }
    }
    out.push(next);
  }
  return out;
}

/** J(θ) = E[R₁ + … + R_T] = Σ_{t<T} Σ_s P(S_t = s) Σ_a π(a|s) r(s, a), terminal states earning nothing. */
export function totalReturn(p: EpisodicProblem, theta: ArrayLike<number>): number {
  const { S, A } = problemShape(p);
  const pi = policyTable(p, theta);
  const term = terminalMask(p);
  const ds = stateDistributions(p, theta);
  let J = 0;
  for (let t = 0; t < p.horizon; t++)
    for (let s = 0; s < S; s++) {
      if (term[s] || ds[t][s] === 0) continue;
      let v = 0;
      for (let a = 0; a < A; a++) v += pi[s][a] * p.mdp.r[s][a];
      J += ds[t][s] * v;
    }
  return J;
}

/**
 * Backward induction: V_T = 0, Q_t(s, a) = r(s, a) + Σ_{s'} P(s'|s, a) V_{t+1}(s'), V_t(s) = Σ_a π(a|s) Q_t(s, a),
 * with Q_t = V_t = 0 in terminal states. The action value depends on t: it counts the T − t rewards still to come.
 */
export function timeIndexedValues(p: EpisodicProblem, theta: ArrayLike<number>): TimeValues {
  const { S, A } = problemShape(p);
  const pi = policyTable(p, theta);
  const term = terminalMask(p);
  const T = p.horizon;
  const Q = new Array<Float64Array[]>(T);
  const V = new Array<Float64Array>(T);
  let Vnext = new Float64Array(S);
  for (let t = T - 1; t >= 0; t--) {
    const Qt: Float64Array[] = [];
    const Vt = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const q = new Float64Array(A);
      if (!term[s]) {
        for (let a = 0; a < A; a++) {
          const row = p.mdp.P[s][a];
          let acc = p.mdp.r[s][a];
          for (let s2 = 0; s2 < S; s2++) acc += row[s2] * Vnext[s2];
          q[a] = acc;
          Vt[s] += pi[s][a] * acc;
        }
      }
      Qt.push(q);
    }
    Q[t] = Qt;
    V[t] = Vt;
    Vnext = Vt;
  }
  return { Q, V };
}

/** Expected update of Eq. (28): Σ_{t<T} Σ_s P(S_t = s) Σ_a π(a|s) Q_t(s, a) ∇θ ln π(a|s), which equals ∇J(θ). */
export function expectedUpdate(p: EpisodicProblem, theta: ArrayLike<number>): Float64Array {
  const { S, A, d } = problemShape(p);
  const pi = policyTable(p, theta);
  const term = terminalMask(p);
  const ds = stateDistributions(p, theta);
  const { Q } = timeIndexedValues(p, theta);
  const g = new Float64Array(d);
  for (let t = 0; t < p.horizon; t++)
    for (let s = 0; s < S; s++) {
      if (term[s] || ds[t][s] === 0) continue;
      for (let a = 0; a < A; a++) addScore(p, pi[s], s, a, ds[t][s] * pi[s][a] * Q[t][s][a], g);
    }
  return g;
}
