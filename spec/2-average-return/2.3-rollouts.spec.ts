/** Section 2.3: rollout estimates of Q_θ(S_t, A_t), their exact expectation, and where they fail. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callMany, impl } from "../support/impl.ts";
import { claim, testRng } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { homeWork, periodic } from "../../measure/average-return/examples.ts";
import { rolloutVarianceByCovariances } from "../../measure/average-return/rollout-variance.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { expectClose } from "../../measure/close.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import {
  arbInstance,
  maxAbs,
  maxAbsDiff,
  mul,
  rewardVector,
  saMatrix,
  TAB,
  valueResidualTolerance,
  valueSpreadBound,
} from "./tools.ts";

/** Σ_{k<K} M^k (r − λ1), with the explicit state–action matrix (independent of the implementation). */
function ownExpectedRollout(mdp: Mdp, pi: ArrayLike<number>, K: number, lambda: number): number[] {
  const M = saMatrix(mdp, pi);
  let g = rewardVector(mdp).map((r) => r - lambda);
  const sum = g.map(() => 0);
  for (let k = 0; k < K; k++) {
    g.forEach((x, i) => (sum[i] += x));
    g = mul(M, g);
  }
  return sum;
}

/** Dobrushin's coefficient τ(M) = 1 − min_{i,j} Σ_k min(M_ik, M_jk): osc(M x) ≤ τ(M)·osc(x). */
function dobrushin(M: number[][]): number {
  let worst = 1;
  for (const a of M)
    for (const b of M)
      worst = Math.min(
        worst,
        a.reduce((acc, x, k) => acc + Math.min(x, b[k]), 0),
      );
  return 1 - worst;
}

describe("2.3 Rollouts", () => {
  it("[sec 2.3] E[Q̂_K] = Σ_{k<K} M^k (r − λ1) = Q − M^K Q (bias-normalized Q), computed exactly", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.integer({ min: 1, max: 30 }), (inst, K) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const lam = impl.gain(inst.mdp, pi);
        const exp = impl.expectedRollout(inst.mdp, pi, K, lam);
        // a sum of K terms, each up to |r| + |λ| ≤ 6
        expectClose(
          exp,
          ownExpectedRollout(inst.mdp, pi, K, lam),
          { rel: ACCURACY.rel, abs: ACCURACY.abs * 6 * K },
          `E[Q̂_K] (${inst.label}, K=${K})`,
        );
        // Σ_{k≥K} M^k g = M^K Σ_k M^k g = M^K Q, so the truncation error is exactly −M^K Q. Q is the
        // implementation's, exact up to a constant and what its residual allows (the spread bound; M^K
        // moves neither), so Q − M^K Q is within that spread of E[Q̂_K], besides the gain's effect.
        const { Q, gain } = impl.relativeValues(inst.mdp, pi, "bias");
        let tail = Array.from(Q);
        const M = saMatrix(inst.mdp, pi);
        for (let k = 0; k < K; k++) tail = mul(M, tail);
        const rho = valueResidualTolerance(Q);
        const slack = valueSpreadBound(inst.mdp, pi, rho, rho) + K * (Math.abs(gain - lam) + rho);
        expectClose(
          exp,
          Array.from(Q, (q, i) => q - tail[i]),
          { rel: ACCURACY.rel, abs: ACCURACY.abs * Math.max(6 * K, maxAbs(Q)) + slack },
          `Q − M^K Q (${inst.label}, K=${K})`,
        );
      }),
      { implements: ["expectedRollout", "relativeValues", "gain"], numRuns: 60 },
    );
  });

  it("[sec 2.3] the truncated expectation converges geometrically on aperiodic chains: ‖E[Q̂_K] − Q‖∞ ≤ τ(M^m)^⌊K/m⌋ · osc(Q), with τ(M^m) < 1", (ctx) => {
    const rates: number[] = [];
    checkProperty(
      ctx,
      // aperiodic and well mixed (the slowly mixing chains converge too, but over ~1/ε steps)
      fc.property(arbInstance({ kinds: ["mixing", "transient"] }), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const lam = impl.gain(inst.mdp, pi);
        const { Q } = impl.relativeValues(inst.mdp, pi, "bias");
        // the first power m = 1, 2, 4, … whose rows all overlap: aperiodic and unichain make one exist
        let Mm = saMatrix(inst.mdp, pi);
        let m = 1;
        while (dobrushin(Mm) >= 1 && m < 1024) {
          Mm = Mm.map((row) => Mm[0].map((_, j) => row.reduce((acc, x, k) => acc + x * Mm[k][j], 0)));
          m *= 2;
        }
        const tau = dobrushin(Mm);
        expect(tau, `τ(M^${m}) on ${inst.label}`).toBeLessThan(1);
        const osc = Math.max(...Q) - Math.min(...Q);
        const rho = valueResidualTolerance(Q);
        const slack = valueSpreadBound(inst.mdp, pi, rho, rho) + ACCURACY.abs * Math.max(1, maxAbs(Q));
        // E Q̂_K − Q = −M^K Q and Σ μ Q = 0, so |M^K Q| ≤ osc(M^K Q) ≤ τ(M^m)^⌊K/m⌋ osc(Q)
        for (const k of [1, 2, 4]) {
          const K = k * m;
          const err = maxAbsDiff(impl.expectedRollout(inst.mdp, pi, K, lam), Q);
          expect(err, `K=${K} on ${inst.label}`).toBeLessThanOrEqual(tau ** k * osc + slack + K * rho);
        }
        const e1 = maxAbsDiff(impl.expectedRollout(inst.mdp, pi, 20, lam), Q);
        const e2 = maxAbsDiff(impl.expectedRollout(inst.mdp, pi, 40, lam), Q);
        if (e2 > 1e-12) rates.push((e2 / e1) ** (1 / 20));
      }),
      { implements: ["expectedRollout", "relativeValues"], numRuns: 40 },
    );
    claim(ctx, "property", { facts: { medianRatePerStep: rates.sort((a, b) => a - b)[rates.length >> 1] ?? 0 } });
  });

  it("[sec 2.3] [erratum rollout-start] sampled rollouts from (S_t, A_t) match the exact expectation; rollouts from S_0 are rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleRollout", "expectedRollout"] });
    // home/work at θ = 0, current pair (work, "work") = (1, 0), K = 10, exact λ = 11/34.
    const pi = impl.policyProbs(homeWork, TAB, new Float64Array(4));
    const lam = 11 / 34;
    const K = 10;
    const exact = ownExpectedRollout(homeWork, pi, K, lam);
    const target = exact[1 * 2 + 0];
    const rng = testRng(ctx);
    const n = 20000;
    // rewards lie in [0, 1], so Q̂_K ∈ [−Kλ, K(1 − λ)]: width K
    const xs = Float64Array.from(
      callMany(
        "sampleRollout",
        Array.from({ length: n }, () => [homeWork, pi, 1, 0, K, lam, rng]),
      ),
    );
    claim(ctx, "monte-carlo", { facts: { "ch2.rollout.samples": n, "ch2.rollout.K": K } });
    expectMean(ctx, xs, target, { width: K, label: "rollout from (S_t, A_t)" });
    // The printed initialization S̃_0 = S_0: the process started at home (state 0), so the rollout
    // starts from (0, A_t). Exact bias: E Q̂_K(0, 0) − E Q̂_K(1, 0), from the same independent sums.
    const bias = exact[0] - target;
    claim(ctx, "monte-carlo", { facts: { "ch2.rollout.fromHomeBias": Number(bias.toPrecision(2)) } });
    const ys = Float64Array.from(
      callMany(
        "sampleRollout",
        Array.from({ length: n }, () => [homeWork, pi, 0, 0, K, lam, rng]),
      ),
    );
    expectRejected(ctx, ys, target, bias, { width: K, label: "rollout from S_0", method: "hoeffding" });
  });

  it("[erratum rollout-infinite-sum] a single rollout's sum has no limit: Var[Q̂_K] grows linearly in K", (ctx) => {
    claim(ctx, "exact", { implements: ["expectedRollout"] });
    const pi = impl.policyProbs(homeWork, TAB, new Float64Array(4));
    const lam = 11 / 34;
    // The exact variance (measure/average-return/rollout-variance.ts: the chain's covariances summed), checked
    // by hand enumeration for K = 2: Q̂_2 = g(x₀) + g(X₁), X₁ ~ M(x₀, ·).
    const M = saMatrix(homeWork, pi);
    const g = rewardVector(homeWork).map((r) => r - lam);
    const v2 = rolloutVarianceByCovariances(homeWork, pi, 2, lam);
    M.forEach((row, i) => {
      const m1 = row.reduce((acc, p, j) => acc + p * g[j], 0);
      const m2 = row.reduce((acc, p, j) => acc + p * g[j] * g[j], 0);
      expect(v2[i]).toBeCloseTo(m2 - m1 * m1, 14);
    });
    const v200 = rolloutVarianceByCovariances(homeWork, pi, 200, lam);
    const v400 = rolloutVarianceByCovariances(homeWork, pi, 400, lam);
    const slope200 = v200[2] / 200;
    const slope400 = v400[2] / 400;
    claim(ctx, "exact", { facts: { slope200, slope400, var400: v400[2] } });
    expect(slope400).toBeGreaterThan(0.05);
    expect(Math.abs(slope400 - slope200) / slope400).toBeLessThan(0.02);
    // while the mean has converged: E Q̂_400 and E Q̂_200 agree to 1e-12
    expect(
      maxAbsDiff(impl.expectedRollout(homeWork, pi, 200, lam), impl.expectedRollout(homeWork, pi, 400, lam)),
    ).toBeLessThan(1e-12);
  });

  it("[sec 2.3] on the periodic chain E[Q̂_K] never settles: it alternates ¾, ½, ¾, … and only its running average tends to Q = 5/8", (ctx) => {
    claim(ctx, "exact", { implements: ["expectedRollout", "relativeValues"] });
    // uniform policy: d = (½, ½), r_π = (½, 0), λ = ¼; V(0) − V(1) = ½ − ¼ and Σ d V = 0 give
    // V = (1/8, −1/8), so Q(0, 0) = 1 − ¼ + V(1) = 5/8. The partial sums add ¾, then −¼ and +¼ in turn.
    const pi = impl.policyProbs(periodic, TAB, new Float64Array(4));
    expect(impl.relativeValues(periodic, pi, "bias").Q[0]).toBeCloseTo(5 / 8, 14);
    let cesaro = 0;
    const N = 400;
    for (let K = 1; K <= N; K++) {
      const e = impl.expectedRollout(periodic, pi, K, 0.25)[0];
      expect(e).toBeCloseTo(K % 2 ? 0.75 : 0.5, 12);
      cesaro += e / N;
    }
    expect(cesaro).toBeCloseTo(5 / 8, 12);
  });
});

describe("2.3 Rollouts and trajectories that chance cannot change", () => {
  // On the periodic chain with a deterministic policy (action 0 in state 0) nothing is random: the states
  // alternate 0, 1, 0, … and the rewards are r(0, ·) in state 0 and 0 in state 1.
  const det = [1, 0, 1, 0];

  it("[sec 2.3] a rollout from (S_t, A_t) on a deterministic path is exactly Σ_{k<K} (r(S̃_k, Ã_k) − λ), starting with the given action", (ctx) => {
    claim(ctx, "exact", { implements: ["sampleRollout"] });
    const rng = testRng(ctx, "deterministic-rollout");
    // from (0, action 1): rewards 0, 0, 1, 0, 1, … (the given action first, then π's action 0 in state 0)
    const expected = (K: number, lam: number) => {
      let total = 0;
      for (let k = 0; k < K; k++) total += (k === 0 ? 0 : k % 2 === 0 ? 1 : 0) - lam;
      return total;
    };
    for (const K of [1, 2, 3, 4, 7])
      for (const lam of [0, 0.25])
        expect(impl.sampleRollout(periodic, det, 0, 1, K, lam, rng)).toBeCloseTo(expected(K, lam), 12);
    // from state 1 (any action): rewards 0, 1, 0, 1, …
    expect(impl.sampleRollout(periodic, det, 1, 0, 5, 0.5, rng)).toBeCloseTo(2 - 2.5, 12);
  });

  it("[eq 20] a trajectory's average reward on a deterministic path: ⌈T/2⌉/T from state 0, ⌊T/2⌋/T from a start distribution on state 1", (ctx) => {
    claim(ctx, "exact", { implements: ["trajectoryAverageReward"] });
    const rng = testRng(ctx, "deterministic-trajectory");
    for (const T of [1, 2, 3, 10, 11]) {
      expect(impl.trajectoryAverageReward(periodic, det, 0, T, rng)).toBeCloseTo(Math.ceil(T / 2) / T, 12);
      expect(impl.trajectoryAverageReward(periodic, det, [0, 1], T, rng)).toBeCloseTo(Math.floor(T / 2) / T, 12);
      expect(impl.trajectoryAverageReward(periodic, det, [1, 0], T, rng)).toBeCloseTo(Math.ceil(T / 2) / T, 12);
    }
  });
});
