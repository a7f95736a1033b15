/**
 * Exact answers for a finite-horizon problem (Chapter 3) with rational P, r, initial distribution and a
 * rational policy table π[s][a]: P(S_t = s), the time-indexed values Q_t, V_t, the total return J, the
 * expected update of (28) (= ∇J) and its variants with another weight in place of Q_t, and the exact
 * mean and variance of any single-episode estimator over every episode. Independent of
 * src/total-return/exact.ts: J comes from the values at time 0, not from the forward sum of rewards.
 */
import type { EpisodicProblem } from "../../src/total-return/types.ts";
import { mdpFromDecimals, type RationalMdp, type RationalPolicy } from "./average-return.ts";
import { exactDecimal, ONE, ZERO, type Rational } from "./rational.ts";

/** A finite-horizon problem with exact entries; features (optional) for a log-linear policy. */
export interface RationalProblem {
  mdp: RationalMdp;
  horizon: number;
  initial: Rational[];
  terminal: number[];
  features?: Rational[][][];
}

/** A problem of doubles read exactly, each entry as the decimal it prints as (see mdpFromDecimals). */
export function problemFromDecimals(p: EpisodicProblem): RationalProblem {
  const read = (x: number, where: string): Rational => {
    const e = exactDecimal(x);
    if ("problem" in e) throw new RangeError(`${where}: ${e.problem}`);
    return e.value;
  };
  return {
    mdp: mdpFromDecimals(p.mdp),
    horizon: p.horizon,
    initial: p.initial.map((x, s) => read(x, `initial[${s}]`)),
    terminal: [...(p.terminal ?? [])],
    ...(p.features
      ? {
          features: p.features.map((Fs, s) => Fs.map((f, a) => f.map((x, i) => read(x, `features[${s}][${a}][${i}]`)))),
        }
      : {}),
  };
}

const isTerminal = (p: RationalProblem) => (s: number) => p.terminal.includes(s);

/** P(S_t = s) for t = 0, …, T − 1; a terminal state keeps its mass (it absorbs) and takes no action. */
export function stateDistributionsExact(p: RationalProblem, pi: RationalPolicy): Rational[][] {
  const S = p.mdp.P.length;
  const term = isTerminal(p);
  const out = [p.initial];
  for (let t = 1; t < p.horizon; t++) {
    const prev = out[t - 1];
    const next = new Array<Rational>(S).fill(ZERO);
    prev.forEach((m, s) => {
      if (term(s)) next[s] = next[s].add(m);
      else p.mdp.P[s].forEach((row, a) => row.forEach((q, s2) => (next[s2] = next[s2].add(m.mul(pi[s][a]).mul(q)))));
    });
    out.push(next);
  }
  return out;
}

/** Backward induction: V_T = 0, Q_t(s, a) = r(s, a) + Σ_{s'} P[s][a][s'] V_{t+1}(s'), V_t = Σ_a π Q_t; zero in terminal states. */
export function timeValuesExact(p: RationalProblem, pi: RationalPolicy): { Q: Rational[][][]; V: Rational[][] } {
  const term = isTerminal(p);
  const Q = new Array<Rational[][]>(p.horizon);
  const V = new Array<Rational[]>(p.horizon);
  let next = p.mdp.P.map(() => ZERO);
  for (let t = p.horizon - 1; t >= 0; t--) {
    Q[t] = p.mdp.P.map((Ps, s) =>
      Ps.map((row, a) => (term(s) ? ZERO : row.reduce((acc, q, s2) => acc.add(q.mul(next[s2])), p.mdp.r[s][a]))),
    );
    V[t] = Q[t].map((q, s) => q.reduce((acc, x, a) => acc.add(pi[s][a].mul(x)), ZERO));
    next = V[t];
  }
  return { Q, V };
}

/** J = E[R₁ + … + R_T] = Σ_s P(S₀ = s) V₀(s). */
export function totalReturnExact(p: RationalProblem, pi: RationalPolicy): Rational {
  const { V } = timeValuesExact(p, pi);
  return p.initial.reduce((acc, m, s) => acc.add(m.mul(V[0][s])), ZERO);
}

/** The score ∇θ ln π(a|s) at π: 1_(s,a) − π(·|s) on block s (tabular, length S·A), or φ(s, a) − Σ_b π(b|s)φ(s, b). */
export function scoreExact(p: RationalProblem, pi: RationalPolicy, s: number, a: number): Rational[] {
  const A = pi[0].length;
  if (p.features) {
    const f = p.features[s];
    return f[a].map((x, i) => x.sub(pi[s].reduce((acc, q, b) => acc.add(q.mul(f[b][i])), ZERO)));
  }
  const g = new Array<Rational>(p.mdp.P.length * A).fill(ZERO);
  for (let b = 0; b < A; b++) g[s * A + b] = (b === a ? ONE : ZERO).sub(pi[s][b]);
  return g;
}

/**
 * Σ_{t<T} Σ_s P(S_t = s) Σ_a π(a|s) w(t, s, a) ∇ln π(a|s): with w = Q_t the expected update of (28),
 * which is ∇J; other weights give the means of the wrong estimators the chapter names (Q₀ at every step, r).
 */
export function expectedUpdateExact(
  p: RationalProblem,
  pi: RationalPolicy,
  w?: (t: number, s: number, a: number) => Rational,
): Rational[] {
  const weight =
    w ??
    (
      (Q) => (t: number, s: number, a: number) =>
        Q[t][s][a]
    )(timeValuesExact(p, pi).Q);
  const term = isTerminal(p);
  const dist = stateDistributionsExact(p, pi);
  let g: Rational[] | null = null;
  dist.forEach((d, t) =>
    d.forEach((m, s) => {
      if (term(s) || m.equals(ZERO)) return;
      pi[s].forEach((q, a) => {
        const sc = scoreExact(p, pi, s, a);
        const c = m.mul(q).mul(weight(t, s, a));
        g = (g ?? sc.map(() => ZERO)).map((x, i) => x.add(c.mul(sc[i])));
      });
    }),
  );
  return g ?? scoreExact(p, pi, 0, 0).map(() => ZERO);
}

/** One episode with its exact probability: states S₀…S_τ, actions A₀…A_{τ−1}, rewards R₁…R_τ. */
export interface RationalEpisode {
  states: number[];
  actions: number[];
  rewards: Rational[];
  prob: Rational;
}

/** Every episode of positive probability (depth-first); refuses beyond `limit` episodes. */
export function episodesExact(p: RationalProblem, pi: RationalPolicy, limit = 20_000): RationalEpisode[] {
  const term = isTerminal(p);
  const out: RationalEpisode[] = [];
  const walk = (states: number[], actions: number[], rewards: Rational[], prob: Rational) => {
    const s = states[states.length - 1];
    if (actions.length === p.horizon || term(s)) {
      if (out.length >= limit) throw new RangeError(`episodesExact: more than ${limit} episodes`);
      out.push({ states, actions, rewards, prob });
      return;
    }
    pi[s].forEach((q, a) => {
      if (q.equals(ZERO)) return;
      p.mdp.P[s][a].forEach((t, s2) => {
        if (!t.equals(ZERO)) walk([...states, s2], [...actions, a], [...rewards, p.mdp.r[s][a]], prob.mul(q).mul(t));
      });
    });
  };
  p.initial.forEach((m, s) => {
    if (!m.equals(ZERO)) walk([s], [], [], m);
  });
  return out;
}

/** The exact mean E[ĝ] and total variance E‖ĝ − E ĝ‖² of a single-episode estimator. */
export function momentsExact(
  list: readonly RationalEpisode[],
  estimator: (ep: RationalEpisode) => Rational[],
): { mean: Rational[]; totalVariance: Rational } {
  const values = list.map(estimator);
  const dim = values[0]?.length ?? 0;
  const mean = Array.from({ length: dim }, (_, i) =>
    list.reduce((acc, ep, k) => acc.add(ep.prob.mul(values[k][i])), ZERO),
  );
  const totalVariance = list.reduce(
    (acc, ep, k) => acc.add(ep.prob.mul(values[k].reduce((s, x, i) => s.add(x.sub(mean[i]).pow(2)), ZERO))),
    ZERO,
  );
  return { mean, totalVariance };
}

/** Σ_t c(t) ∇ln π(A_t|S_t) along an episode: the shape of every estimator of Chapter 3. */
export function scoreSumExact(
  p: RationalProblem,
  pi: RationalPolicy,
  ep: RationalEpisode,
  c: (t: number) => Rational,
): Rational[] {
  let g: Rational[] | null = null;
  ep.actions.forEach((a, t) => {
    const sc = scoreExact(p, pi, ep.states[t], a);
    const w = c(t);
    g = (g ?? sc.map(() => ZERO)).map((x, i) => x.add(w.mul(sc[i])));
  });
  return g ?? scoreExact(p, pi, 0, 0).map(() => ZERO);
}

/** R_{from+1} + … + R_to of an episode (the reward-to-go from step `from` when `to` is its length). */
export function returnFromExact(ep: RationalEpisode, from: number, to = ep.rewards.length): Rational {
  return ep.rewards.slice(from, to).reduce((acc, x) => acc.add(x), ZERO);
}
