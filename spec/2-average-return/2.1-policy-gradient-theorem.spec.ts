/**
 * Chapter 2, §2.1 "The gain and its gradient" (notes §2.1), second half: the policy gradient theorem (21)
 * against finite differences of λθ, its negative controls, the errata on μ, on the max in Q and on the gain's
 * name, and the optimal gain λ* that the max-in-Q erratum is measured against.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { expectClose } from "../../measure/close.ts";
import { real, vector } from "../../measure/arbitraries/index.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { errorRatio, gradientMismatch, numericGradient, partial } from "../../measure/stats/finite-diff.ts";
import { homeWork, randomUnichainMdp } from "../../measure/average-return/examples.ts";
import { optimalValues } from "../../measure/average-return/optimal.ts";
import { stream } from "../../src/contract/random.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import type { PolicySpec } from "../../src/average-return/policy.ts";
import {
  arbInstance,
  averageFormResidual,
  gainTolerance,
  maxAbs,
  maxAbsDiff,
  maxFormResidual,
  powerStationary,
  TAB,
  valueResidualTolerance,
  valueSpreadBound,
  WELL_CONDITIONED,
} from "./tools.ts";

const lambdaOf = (mdp: Mdp, policy: PolicySpec) => (x: Float64Array) =>
  impl.gain(mdp, impl.policyProbs(mdp, policy, x));

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
    const policy: PolicySpec = {
      kind: "log-linear",
      features: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.5, -1],
          [-1, 0.3],
        ],
      ],
    };
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
        const tol = {
          rel: ACCURACY.rel,
          abs: ACCURACY.abs * Math.max(1, inst.S * inst.A * scale) + spread * inst.S * inst.A * 2,
        };
        expectClose(
          impl.policyGradient(inst.mdp, inst.policy, inst.theta),
          g,
          tol,
          `Σ μ (Q + b) ∇ln π vs ∇λ (${inst.label})`,
        );
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
    claim(ctx, "property", {
      control: true,
      facts: {
        caught,
        runs,
        "ch2.equalWeights.caught": caught,
        "ch2.equalWeights.instances": runs,
        "ch2.equalWeights.needed": NEEDED,
      },
    });
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
        expectClose(
          rv.gain,
          viaMu,
          { rel: ACCURACY.rel, abs: gainTolerance(inst.mdp, pi) + valueResidualTolerance(rv.Q) },
          `λ_π vs λ_θ (${inst.label})`,
        );
        // and a single coordinate's derivative agrees whichever name is differentiated
        const f = (x: Float64Array) =>
          impl.relativeValues(inst.mdp, impl.policyProbs(inst.mdp, inst.policy, x), "reference").gain;
        expect(
          gradientMismatch([partial(f, inst.theta, 0)], [impl.policyGradient(inst.mdp, inst.policy, inst.theta)[0]]),
        ).toBe(0);
      }),
      { implements: ["gain", "relativeValues", "policyGradient"], numRuns: 50 },
    );
  });
});

describe("2.1 The optimal gain λ* (the measuring tool behind the max-in-q erratum)", () => {
  it("[sec 2.1] optimalValues: λ* is the best gain over all deterministic policies (enumerated), its greedy policy attains it, and max_a Q*(0, a) = 0", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (S, A, seed) => {
          const mdp = randomUnichainMdp(stream(`ch2-optimal/${seed}`), S, A);
          const deterministic = (choice: ArrayLike<number>) => {
            const pi = new Array(S * A).fill(0);
            for (let s = 0; s < S; s++) pi[s * A + choice[s]] = 1;
            const d = powerStationary(mdp, pi);
            return d.reduce((acc, ds, s) => acc + ds * mdp.r[s][choice[s]], 0);
          };
          let best = -Infinity;
          for (let code = 0; code < A ** S; code++)
            best = Math.max(best, deterministic(Array.from({ length: S }, (_, s) => Math.floor(code / A ** s) % A)));
          const opt = optimalValues(mdp);
          expect(opt.gain).toBeCloseTo(best, 9);
          expect(deterministic(opt.greedy)).toBeCloseTo(best, 9);
          expect(Math.max(...Array.from({ length: A }, (_, a) => opt.Q[a]))).toBeCloseTo(0, 9);
          expect(maxFormResidual(mdp, opt.Q, opt.gain)).toBeLessThan(1e-9);
        },
      ),
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
    const two = (r0: number, r1: number): Mdp => ({
      P: [
        [
          [0.9, 0.1],
          [0.9, 0.1],
        ],
        [
          [0.9, 0.1],
          [0.9, 0.1],
        ],
      ],
      r: [
        [r0, 0],
        [r1, 0],
      ],
    });
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
