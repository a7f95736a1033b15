/**
 * Chapter 2's measuring tools, written independently of src/average-return: random instances for fast-check
 * (built on the book's MDP arbitraries), plain matrix computations (explicit state–action matrices, from
 * measure/average-return/rollout-variance.ts; a Gauss–Jordan inverse) and the residuals and error bounds by
 * which linear-system solutions are judged.
 */
import fc from "fast-check";
import { real } from "../../measure/arbitraries/index.ts";
import { CHAIN_KINDS, features, unichainMdp, type ChainKind } from "../../measure/arbitraries/mdp.ts";
import { ACCURACY, RESIDUAL } from "../../src/contract/accuracy.ts";
import { saMatrix } from "../../measure/average-return/rollout-variance.ts";
import { maxAbs, maxAbsDiff, norm } from "../support/vectors.ts";
import type { Tolerance } from "../../measure/close.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import type { PolicySpec } from "../../src/average-return/policy.ts";
import type { CriticSpec } from "../../src/average-return/td.ts";

export interface Instance {
  mdp: Mdp;
  S: number;
  A: number;
  policy: PolicySpec;
  theta: Float64Array;
  kind: ChainKind;
  transient: boolean[];
  label: string;
}

/**
 * A random unichain MDP of the given chain kinds (default all: mixing, periodic, transient, slowly
 * mixing) with a tabular or log-linear policy. Preferences are of size up to 4: tabular θ uniform on
 * [−4, 4], log-linear θ on [−4/n, 4/n] with n ∈ 1..5 features in [−1, 1].
 */
export function arbInstance(
  o: { policies?: ("tabular" | "log-linear")[]; kinds?: readonly ChainKind[] } = {},
): fc.Arbitrary<Instance> {
  const policies = o.policies ?? ["tabular", "log-linear"];
  return fc
    .record({
      m: unichainMdp({ kinds: o.kinds ?? CHAIN_KINDS }),
      kind: fc.constantFrom(...policies),
      n: fc.integer({ min: 1, max: 5 }),
    })
    .chain(({ m, kind, n }) => {
      const dim = kind === "tabular" ? m.S * m.A : n;
      const bound = kind === "tabular" ? 4 : 4 / n;
      return fc
        .record({
          F: kind === "tabular" ? fc.constant(null) : features(m.S, m.A, n),
          theta: fc.array(real(-bound, bound), { minLength: dim, maxLength: dim }),
        })
        .map(({ F, theta }): Instance => ({
          mdp: m.mdp,
          S: m.S,
          A: m.A,
          policy: F ? { kind: "log-linear", features: F } : { kind: "tabular" },
          theta: Float64Array.from(theta),
          kind: m.kind,
          transient: m.transient,
          label: `${m.label} ${kind}${kind === "tabular" ? "" : ` n=${n}`}`,
        }));
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

/** The defining equations of the stationary distribution: max(‖dᵀP_π − dᵀ‖∞, |Σd − 1|). */
export function stationaryResidual(mdp: Mdp, pi: ArrayLike<number>, d: ArrayLike<number>): number {
  const P = chain(mdp, pi);
  const S = P.length;
  let worst = Math.abs(Array.from(d).reduce((a, b) => a + b, 0) - 1);
  for (let t = 0; t < S; t++) {
    let x = -d[t];
    for (let s = 0; s < S; s++) x += d[s] * P[s][t];
    worst = Math.max(worst, Math.abs(x));
  }
  return d.length === S ? worst : Infinity;
}

/** The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting (the spec's own). */
export function inverse(M: number[][]): number[][] {
  const n = M.length;
  const a = M.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
    if (a[p][c] === 0) throw new RangeError("inverse: singular matrix");
    [a[c], a[p]] = [a[p], a[c]];
    const piv = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= piv;
    for (let i = 0; i < n; i++)
      if (i !== c && a[i][c] !== 0) {
        const f = a[i][c];
        for (let j = 0; j < 2 * n; j++) a[i][j] -= f * a[c][j];
      }
  }
  return a.map((row) => row.slice(n));
}

/**
 * How far from the exact d (in ‖·‖∞) a vector can be whose residual (stationaryResidual) is at most
 * `residual`: with δ = d − d*, δᵀ(I − P + 1d*ᵀ) = −ρᵀ + σ d*ᵀ where ρ = dᵀP − dᵀ and σ = Σd − 1, so
 * ‖δ‖∞ ≤ (‖ρ‖₁ + |σ|)·max|Z| ≤ (S + 1)·residual·max|Z|, Z = (I − P + 1d*ᵀ)⁻¹ the fundamental matrix.
 * `dExact` is the exact (hand-derived) distribution.
 */
export function stationaryDistanceBound(
  mdp: Mdp,
  pi: ArrayLike<number>,
  dExact: ArrayLike<number>,
  residual = RESIDUAL,
): number {
  const P = chain(mdp, pi);
  const S = P.length;
  const Z = inverse(P.map((row, i) => row.map((p, j) => (i === j ? 1 : 0) - p + dExact[j])));
  return (S + 1) * residual * Math.max(...Z.flat().map(Math.abs));
}

/**
 * How large d may be on the transient states T when its residual is at most `residual`: nothing enters T
 * from outside it, so d_Tᵀ(I − P_TT) = −ρ_Tᵀ and ‖d_T‖∞ ≤ residual·‖(I − P_TT)⁻¹‖₁ (largest column sum).
 */
export function transientMassBound(mdp: Mdp, pi: ArrayLike<number>, transient: boolean[], residual = RESIDUAL): number {
  const P = chain(mdp, pi);
  const T = transient.flatMap((t, s) => (t ? [s] : []));
  if (T.length === 0) return 0;
  const B = inverse(T.map((s) => T.map((t) => (s === t ? 1 : 0) - P[s][t])));
  const colSums = T.map((_, j) => B.reduce((acc, row) => acc + Math.abs(row[j]), 0));
  return residual * Math.max(...colSums);
}

export { saMatrix };

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

/**
 * The residual the contract allows the evaluation equation (src/contract/chapter2.ts): RESIDUAL for
 * values of order one, RESIDUAL·‖Q‖∞ beyond (on a slowly mixing chain Q grows like 1/gap, and a solver's
 * residual with it).
 */
export function valueResidualTolerance(Q: ArrayLike<number>): number {
  return RESIDUAL * Math.max(1, ...Array.from(Q, Math.abs));
}

/** The contract's accuracy for a value computed from quantities of size `scale` (sums of Q, of θ): its absolute part scaled. */
export function accuracyAt(scale: number): Tolerance {
  return { rel: ACCURACY.rel, abs: ACCURACY.abs * Math.max(1, scale) };
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

export { maxAbs, maxAbsDiff, norm };

/** max − min of x − y over the indices where `mask` is true: zero when x and y differ by a constant there. */
export function spreadOfDifference(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  mask: (i: number) => boolean = () => true,
): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++)
    if (mask(i)) {
      lo = Math.min(lo, x[i] - y[i]);
      hi = Math.max(hi, x[i] - y[i]);
    }
  return hi - lo;
}

/**
 * Stationary distribution by power iteration on the lazy chain (P + I)/2 (aperiodic, same d), for
 * chains in which every row gives one common state at least `floor` (then the lazy chain contracts by
 * ≤ 1 − floor/2 a step in total variation: 2000 steps at floor 0.05 leave an error below 1e-20).
 */
export function powerStationary(mdp: Mdp, pi: ArrayLike<number>, iters = 2000): number[] {
  const P = chain(mdp, pi);
  const S = P.length;
  let d = new Array<number>(S).fill(1 / S);
  for (let k = 0; k < iters; k++) {
    const n = new Array<number>(S).fill(0);
    for (let s = 0; s < S; s++) for (let t = 0; t < S; t++) n[t] += 0.5 * d[s] * (P[s][t] + (s === t ? 1 : 0));
    d = n;
  }
  return d;
}

/** The exact stationary distribution by the spec's own solve of dᵀ(I − P_π + 11ᵀ) = 1ᵀ (unichain: nonsingular). */
export function ownStationary(mdp: Mdp, pi: ArrayLike<number>): number[] {
  const P = chain(mdp, pi);
  const S = P.length;
  const Binv = inverse(P.map((row, i) => row.map((p, j) => (i === j ? 1 : 0) - p + 1)));
  // dᵀ = 1ᵀ B⁻¹: column sums of the inverse
  return Array.from({ length: S }, (_, j) => Binv.reduce((acc, row) => acc + row[j], 0));
}

/**
 * How far two solutions of the evaluation equation (each with its own gain) can be from differing by a
 * constant when their residuals are at most ρ₁ and ρ₂: x = Q₁ − Q₂ solves (I − M)x = b with
 * ‖b‖∞ ≤ 2(ρ₁ + ρ₂), so x − (μᵀx)1 = Z_M b with Z_M = (I − M + 1μᵀ)⁻¹ and the spread of x is at most
 * 2‖Z_M‖∞·2(ρ₁ + ρ₂).
 */
export function valueSpreadBound(mdp: Mdp, pi: ArrayLike<number>, rho1: number, rho2: number): number {
  const M = saMatrix(mdp, pi);
  const A = mdp.P[0].length;
  const d = ownStationary(mdp, pi);
  const mu = Array.from({ length: M.length }, (_, i) => d[Math.floor(i / A)] * pi[i]);
  const Z = inverse(M.map((row, i) => row.map((m, j) => (i === j ? 1 : 0) - m + mu[j])));
  const normInf = Math.max(...Z.map((row) => row.reduce((acc, z) => acc + Math.abs(z), 0)));
  return 4 * normInf * (rho1 + rho2);
}

/**
 * How far the gain (20) computed from a d whose residual is at most RESIDUAL can be from the exact
 * one: |Σ_s δ_s r_π(s)| ≤ S·‖δ‖∞·max|r| (stationaryDistanceBound), plus the contract's accuracy.
 */
export function gainTolerance(mdp: Mdp, pi: ArrayLike<number>): number {
  const S = mdp.P.length;
  const rmax = Math.max(...mdp.r.flat().map(Math.abs));
  return S * rmax * stationaryDistanceBound(mdp, pi, ownStationary(mdp, pi)) + ACCURACY.abs * Math.max(1, rmax);
}

/** The tabular Gibbs policy, π(a|s) ∝ exp θ[s·A + a]. */
export const TAB: PolicySpec = { kind: "tabular" };

/**
 * The chains on which finite differences of λθ are compared with (21): central differences divide λ's
 * round-off by h ≈ 1e-5, and on the slowly mixing chains that round-off grows like 1/gap (a solver's
 * error in d is its residual over the gap), so those are left to the residual checks.
 */
export const WELL_CONDITIONED: readonly ChainKind[] = CHAIN_KINDS.filter((k) => k !== "slow");

/** The tabular critic, Q̃ψ(s, a) = ψ[s·A + a]. */
export const TABULAR_CRITIC: CriticSpec = { kind: "tabular" };
