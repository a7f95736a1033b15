/**
 * Chapter 2's measuring tools, written independently of src/mdp: random instances for fast-check,
 * and plain matrix computations (power iteration, explicit state–action matrices) against which
 * the implementation under test is compared.
 */
import fc from "fast-check";
import { stream } from "../../src/random.ts";
import { randomFeatures, randomUnichainMdp } from "../../src/mdp/examples.ts";
import type { Mdp } from "../../src/mdp/types.ts";
import type { PolicySpec } from "../../src/mdp/policy.ts";

export interface Instance {
  mdp: Mdp;
  S: number;
  A: number;
  policy: PolicySpec;
  theta: Float64Array;
  label: string;
}

/**
 * A random unichain, aperiodic MDP (|S| 2–6, |A| 2–4; state 0 reachable in one step from every
 * pair, some transitions zero) with a tabular or log-linear policy and parameters in [−2, 2].
 */
export function arbInstance(kinds: ("tabular" | "log-linear")[] = ["tabular", "log-linear"]): fc.Arbitrary<Instance> {
  return fc
    .record({
      S: fc.integer({ min: 2, max: 6 }),
      A: fc.integer({ min: 2, max: 4 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      kind: fc.constantFrom(...kinds),
      n: fc.integer({ min: 1, max: 5 }),
      scale: fc.double({ min: 0, max: 2, noNaN: true, noDefaultInfinity: true }),
    })
    .map(({ S, A, seed, kind, n, scale }) => {
      const rng = stream(`ch2-instance/${seed}`);
      const mdp = randomUnichainMdp(rng, S, A);
      const policy: PolicySpec = kind === "tabular" ? { kind } : { kind, features: randomFeatures(rng, S, A, n) };
      const dim = kind === "tabular" ? S * A : n;
      const theta = Float64Array.from({ length: dim }, () => scale * (2 * rng() - 1));
      return { mdp, S, A, policy, theta, label: `S=${S} A=${A} seed=${seed} ${kind} n=${n} scale=${scale}` };
    });
}

/** The state chain P_π as nested arrays. */
export function chain(mdp: Mdp, pi: ArrayLike<number>): number[][] {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  return Array.from({ length: S }, (_, s) =>
    Array.from({ length: S }, (_, t) => {
      let p = 0;
      for (let a = 0; a < A; a++) p += pi[s * A + a] * mdp.P[s][a][t];
      return p;
    }),
  );
}

/** Stationary distribution by power iteration on the lazy chain (P + I)/2 (aperiodic, same d). With
 * every row giving state 0 at least 0.05 (arbInstance), the lazy chain contracts by ≤ 0.975 a step:
 * 2000 steps leave an error below 1e-20. */
export function powerStationary(mdp: Mdp, pi: ArrayLike<number>, iters = 2000): number[] {
  const P = chain(mdp, pi);
  const S = P.length;
  let d = new Array(S).fill(1 / S);
  for (let k = 0; k < iters; k++) {
    const n = new Array(S).fill(0);
    for (let s = 0; s < S; s++) for (let t = 0; t < S; t++) n[t] += 0.5 * d[s] * (P[s][t] + (s === t ? 1 : 0));
    d = n;
  }
  return d;
}

/** The explicit state–action matrix M[(s,a),(s',a')] = P[s][a][s'] π(a'|s'). */
export function saMatrix(mdp: Mdp, pi: ArrayLike<number>): number[][] {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const M: number[][] = [];
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const row: number[] = [];
      for (let t = 0; t < S; t++) for (let b = 0; b < A; b++) row.push(mdp.P[s][a][t] * pi[t * A + b]);
      M.push(row);
    }
  return M;
}

export function mul(M: number[][], x: ArrayLike<number>): number[] {
  return M.map((row) => row.reduce((acc, m, j) => acc + m * x[j], 0));
}

/** r as a flat state–action vector. */
export function rewardVector(mdp: Mdp): number[] {
  return mdp.r.flat();
}

/** Largest |residual| of the policy's own (average-form) evaluation equation at (Q, λ). */
export function averageFormResidual(mdp: Mdp, pi: ArrayLike<number>, Q: ArrayLike<number>, lambda: number): number {
  const MQ = mul(saMatrix(mdp, pi), Q);
  const r = rewardVector(mdp);
  return Math.max(...r.map((ri, i) => Math.abs(Q[i] - (ri - lambda + MQ[i]))));
}

/** Largest |residual| of the max-form equation printed in 2.1 at (Q, λ). */
export function maxFormResidual(mdp: Mdp, Q: ArrayLike<number>, lambda: number): number {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const best = Array.from({ length: S }, (_, t) => Math.max(...Array.from({ length: A }, (_, b) => Q[t * A + b])));
  let worst = 0;
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      let v = mdp.r[s][a] - lambda;
      for (let t = 0; t < S; t++) v += mdp.P[s][a][t] * best[t];
      worst = Math.max(worst, Math.abs(Q[s * A + a] - v));
    }
  return worst;
}

export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return x.length === y.length ? m : Infinity;
}

/** max − min of x − y over the indices where `mask` is true: zero when x and y differ by a constant there. */
export function spreadOfDifference(x: ArrayLike<number>, y: ArrayLike<number>, mask: (i: number) => boolean = () => true): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++)
    if (mask(i)) {
      lo = Math.min(lo, x[i] - y[i]);
      hi = Math.max(hi, x[i] - y[i]);
    }
  return hi - lo;
}

export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
