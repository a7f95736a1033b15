/**
 * Chapter 2, §2.1 "The gain and its gradient" (notes §2.1), first half: the Gibbs and log-linear policies and
 * their scores, the stationary distribution and the gain (20), and the relative values of the evaluation equation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callMany, impl } from "../support/impl.ts";
import { claim, testRng } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { expectClose } from "../../measure/close.ts";
import { ACCURACY, RESIDUAL } from "../../src/contract/accuracy.ts";
import { gradientMismatch, numericGradient } from "../../measure/stats/finite-diff.ts";
import { homeWork, periodic, withTransient } from "../../measure/average-return/examples.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import {
  accuracyAt,
  arbInstance,
  averageFormResidual,
  gainTolerance,
  maxAbs,
  ownStationary,
  spreadOfDifference,
  stationaryDistanceBound,
  stationaryResidual,
  TAB,
  transientMassBound,
  valueResidualTolerance,
  valueSpreadBound,
  type Instance,
} from "./tools.ts";

/** Softmax of the preferences, computed here independently of the implementation. */
function ownPolicy(inst: Instance): number[] {
  const { S, A, policy, theta } = inst;
  const out: number[] = [];
  for (let s = 0; s < S; s++) {
    const h = Array.from({ length: A }, (_, a) =>
      policy.kind === "tabular" ? theta[s * A + a] : policy.features[s][a].reduce((acc, f, i) => acc + f * theta[i], 0),
    );
    const m = Math.max(...h);
    const z = h.reduce((acc, x) => acc + Math.exp(x - m), 0);
    out.push(...h.map((x) => Math.exp(x - m) / z));
  }
  return out;
}

describe("2.1 The policies", () => {
  it("[sec 2.1] policyProbs is the softmax of the preferences (tabular and log-linear) and is positive everywhere", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        expectClose(pi, ownPolicy(inst), ACCURACY, `π (${inst.label})`);
        // preferences are at most 4 apart in size, so every probability is above e^−8/|A|
        for (const p of pi) expect(p).toBeGreaterThan(0);
      }),
      { implements: ["policyProbs"], numRuns: 100 },
    );
  });

  it("[sec 2.1] policyScore equals central finite differences of ln πθ(a|s)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.nat(), fc.nat(), (inst, si, ai) => {
        const s = si % inst.S;
        const a = ai % inst.A;
        const f = (x: Float64Array) => Math.log(impl.policyProbs(inst.mdp, inst.policy, x)[s * inst.A + a]);
        expect(
          gradientMismatch(numericGradient(f, inst.theta), impl.policyScore(inst.mdp, inst.policy, inst.theta, s, a)),
        ).toBe(0);
      }),
      { implements: ["policyScore", "policyProbs"], numRuns: 60 },
    );
  });
  it("[sec 2.1] policyProbs stays exact for preferences of size 800, where exp overflows unless the largest preference is subtracted first", (ctx) => {
    claim(ctx, "exact", { implements: ["policyProbs"] });
    const pi = impl.policyProbs(homeWork, TAB, Float64Array.from([800, 0, -800, -800]));
    // state 0: 1/(1 + e^−800) = 1 and e^−800 = 0 in doubles; state 1: a tie, ½ each
    expectClose(Array.from(pi), [1, 0, 0.5, 0.5], ACCURACY, "π at θ = (800, 0, −800, −800)");
    const big = impl.policyProbs(homeWork, TAB, Float64Array.from([1000, 999, 0, 0]));
    expectClose(
      Array.from(big),
      [1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1)), 0.5, 0.5],
      ACCURACY,
      "π at θ = (1000, 999, 0, 0)",
    );
  });
});

describe("2.1 The gain (20)", () => {
  it("[eq 20] d is the stationary distribution (its residual ‖dᵀP − dᵀ‖∞, |Σd − 1| within RESIDUAL, on periodic, transient and slowly mixing chains too), μ = d·π, and Σμr is the gain", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const d = impl.stationaryDistribution(inst.mdp, pi);
        const res = stationaryResidual(inst.mdp, pi, d);
        if (!(res <= RESIDUAL))
          throw new Error(`d = [${Array.from(d)}] on ${inst.label}: residual ${res.toExponential(2)} > ${RESIDUAL}`);
        for (const x of d) expect(x).toBeGreaterThanOrEqual(-RESIDUAL);
        const mu = impl.stateActionDistribution(inst.mdp, pi);
        expectClose(
          mu,
          Array.from(mu, (_, i) => d[Math.floor(i / inst.A)] * pi[i]),
          ACCURACY,
          `μ (${inst.label})`,
        );
        const lam = impl.gain(inst.mdp, pi);
        const byHand = inst.mdp.r.flat().reduce((acc, r, i) => acc + mu[i] * r, 0);
        // a sum of terms up to max|r| = 3 in size: the absolute part scaled by it
        expectClose(lam, byHand, accuracyAt(3), `λ = Σ μ r (${inst.label})`);
        // the evaluation equation's gain is the same number: each is off the exact λ by what its own
        // residual allows (gainTolerance for (20); the evaluation residual for the other, since μᵀM = μᵀ)
        const rv = impl.relativeValues(inst.mdp, pi, "reference");
        expectClose(
          rv.gain,
          lam,
          { rel: ACCURACY.rel, abs: gainTolerance(inst.mdp, pi) + valueResidualTolerance(rv.Q) },
          `relativeValues(…).gain vs (20) (${inst.label})`,
        );
      }),
      { implements: ["stationaryDistribution", "stateActionDistribution", "gain", "relativeValues"] },
    );
  });

  it("[eq 20] hand-derived gains: home/work at θ = 0 is 11/34; a transient state gets d = 0; the periodic chain's d = (½, ½)", (ctx) => {
    claim(ctx, "exact", { implements: ["gain", "stationaryDistribution"] });
    // The contract judges d by its residual (≤ RESIDUAL); how far that lets d be from the exact value is
    // stationaryDistanceBound (the fundamental matrix's size), and the gain's distance S·max|r| times that.
    const near = (d: ArrayLike<number>, exact: number[], pi: ArrayLike<number>, mdp: Mdp, what: string) =>
      expectClose(d, exact, { rel: ACCURACY.rel, abs: stationaryDistanceBound(mdp, pi, exact) }, what);
    const gainNear = (lam: number, exact: number, dExact: number[], pi: ArrayLike<number>, mdp: Mdp, what: string) => {
      const rmax = Math.max(...mdp.r.flat().map(Math.abs));
      expectClose(
        lam,
        exact,
        { rel: ACCURACY.rel, abs: mdp.P.length * rmax * stationaryDistanceBound(mdp, pi, dExact) },
        what,
      );
    };
    // home/work, uniform policy: P_π = [[¾, ¼], [0.6, 0.4]]; balance d₀·¼ = d₁·0.6 → d = (12/17, 5/17).
    // r_π = (0.25, 0.5); λ = 12/17·¼ + 5/17·½ = 3/17 + 2.5/17 = 5.5/17 = 11/34.
    const pi = impl.policyProbs(homeWork, TAB, new Float64Array(4));
    near(impl.stationaryDistribution(homeWork, pi), [12 / 17, 5 / 17], pi, homeWork, "d (home/work)");
    gainNear(impl.gain(homeWork, pi), 11 / 34, [12 / 17, 5 / 17], pi, homeWork, "λ (home/work)");
    // withTransient: state 2 is never re-entered, so d(2) = 0 and the gain uses states 0 and 1 only.
    // P_π on {0, 1}: [[0.6, 0.4], [0.35, 0.65]] → d₀·0.4 = d₁·0.35 → d = (7/15, 8/15); r_π = (½, 1) → λ = 7/30 + 16/30 = 23/30
    const piT = impl.policyProbs(withTransient, TAB, new Float64Array(6));
    const dT = impl.stationaryDistribution(withTransient, piT);
    near(dT, [7 / 15, 8 / 15, 0], piT, withTransient, "d (withTransient)");
    expect(Math.abs(dT[2])).toBeLessThanOrEqual(transientMassBound(withTransient, piT, [false, false, true]));
    gainNear(impl.gain(withTransient, piT), 23 / 30, [7 / 15, 8 / 15, 0], piT, withTransient, "λ (withTransient)");
    // the periodic chain alternates 0, 1, 0, …: d = (½, ½), r_π = (½, 0) → λ = ¼
    const piP = impl.policyProbs(periodic, TAB, new Float64Array(4));
    near(impl.stationaryDistribution(periodic, piP), [0.5, 0.5], piP, periodic, "d (periodic)");
    gainNear(impl.gain(periodic, piP), 0.25, [0.5, 0.5], piP, periodic, "λ (periodic)");
    // the hand-derived values themselves solve the defining equations exactly (to rounding)
    expect(stationaryResidual(homeWork, pi, [12 / 17, 5 / 17])).toBeLessThan(1e-15);
    expect(stationaryResidual(withTransient, piT, [7 / 15, 8 / 15, 0])).toBeLessThan(1e-15);
    expect(stationaryResidual(periodic, piP, [0.5, 0.5])).toBe(0);
  });

  it("[eq 20] the gain is the long-run average reward: replicates started from d agree; a start in a fixed state is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["trajectoryAverageReward", "gain", "stationaryDistribution"] });
    // home/work at θ = 0: λ = 11/34 (hand-derived above). Each replicate of T steps starts from d, so
    // every reward has mean λ and the replicate's average is unbiased; averages lie in [0, 1] (w = 1).
    const pi = impl.policyProbs(homeWork, TAB, new Float64Array(4));
    const d = impl.stationaryDistribution(homeWork, pi);
    const rng = testRng(ctx);
    const n = 4000;
    const T = 50;
    const xs = Float64Array.from(
      callMany(
        "trajectoryAverageReward",
        Array.from({ length: n }, () => [homeWork, pi, d, T, rng]),
      ),
    );
    expectMean(ctx, xs, 11 / 34, { width: 1, label: "stationary replicates" });
    // Control: one-step "replicates" started in "work" (state 1), a trajectory that never mixes.
    // P_π = [[¾, ¼], [0.6, 0.4]] has eigenvalues 1 and 0.15, and e₁ᵀP_π^t = d − (12/17)(1, −1)·0.15^t,
    // so E[r_t] = λ − (12/17)(¼ − ½)·0.15^t = λ + (3/17)·0.15^t: for T = 1 the exact bias is 3/17.
    const bias = 3 / 17;
    const ys = Float64Array.from(
      callMany(
        "trajectoryAverageReward",
        Array.from({ length: n }, () => [homeWork, pi, 1, 1, rng]),
      ),
    );
    expectRejected(ctx, ys, 11 / 34, bias, { width: 1, label: "start at work, T=1", method: "hoeffding" });
  });
  it("[eq 20] with transient states d and μ are still distributions: non-negative (to RESIDUAL), and zero on the transient states up to what the residual allows", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: ["transient"] }), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const d = impl.stationaryDistribution(inst.mdp, pi);
        const mu = impl.stateActionDistribution(inst.mdp, pi);
        for (let s = 0; s < inst.S; s++) expect(d[s]).toBeGreaterThanOrEqual(-RESIDUAL);
        for (let i = 0; i < inst.S * inst.A; i++) expect(mu[i]).toBeGreaterThanOrEqual(-RESIDUAL);
        // nothing enters the transient states, so a residual ρ leaves at most ρ·‖(I − P_TT)⁻¹‖₁ on them
        const bound = transientMassBound(inst.mdp, pi, inst.transient);
        for (let s = 0; s < inst.S; s++)
          if (inst.transient[s]) expect(Math.abs(d[s]), `d(${s}) on ${inst.label}`).toBeLessThanOrEqual(bound);
        expect(Math.abs(d.reduce((x, y) => x + y, 0) - 1)).toBeLessThanOrEqual(RESIDUAL);
      }),
      { implements: ["stationaryDistribution", "stateActionDistribution", "policyProbs"], numRuns: 100 },
    );
  });
});

describe("2.1 Relative values", () => {
  it("[sec 2.1] relativeValues solves the policy's own evaluation equation (residual within RESIDUAL·max(1, ‖Q‖∞), slowly mixing chains included); the two normalizations differ by a constant", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const ref = impl.relativeValues(inst.mdp, pi, "reference");
        const bias = impl.relativeValues(inst.mdp, pi, "bias");
        const tolRef = valueResidualTolerance(ref.Q);
        const tolBias = valueResidualTolerance(bias.Q);
        for (const [rv, tol, name] of [
          [ref, tolRef, "reference"],
          [bias, tolBias, "bias"],
        ] as const) {
          const res = averageFormResidual(inst.mdp, pi, rv.Q, rv.gain);
          if (!(res <= tol))
            throw new Error(
              `${name} Q on ${inst.label}: evaluation-equation residual ${res.toExponential(2)} > ${tol.toExponential(2)}`,
            );
          // V(s) = Σ_a π(a|s) Q(s, a) is part of the same system: judged by the same residual
          const V = Array.from({ length: inst.S }, (_, s) =>
            Array.from({ length: inst.A }, (_, a) => pi[s * inst.A + a] * rv.Q[s * inst.A + a]).reduce(
              (x, y) => x + y,
              0,
            ),
          );
          expectClose(rv.V, V, { rel: 0, abs: tol }, `${name} V vs Σ π Q (${inst.label})`);
        }
        // the normalizations: V(0) = 0, and Σ d V = 0 with the implementation's d (which may be off the
        // exact one by stationaryDistanceBound, each component, times |V|)
        expect(Math.abs(ref.V[0])).toBeLessThanOrEqual(tolRef);
        const d = impl.stationaryDistribution(inst.mdp, pi);
        const dSlack = inst.S * maxAbs(bias.V) * stationaryDistanceBound(inst.mdp, pi, ownStationary(inst.mdp, pi));
        expect(Math.abs(d.reduce((acc, x, s) => acc + x * bias.V[s], 0))).toBeLessThanOrEqual(tolBias + dSlack);
        // two solutions of one equation differ by a constant, up to what their residuals allow
        expect(spreadOfDifference(ref.Q, bias.Q)).toBeLessThanOrEqual(valueSpreadBound(inst.mdp, pi, tolRef, tolBias));
      }),
      { implements: ["relativeValues", "stationaryDistribution"] },
    );
  });
});
