/** Section 2.1: unichain MDPs, the gain (20), relative values, and the policy gradient theorem (21). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callMany, impl } from "../support/impl.ts";
import { claim, testRng } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { expectClose } from "../support/close.ts";
import { real, vector } from "../../measure/arbitraries/index.ts";
import { ACCURACY, RESIDUAL } from "../../src/contract/accuracy.ts";
import { errorRatio, gradientMismatch, numericGradient, partial } from "../../measure/stats/finite-diff.ts";
import { homeWork, periodic, randomFeatures, randomUnichainMdp, withTransient } from "../../measure/average-return/examples.ts";
import { APERIODIC_KINDS, CHAIN_KINDS, unichainMdp, type ChainKind } from "../../measure/arbitraries/mdp.ts";
import { optimalValues } from "../../measure/average-return/optimal.ts";
import { solve } from "../../src/core/linalg.ts";
import { closedClasses, validateMdp as referenceValidateMdp } from "../../src/average-return/validate.ts";
import { stream } from "../../src/contract/random.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import type { PolicySpec } from "../../src/average-return/policy.ts";
import {
  accuracyAt,
  arbInstance,
  averageFormResidual,
  chain,
  gainTolerance,
  maxAbs,
  maxAbsDiff,
  maxFormResidual,
  ownStationary,
  powerStationary,
  spreadOfDifference,
  stationaryDistanceBound,
  stationaryResidual,
  transientMassBound,
  valueResidualTolerance,
  valueSpreadBound,
  type Instance,
} from "./tools.ts";

const TAB: PolicySpec = { kind: "tabular" };
/**
 * The chains on which finite differences of λθ are compared with (21): central differences divide λ's
 * round-off by h ≈ 1e-5, and on the slowly mixing chains that round-off grows like 1/gap (a solver's
 * error in d is its residual over the gap), so those are left to the residual checks.
 */
const WELL_CONDITIONED: readonly ChainKind[] = CHAIN_KINDS.filter((k) => k !== "slow");
const lambdaOf = (mdp: Mdp, policy: PolicySpec) => (x: Float64Array) => impl.gain(mdp, impl.policyProbs(mdp, policy, x));

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

/** The wrong gradient of the negative control: states weighted equally instead of by d(s). */
function gradientWithoutStateDistribution(mdp: Mdp, policy: PolicySpec, theta: Float64Array): Float64Array {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const pi = impl.policyProbs(mdp, policy, theta);
  const { Q } = impl.relativeValues(mdp, pi, "bias");
  const g = new Float64Array(theta.length);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const sc = impl.policyScore(mdp, policy, theta, s, a);
      for (let i = 0; i < g.length; i++) g[i] += (1 / S) * pi[s * A + a] * Q[s * A + a] * sc[i];
    }
  return g;
}

describe("2 Average return: unichain MDPs as data", () => {
  it("[sec 2] validateMdp accepts the examples and names the JSON path of each kind of bad input", (ctx) => {
    claim(ctx, "exact", { implements: ["validateMdp"] });
    for (const m of [homeWork, withTransient, periodic]) expect(impl.validateMdp(JSON.parse(JSON.stringify(m))).P).toEqual(m.P);
    const bad: [unknown, RegExp][] = [
      [[1, 2], /^\$: expected an object/],
      [{ r: [[0]] }, /^\$: missing field "P"/],
      [{ P: [[[1]]] }, /^\$: missing field "r"/],
      [{ P: [[[0.5, 0.4], [1, 0]], [[0, 1], [0, 1]]], r: [[0, 0], [0, 0]] }, /^\$\.P\[0\]\[0\]: probabilities sum to 0\.9/],
      [{ P: [[[1.5, -0.5], [1, 0]], [[0, 1], [0, 1]]], r: [[0, 0], [0, 0]] }, /^\$\.P\[0\]\[0\]\[1\]: negative probability/],
      [{ P: [[[1, 0], [1, 0]], [[0, 1]]], r: [[0, 0], [0, 0]] }, /^\$\.P\[1\]: expected 2 entries, got 1/],
      [{ P: [[[1, 0], [1, 0]], [[0, 1], [0, 1, 0]]], r: [[0, 0], [0, 0]] }, /^\$\.P\[1\]\[1\]: expected 2 entries, got 3/],
      [{ P: [[[1, 0], [1, 0]], [[0, 1], [0, "1"]]], r: [[0, 0], [0, 0]] }, /^\$\.P\[1\]\[1\]\[1\]: expected a finite number/],
      [{ P: [[[1, 0], [1, 0]], [[1, 0], [1, 0]]], r: [[0, 0], [0, null]] }, /^\$\.r\[1\]\[1\]: expected a finite number, got null/],
      [{ P: [[[1, 0], [1, 0]], [[1, 0], [1, 0]]], r: [[0, 0]] }, /^\$\.r: expected 2 entries/],
      // two absorbing states: two closed classes under every policy
      [{ P: [[[1, 0], [1, 0]], [[0, 1], [0, 1]]], r: [[0, 0], [0, 0]] }, /^\$\.P: not unichain/],
    ];
    for (const [input, msg] of bad) expect(() => impl.validateMdp(input)).toThrow(msg);
    // rounding in decimal JSON is tolerated: 0.1 + 0.2 + 0.7 = 1.0000000000000002
    expect(() => impl.validateMdp({ P: [[[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]]], r: [[0], [0], [0]] })).not.toThrow();
  });

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
        expect(gradientMismatch(numericGradient(f, inst.theta), impl.policyScore(inst.mdp, inst.policy, inst.theta, s, a))).toBe(0);
      }),
      { implements: ["policyScore", "policyProbs"], numRuns: 60 },
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
        if (!(res <= RESIDUAL)) throw new Error(`d = [${Array.from(d)}] on ${inst.label}: residual ${res.toExponential(2)} > ${RESIDUAL}`);
        for (const x of d) expect(x).toBeGreaterThanOrEqual(-RESIDUAL);
        const mu = impl.stateActionDistribution(inst.mdp, pi);
        expectClose(mu, Array.from(mu, (_, i) => d[Math.floor(i / inst.A)] * pi[i]), ACCURACY, `μ (${inst.label})`);
        const lam = impl.gain(inst.mdp, pi);
        const byHand = inst.mdp.r.flat().reduce((acc, r, i) => acc + mu[i] * r, 0);
        // a sum of terms up to max|r| = 3 in size: the absolute part scaled by it
        expectClose(lam, byHand, accuracyAt(3), `λ = Σ μ r (${inst.label})`);
        // the evaluation equation's gain is the same number: each is off the exact λ by what its own
        // residual allows (gainTolerance for (20); the evaluation residual for the other, since μᵀM = μᵀ)
        const rv = impl.relativeValues(inst.mdp, pi, "reference");
        expectClose(rv.gain, lam, { rel: ACCURACY.rel, abs: gainTolerance(inst.mdp, pi) + valueResidualTolerance(rv.Q) }, `relativeValues(…).gain vs (20) (${inst.label})`);
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
      expectClose(lam, exact, { rel: ACCURACY.rel, abs: mdp.P.length * rmax * stationaryDistanceBound(mdp, pi, dExact) }, what);
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
    const xs = Float64Array.from(callMany("trajectoryAverageReward", Array.from({ length: n }, () => [homeWork, pi, d, T, rng])));
    expectMean(ctx, xs, 11 / 34, { width: 1, label: "stationary replicates" });
    // Control: one-step "replicates" started in "work" (state 1), a trajectory that never mixes.
    // P_π = [[¾, ¼], [0.6, 0.4]] has eigenvalues 1 and 0.15, and e₁ᵀP_π^t = d − (12/17)(1, −1)·0.15^t,
    // so E[r_t] = λ − (12/17)(¼ − ½)·0.15^t = λ + (3/17)·0.15^t: for T = 1 the exact bias is 3/17.
    const bias = 3 / 17;
    const ys = Float64Array.from(callMany("trajectoryAverageReward", Array.from({ length: n }, () => [homeWork, pi, 1, 1, rng])));
    expectRejected(ctx, ys, 11 / 34, bias, { width: 1, label: "start at work, T=1", method: "hoeffding" });
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
        for (const [rv, tol, name] of [[ref, tolRef, "reference"], [bias, tolBias, "bias"]] as const) {
          const res = averageFormResidual(inst.mdp, pi, rv.Q, rv.gain);
          if (!(res <= tol)) throw new Error(`${name} Q on ${inst.label}: evaluation-equation residual ${res.toExponential(2)} > ${tol.toExponential(2)}`);
          // V(s) = Σ_a π(a|s) Q(s, a) is part of the same system: judged by the same residual
          const V = Array.from({ length: inst.S }, (_, s) => Array.from({ length: inst.A }, (_, a) => pi[s * inst.A + a] * rv.Q[s * inst.A + a]).reduce((x, y) => x + y, 0));
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

describe("2.1 The policy gradient theorem (21)", () => {
  it("[eq 21] policyGradient equals central finite differences of λθ (tabular and log-linear; mixing, periodic and transient chains)", (ctx) => {
    let worst = 0;
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: WELL_CONDITIONED }), (inst) => {
        const g = impl.policyGradient(inst.mdp, inst.policy, inst.theta);
        const fd = numericGradient(lambdaOf(inst.mdp, inst.policy), inst.theta);
        worst = Math.max(worst, maxAbsDiff(g, fd));
        expect(gradientMismatch(fd, g)).toBe(0);
      }),
      { implements: ["policyGradient", "gain", "policyProbs"], numRuns: 100 },
    );
    claim(ctx, "property", { facts: { worstAbsError: worst } });
  });

  it("[eq 21] the finite-difference error shrinks like h² (ratio ≈ 4 when h halves), so the agreement is not a tolerance accident", (ctx) => {
    claim(ctx, "exact", { implements: ["policyGradient"] });
    // log-linear policy on home/work with features chosen by hand (the direction v is the first axis)
    const policy: PolicySpec = { kind: "log-linear", features: [[[1, 0], [0, 1]], [[0.5, -1], [-1, 0.3]]] };
    const theta = Float64Array.of(0.4, -0.7);
    const g = impl.policyGradient(homeWork, policy, theta);
    for (const i of [0, 1]) {
      const v = Float64Array.from([0, 1], (_, j) => (j === i ? 1 : 0));
      const ratio = errorRatio(lambdaOf(homeWork, policy), theta, v, g[i], 0.2);
      claim(ctx, "exact", { facts: { [`ratio${i}`]: ratio } });
      expect(ratio).toBeGreaterThan(3.5);
      expect(ratio).toBeLessThan(4.5);
    }
  });

  it("[eq 21] adding any function b(s) of the state to Q leaves Σ μ (Q + b) ∇ln π unchanged", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: WELL_CONDITIONED }), vector(real(-10, 10), 6), (inst, b) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const mu = impl.stateActionDistribution(inst.mdp, pi);
        const { Q } = impl.relativeValues(inst.mdp, pi, "reference");
        const g = new Float64Array(inst.theta.length);
        let scale = 0;
        for (let s = 0; s < inst.S; s++)
          for (let a = 0; a < inst.A; a++) {
            const sc = impl.policyScore(inst.mdp, inst.policy, inst.theta, s, a);
            const w = mu[s * inst.A + a] * (Q[s * inst.A + a] + b[s]);
            for (let i = 0; i < g.length; i++) g[i] += w * sc[i];
            scale = Math.max(scale, Math.abs(w) * maxAbs(sc));
          }
        // the sum's terms are up to `scale` in size; policyGradient may use Q in the other normalization,
        // equal to this one up to a constant and what the residuals allow (valueSpreadBound)
        const spread = valueSpreadBound(inst.mdp, pi, valueResidualTolerance(Q), valueResidualTolerance(Q));
        const tol = { rel: ACCURACY.rel, abs: ACCURACY.abs * Math.max(1, inst.S * inst.A * scale) + spread * inst.S * inst.A * 2 };
        expectClose(impl.policyGradient(inst.mdp, inst.policy, inst.theta), g, tol, `Σ μ (Q + b) ∇ln π vs ∇λ (${inst.label})`);
      }),
      { implements: ["policyGradient", "relativeValues", "stateActionDistribution", "policyScore"] },
    );
  });

  it("[eq 21] [erratum mu-undefined] negative control: weighting states equally instead of by d(s) fails the same finite-difference check", (ctx) => {
    claim(ctx, "exact", { control: true, implements: ["policyGradient", "relativeValues", "policyScore"] });
    // home/work at θ = 0: d = (12/17, 5/17) is far from uniform, so the wrong weights change the answer.
    const theta = new Float64Array(4);
    const fd = numericGradient(lambdaOf(homeWork, TAB), theta);
    const wrong = gradientWithoutStateDistribution(homeWork, TAB, theta);
    const effect = maxAbsDiff(wrong, fd);
    claim(ctx, "exact", { facts: { effect } });
    expect(gradientMismatch(fd, impl.policyGradient(homeWork, TAB, theta))).toBe(0);
    expect(gradientMismatch(fd, wrong)).toBeGreaterThan(1e-3);
  });

  it("[eq 21] negative control over random instances: dropping d(s) is caught in at least 95 of 100 instances", (ctx) => {
    const NEEDED = 95;
    const INSTANCES = 100;
    let caught = 0;
    let runs = 0;
    checkProperty(
      ctx,
      // mixing and transient chains: on a periodic chain whose classes are single states d is uniform, and
      // weighting states equally is then no mistake at all
      fc.property(arbInstance({ policies: ["tabular"], kinds: ["mixing", "transient"] }), (inst) => {
        runs++;
        const fd = numericGradient(lambdaOf(inst.mdp, inst.policy), inst.theta);
        if (gradientMismatch(fd, gradientWithoutStateDistribution(inst.mdp, inst.policy, inst.theta)) > 0) caught++;
        return true;
      }),
      { implements: ["policyGradient"], numRuns: INSTANCES },
    );
    claim(ctx, "property", { control: true, facts: { caught, runs, "ch2.equalWeights.caught": caught, "ch2.equalWeights.instances": runs, "ch2.equalWeights.needed": NEEDED } });
    expect(caught).toBeGreaterThanOrEqual(NEEDED);
  });
});

describe("2.1 Errata", () => {
  it("[erratum max-in-q] Q_π solves the average-form equation but not the printed max-form one; Q from the max form breaks (21)", (ctx) => {
    claim(ctx, "exact", { control: true, implements: ["relativeValues", "policyGradient", "gain"] });
    const theta = new Float64Array(4);
    const pi = impl.policyProbs(homeWork, TAB, theta);
    const lam = impl.gain(homeWork, pi);
    const { Q } = impl.relativeValues(homeWork, pi, "bias");
    expect(averageFormResidual(homeWork, pi, Q, lam)).toBeLessThanOrEqual(valueResidualTolerance(Q));
    // The printed equation at the same Q: its residual is far from zero.
    const printed = maxFormResidual(homeWork, Q, lam);
    expect(printed).toBeGreaterThan(0.1);
    // With λ_π in it the max-form equation has no solution at all unless λ_π = λ* (summing it against
    // the stationary distribution of a greedy policy forces λ = λ*): here λ* = 5/7 ≠ 11/34.
    const opt = optimalValues(homeWork);
    expect(opt.gain).toBeCloseTo(5 / 7, 10);
    expect(maxFormResidual(homeWork, opt.Q, opt.gain)).toBeLessThan(1e-9);
    // Q* (the max form's solution) in place of Q_π in (21): the result is not the gradient.
    const mu = impl.stateActionDistribution(homeWork, pi);
    const wrong = new Float64Array(4);
    for (let s = 0; s < 2; s++)
      for (let a = 0; a < 2; a++) {
        const sc = impl.policyScore(homeWork, TAB, theta, s, a);
        for (let i = 0; i < 4; i++) wrong[i] += mu[s * 2 + a] * opt.Q[s * 2 + a] * sc[i];
      }
    const fd = numericGradient(lambdaOf(homeWork, TAB), theta);
    claim(ctx, "exact", { facts: { printedResidual: printed, effect: maxAbsDiff(wrong, fd) } });
    expect(gradientMismatch(fd, wrong)).toBeGreaterThan(1e-3);
  });

  it("[erratum gain-notation] λ_θ of (20) (via μ_θ) and λ_π of the evaluation equation are one number when π = π_θ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: WELL_CONDITIONED }), (inst) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const viaMu = impl.gain(inst.mdp, pi);
        const rv = impl.relativeValues(inst.mdp, pi, "bias");
        // each is off the exact gain by what its residual allows
        expectClose(rv.gain, viaMu, { rel: ACCURACY.rel, abs: gainTolerance(inst.mdp, pi) + valueResidualTolerance(rv.Q) }, `λ_π vs λ_θ (${inst.label})`);
        // and a single coordinate's derivative agrees whichever name is differentiated
        const f = (x: Float64Array) => impl.relativeValues(inst.mdp, impl.policyProbs(inst.mdp, inst.policy, x), "reference").gain;
        expect(gradientMismatch([partial(f, inst.theta, 0)], [impl.policyGradient(inst.mdp, inst.policy, inst.theta)[0]])).toBe(0);
      }),
      { implements: ["gain", "relativeValues", "policyGradient"], numRuns: 50 },
    );
  });
});

/** A message that names exactly `path` (not a deeper path such as `path[0]`) at its start. */
const atPath = (path: string) => new RegExp(`^${path.replace(/[$.[\]]/g, (c) => `\\${c}`)}(?![[.\\w])`);

describe("2 Average return: edges of the input and of the exact solvers", () => {
  it("[sec 2] validateMdp rejects non-objects, a non-array or empty P, an action-less state, NaN and bad name lists at their JSON path; valid names are kept", (ctx) => {
    claim(ctx, "exact", { implements: ["validateMdp"] });
    const P = [
      [[1, 0], [0.5, 0.5]],
      [[0.5, 0.5], [1, 0]],
    ];
    const r = [[0, 1], [2, 3]];
    for (const x of [null, 42, "an MDP", true]) expect(() => impl.validateMdp(x)).toThrow(atPath("$"));
    for (const bad of [7, "abc", {}]) expect(() => impl.validateMdp({ P: bad, r })).toThrow(atPath("$.P"));
    expect(() => impl.validateMdp({ P: [], r: [] })).toThrow(atPath("$.P"));
    // one state with no action at all: not an MDP
    expect(() => impl.validateMdp({ P: [[]], r: [[]] })).toThrow(/^\$\.P/);
    expect(() => impl.validateMdp({ P, r: [[0, 1], [NaN, 3]] })).toThrow(atPath("$.r[1][0]"));
    expect(() => impl.validateMdp({ P, r: [[0, "1"], [2, 3]] })).toThrow(atPath("$.r[0][1]"));
    // names are part of the Mdp type (string[] of length S and A): a wrong count or a non-string is not
    // one. The contract does not ask a student's validateMdp to check names, so these hold of the book's.
    expect(() => referenceValidateMdp({ P, r, stateNames: ["a"] })).toThrow(atPath("$.stateNames"));
    expect(() => referenceValidateMdp({ P, r, stateNames: ["a", 2] })).toThrow(atPath("$.stateNames[1]"));
    expect(() => referenceValidateMdp({ P, r, actionNames: ["x", "y", "z"] })).toThrow(atPath("$.actionNames"));
    const named = referenceValidateMdp({ P, r, stateNames: ["a", "b"], actionNames: ["x", "y"] });
    expect(named.stateNames).toEqual(["a", "b"]);
    expect(named.actionNames).toEqual(["x", "y"]);
    expect(named.r).toEqual(r);
  });

  it("[sec 2] the unichain test's closed classes: one for homeWork and withTransient (state 2 is transient), one per absorbing state otherwise", (ctx) => {
    claim(ctx, "exact");
    expect(closedClasses(homeWork)).toEqual([[0, 1]]);
    expect(closedClasses(withTransient)).toEqual([[0, 1]]);
    expect(closedClasses(periodic)).toEqual([[0, 1]]);
    const twoAbsorbing: Mdp = { P: [[[1, 0, 0]], [[0, 1, 0]], [[0.5, 0.5, 0]]], r: [[0], [0], [0]] };
    expect(closedClasses(twoAbsorbing)).toEqual([[0], [1]]);
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
        for (let s = 0; s < inst.S; s++) if (inst.transient[s]) expect(Math.abs(d[s]), `d(${s}) on ${inst.label}`).toBeLessThanOrEqual(bound);
        expect(Math.abs(d.reduce((x, y) => x + y, 0) - 1)).toBeLessThanOrEqual(RESIDUAL);
      }),
      { implements: ["stationaryDistribution", "stateActionDistribution", "policyProbs"], numRuns: 100 },
    );
  });

  it("[sec 2.1] policyProbs stays exact for preferences of size 800, where exp overflows unless the largest preference is subtracted first", (ctx) => {
    claim(ctx, "exact", { implements: ["policyProbs"] });
    const pi = impl.policyProbs(homeWork, TAB, Float64Array.from([800, 0, -800, -800]));
    // state 0: 1/(1 + e^−800) = 1 and e^−800 = 0 in doubles; state 1: a tie, ½ each
    expectClose(Array.from(pi), [1, 0, 0.5, 0.5], ACCURACY, "π at θ = (800, 0, −800, −800)");
    const big = impl.policyProbs(homeWork, TAB, Float64Array.from([1000, 999, 0, 0]));
    expectClose(Array.from(big), [1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1)), 0.5, 0.5], ACCURACY, "π at θ = (1000, 999, 0, 0)");
  });

  it("[eq 20] the direct solve behind d, λ and Q: partial pivoting in every column, and a singular or negligible pivot (≤ 1e-13 of the largest entry, or of 1) is refused", (ctx) => {
    claim(ctx, "exact");
    const residual = (A: number[][], x: ArrayLike<number>, b: number[]) => Math.max(...A.map((row, i) => Math.abs(row.reduce((s, a, j) => s + a * x[j], 0) - b[i])));
    const run = (A: number[][], b: number[]) => solve(Float64Array.from(A.flat()), Float64Array.from(b), b.length);
    // zero or tiny diagonal entries: without pivoting (in column 0, then in column 1) these fail
    const cases: [number[][], number[], number[]][] = [
      [[[1e-20, 1], [1, 1]], [1, 2], [1, 1]],
      [[[1, 0, 0], [0, 1e-20, 1], [0, 1, 1]], [1, 1, 2], [1, 1, 1]],
      [[[1, 0, 0], [0, 0, 1], [0, 1, 0]], [1, 2, 3], [1, 3, 2]],
      [[[0, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 4], [5, 0, 0, 0]], [2, 3, 4, 5], [1, 1, 1, 1]],
    ];
    for (const [A, b, x] of cases) {
      const got = run(A, b);
      for (let i = 0; i < x.length; i++) expect(got[i]).toBeCloseTo(x[i], 12);
      expect(residual(A, got, b)).toBeLessThan(1e-12);
    }
    expect(() => run([[1, 2], [2, 4]], [1, 1])).toThrow(RangeError);
    expect(() => run([[1, 0], [0, 0]], [1, 1])).toThrow(RangeError);
    expect(() => run([[1, 0, 0], [0, 1, 0], [0, 1, 0]], [1, 1, 1])).toThrow(RangeError);
    // relative to the scale: 1e-8 beside 1e6 is a negligible pivot, though far above 1e-13 in absolute terms
    expect(() => run([[1e-8, 0], [0, 1e6]], [1, 1])).toThrow(RangeError);
    expect(() => run([[1e6, 0], [0, 1e-8]], [1, 1])).toThrow(RangeError);
    // at scale ≤ 1 the threshold is 1e-13 itself: a pivot of exactly 1e-13 is refused, 2e-13 is not
    expect(() => run([[1e-13]], [1])).toThrow(RangeError);
    expect(run([[2e-13]], [1])[0]).toBeCloseTo(5e12, 0);
  });

  it("[sec 2.1] optimalValues: λ* is the best gain over all deterministic policies (enumerated), its greedy policy attains it, and max_a Q*(0, a) = 0", (ctx) => {
    checkProperty(
      ctx,
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (S, A, seed) => {
        const mdp = randomUnichainMdp(stream(`ch2-optimal/${seed}`), S, A);
        const deterministic = (choice: ArrayLike<number>) => {
          const pi = new Array(S * A).fill(0);
          for (let s = 0; s < S; s++) pi[s * A + choice[s]] = 1;
          const d = powerStationary(mdp, pi);
          return d.reduce((acc, ds, s) => acc + ds * mdp.r[s][choice[s]], 0);
        };
        let best = -Infinity;
        for (let code = 0; code < A ** S; code++) best = Math.max(best, deterministic(Array.from({ length: S }, (_, s) => Math.floor(code / A ** s) % A)));
        const opt = optimalValues(mdp);
        expect(opt.gain).toBeCloseTo(best, 9);
        expect(deterministic(opt.greedy)).toBeCloseTo(best, 9);
        expect(Math.max(...Array.from({ length: A }, (_, a) => opt.Q[a]))).toBeCloseTo(0, 9);
        expect(maxFormResidual(mdp, opt.Q, opt.gain)).toBeLessThan(1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it("[sec 2.1] optimalValues' iteration: a one-state MDP takes one sweep; maxIter caps the sweeps; it stops at the first sweep whose span is within tol·max(1, |λ|)", (ctx) => {
    claim(ctx, "exact");
    const one = optimalValues({ P: [[[1], [1]]], r: [[0.25, 0.75]] });
    expect(one.gain).toBe(0.75);
    expect(one.iterations).toBe(1);
    expect(Array.from(one.greedy)).toEqual([1]);
    // Two states, every move to state 0 w.p. 0.9: λ* = 0.9·max_a r(0, a) + 0.1·max_a r(1, a). From h = 0 one
    // sweep gives h'(s) = max_a r(s, a), so its span is max_s − min_s of that and its gain estimate their midpoint.
    const two = (r0: number, r1: number): Mdp => ({ P: [[[0.9, 0.1], [0.9, 0.1]], [[0.9, 0.1], [0.9, 0.1]]], r: [[r0, 0], [r1, 0]] });
    expect(optimalValues(two(100, 105)).gain).toBeCloseTo(100.5, 10);
    const capped = optimalValues(two(100, 105), 1e-12, 1);
    expect(capped.gain).toBe(102.5);
    expect(capped.iterations).toBe(1); // one sweep allowed, one made (not maxIter + 1)
    expect(optimalValues(two(100, 105), 1e-12, 3).iterations).toBe(3);
    // span 5 ≤ 0.1·102.5: stop after the first sweep
    const loose = optimalValues(two(100, 105), 0.1);
    expect(loose.iterations).toBe(1);
    expect(loose.gain).toBe(102.5);
    // span 1 with |λ| = 0.5 < 1: the threshold is tol itself, and a span equal to it stops the iteration
    const edge = optimalValues(two(0, 1), 1);
    expect(edge.iterations).toBe(1);
    expect(edge.gain).toBe(0.5);
  });
});

/** The period of the graph of every move any action allows, restricted to the states reachable from `from` (gcd of level[u] + 1 − level[v]). */
function period(mdp: Mdp, from: number): number {
  const S = mdp.P.length;
  const level = new Array<number>(S).fill(-1);
  level[from] = 0;
  const queue = [from];
  const edges: [number, number][] = [];
  while (queue.length) {
    const u = queue.shift()!;
    for (const row of mdp.P[u])
      row.forEach((p, v) => {
        if (p <= 0) return;
        edges.push([u, v]);
        if (level[v] < 0) {
          level[v] = level[u] + 1;
          queue.push(v);
        }
      });
  }
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  return edges.reduce((g, [u, v]) => gcd(g, level[u] + 1 - level[v]), 0);
}

describe("2 Average return: the random instances behind the properties", () => {
  it("[sec 2] the book's random MDPs: valid and unichain; mixing ones aperiodic, periodic ones of period ≥ 2, transient ones with states outside the closed class, slow ones with moves of probability ≤ ε closing a bottleneck or a cycle; each kind about a quarter of the draws", (ctx) => {
    const counts: Record<ChainKind, number> = { mixing: 0, periodic: 0, transient: 0, slow: 0 };
    checkProperty(
      ctx,
      fc.property(unichainMdp(), (m) => {
        counts[m.kind]++;
        const { mdp, S } = m;
        expect(referenceValidateMdp(JSON.parse(JSON.stringify(mdp))).P).toEqual(mdp.P);
        for (const rs of mdp.r) for (const x of rs) expect(Math.abs(x)).toBeLessThanOrEqual(3);
        const classes = closedClasses(mdp);
        expect(classes).toHaveLength(1);
        expect(classes[0]).toEqual(m.transient.flatMap((t, s) => (t ? [] : [s])));
        const p = period(mdp, classes[0][0]);
        if (m.kind === "periodic") expect(p, m.label).toBeGreaterThanOrEqual(2);
        else expect(p, m.label).toBe(1);
        expect(m.transient.some((t) => t)).toBe(m.kind === "transient");
        if (m.kind === "slow") {
          expect(m.epsilon).toBeGreaterThanOrEqual(1e-4);
          expect(m.epsilon).toBeLessThanOrEqual(1e-2);
          // a bottleneck: some nonempty proper set of states that every move leaves with probability ≤ ε;
          // or a cycle: every row's largest entry is ≥ 1 − ε
          const nearlyPeriodic = mdp.P.every((Ps) => Ps.every((row) => Math.max(...row) >= 1 - m.epsilon));
          let bottleneck = false;
          for (let mask = 1; mask < 2 ** S - 1; mask++) {
            const inSet = (s: number) => ((mask >> s) & 1) === 1;
            if (mdp.P.every((Ps, s) => Ps.every((row) => row.reduce((acc, x, t) => acc + (inSet(s) !== inSet(t) ? x : 0), 0) <= m.epsilon + 1e-15))) bottleneck = true;
          }
          expect(nearlyPeriodic || bottleneck, m.label).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    claim(ctx, "property", { facts: counts });
    // each kind drawn with probability ¼: fewer than 50 of 400 is 7 standard deviations below the mean
    for (const k of CHAIN_KINDS) expect(counts[k], k).toBeGreaterThanOrEqual(50);
    expect(APERIODIC_KINDS).not.toContain("periodic");
  });

  it("[sec 2] randomUnichainMdp: rows are distributions with at least `floor` on state 0, so every policy is unichain and aperiodic; sparsity 1 leaves only state 0, sparsity 0 no zero", (ctx) => {
    checkProperty(
      ctx,
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0.05, 0.3), (S, A, seed, floor) => {
        const mdp = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor);
        expect(mdp.P.length).toBe(S);
        expect(mdp.r.length).toBe(S);
        for (let s = 0; s < S; s++) {
          expect(mdp.P[s].length).toBe(A);
          expect(mdp.r[s].length).toBe(A);
          for (let a = 0; a < A; a++) {
            const row = mdp.P[s][a];
            expect(row.length).toBe(S);
            expect(Math.abs(row.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-12);
            expect(row[0]).toBeGreaterThanOrEqual(floor - 1e-15);
            for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
            expect(mdp.r[s][a]).toBeGreaterThanOrEqual(0);
            expect(mdp.r[s][a]).toBeLessThan(1);
          }
        }
        expect(closedClasses(mdp)).toHaveLength(1);
        const only0 = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor, 1);
        for (const Ps of only0.P) for (const row of Ps) expect(row).toEqual(Array.from({ length: S }, (_, t) => (t === 0 ? 1 : 0)));
        const dense = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor, 0);
        for (const Ps of dense.P) for (const row of Ps) for (const p of row) expect(p).toBeGreaterThan(0);
        const F = randomFeatures(stream(`ch2-features/${seed}`), S, A, 3);
        expect(F.length).toBe(S);
        for (const Fs of F) {
          expect(Fs.length).toBe(A);
          for (const f of Fs) {
            expect(f.length).toBe(3);
            for (const x of f) expect(Math.abs(x)).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
