/**
 * Chapter 2, §2.4 "An actor-critic" (notes §2.4), its parts: temporal differences (25)–(27) and their fixed
 * points, checked by enumerating every transition, and the actor's update (24), exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callMany, impl } from "../support/impl.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { real, stepSize, vector } from "../../measure/arbitraries/index.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { checkProperty } from "../support/property.ts";
import { runClaim } from "../support/run-claim.ts";
import { criticStepIsTd } from "./2.4-td-error.claims.ts";
import { gradientMismatch, numericGradient } from "../../measure/stats/finite-diff.ts";
import { stream } from "../../src/contract/random.ts";
import { homeWork, randomFeatures } from "../../measure/average-return/examples.ts";
import type { CriticSpec } from "../../src/average-return/td.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import {
  accuracyAt,
  arbInstance,
  gainTolerance,
  maxAbs,
  spreadOfDifference,
  TABULAR_CRITIC,
  valueResidualTolerance,
  WELL_CONDITIONED,
} from "./tools.ts";

/**
 * The expected critic increment (E[ψ' − ψ], E[λ' − λ]) / β and E[d | s, a], enumerating
 * (s, a) ~ μ, s' ~ P[s][a], a' ~ π(·|s') and calling the implementation's criticStep on each.
 */
function expectedCritic(
  mdp: Mdp,
  pi: ArrayLike<number>,
  critic: CriticSpec,
  psi: Float64Array,
  lambda: number,
  sign = 1,
) {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const mu = impl.stateActionDistribution(mdp, pi);
  const dPsi = new Float64Array(psi.length);
  let dLambda = 0;
  const condD = new Float64Array(S * A);
  // every transition (s, a) → (t, b) of positive probability; the critic's steps on them in one batch
  const steps: { s: number; a: number; t: number; b: number; p: number }[] = [];
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++)
      for (let t = 0; t < S; t++)
        for (let b = 0; b < A; b++) {
          const p = mdp.P[s][a][t] * pi[t * A + b];
          if (p !== 0) steps.push({ s, a, t, b, p });
        }
  const outs = callMany(
    "criticStep",
    steps.map(({ s, a, t, b }) => [mdp, critic, psi, lambda, { s, a, r: mdp.r[s][a], s2: t, a2: b }, sign]),
  );
  steps.forEach(({ s, a, p }, k) => {
    const out = outs[k];
    condD[s * A + a] += p * out.d;
    const w = mu[s * A + a] * p;
    for (let i = 0; i < psi.length; i++) dPsi[i] += w * (out.psi[i] - psi[i]);
    dLambda += w * (out.lambda - lambda);
  });
  return { dPsi, dLambda, condD };
}

describe("2.4 Temporal differences", () => {
  it(criticStepIsTd.title, (ctx) => runClaim(ctx, criticStepIsTd));

  it("[eq 25] [eq 26] [eq 27] tabular fixed point: at (Q_π + c, λ_π) the expected temporal difference is zero for every pair", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), real(-5, 5), (inst, c) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const { Q, gain } = impl.relativeValues(inst.mdp, pi, "reference");
        const psi = Q.map((q) => q + c);
        const { condD, dPsi, dLambda } = expectedCritic(inst.mdp, pi, TABULAR_CRITIC, psi, gain);
        // E[d | s, a] at (Q, λ) is minus the evaluation equation's residual, which the contract bounds
        const tol = valueResidualTolerance(Q) + ACCURACY.abs * Math.max(1, maxAbs(Q) + 5);
        expectClose(
          condD,
          new Float64Array(condD.length),
          { rel: 0, abs: tol },
          `E[d | s, a] at the fixed point (${inst.label})`,
        );
        expectClose(
          [...dPsi, dLambda],
          new Float64Array(dPsi.length + 1),
          { rel: 0, abs: tol },
          `expected critic increment (${inst.label})`,
        );
        // control: a gain off by δ shifts every expected temporal difference by exactly −δ
        const off = expectedCritic(inst.mdp, pi, TABULAR_CRITIC, psi, gain + 0.1).condD;
        expectClose(
          off,
          Array.from(condD, (x) => x - 0.1),
          accuracyAt(maxAbs(Q) + 5),
          `E[d | s, a] with λ + 0.1 (${inst.label})`,
        );
      }),
      { implements: ["criticStep", "tdError", "relativeValues"], numRuns: 50 },
    );
  });

  it("[eq 25] [eq 26] [eq 27] linear fixed point: E_μ[d ∇ψQ̃] = 0 and E_μ[d] = 0, which forces λ = λ_π", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.integer({ min: 1, max: 4 }), fc.nat(), (inst, n, k) => {
        const features = randomFeatures(stream(`features/${k}`), inst.S, inst.A, n);
        const critic: CriticSpec = { kind: "linear", features };
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        // The fixed point is unique when no nonzero Φψ is constant on the recurrent pairs; generic
        // features have that property when there are fewer of them than recurrent pairs.
        const recurrentPairs = impl.stateActionDistribution(inst.mdp, pi).filter((m) => m > 1e-12).length;
        fc.pre(n < recurrentPairs);
        const fp = impl.linearTdFixedPoint(inst.mdp, pi, features);
        // both are the gain (20), each off the exact one by what the residual of its d allows
        expectClose(
          fp.lambda,
          impl.gain(inst.mdp, pi),
          { rel: ACCURACY.rel, abs: 2 * gainTolerance(inst.mdp, pi) },
          `fixed-point λ vs the gain (${inst.label})`,
        );
        const { dPsi, dLambda } = expectedCritic(inst.mdp, pi, critic, fp.psi, fp.lambda);
        const scale = 1 + Math.max(...fp.psi.map(Math.abs));
        expect(Math.max(...dPsi.map(Math.abs))).toBeLessThan(1e-9 * scale);
        expect(Math.abs(dLambda)).toBeLessThan(1e-9 * scale);
      }),
      { implements: ["linearTdFixedPoint", "criticStep", "gain"], numRuns: 50 },
    );
  });

  it("[eq 26] [eq 27] negative control: with the sign of the step flipped the expected dynamics leave the fixed point", (ctx) => {
    claim(ctx, "exact", { control: true, implements: ["criticStep", "relativeValues"] });
    // Mean-field iteration x ← x + β·E[Δx] from ψ = 0, λ = 0 on home/work at θ = 0 with β = 0.5:
    // the distance to (Q_π + const, λ_π) shrinks with the printed sign and grows with the flipped one.
    const pi = impl.policyProbs(homeWork, { kind: "tabular" }, new Float64Array(4));
    const { Q, gain } = impl.relativeValues(homeWork, pi, "bias");
    const distance = (psi: Float64Array, lambda: number) => spreadOfDifference(psi, Q) + Math.abs(lambda - gain);
    const ITERATIONS = 200;
    const STEP = 0.5;
    const run = (sign: number) => {
      let psi = new Float64Array(4);
      let lambda = 0;
      for (let it = 0; it < ITERATIONS; it++) {
        const { dPsi, dLambda } = expectedCritic(homeWork, pi, TABULAR_CRITIC, psi, lambda, sign);
        psi = psi.map((x, i) => x + STEP * dPsi[i]);
        lambda += STEP * dLambda;
      }
      return distance(psi, lambda);
    };
    const start = distance(new Float64Array(4), 0);
    const right = run(1);
    const wrong = run(-1);
    claim(ctx, "exact", {
      facts: { start, right, wrong, "ch2.meanField.iterations": ITERATIONS, "ch2.meanField.step": STEP },
    });
    expect(right).toBeLessThan(1e-6 * start);
    expect(wrong).toBeGreaterThan(100 * start);
  });
});

describe("2.4 The actor's update (24)", () => {
  it("[eq 24] with a critic equal to Q_π plus any b(s), the expected actor step under μ is exactly ∇λθ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: WELL_CONDITIONED }), vector(real(-5, 5), 6), stepSize(), (inst, b, alpha) => {
        const { S, A, mdp, policy, theta } = inst;
        const pi = impl.policyProbs(mdp, policy, theta);
        const mu = impl.stateActionDistribution(mdp, pi);
        const { Q } = impl.relativeValues(mdp, pi, "reference");
        const psi = Q.map((q, i) => q + b[Math.floor(i / A)]);
        const mean = new Float64Array(theta.length);
        for (let s = 0; s < S; s++)
          for (let a = 0; a < A; a++) {
            const next = impl.actorStep(mdp, policy, theta, TABULAR_CRITIC, psi, s, a, alpha);
            for (let i = 0; i < mean.length; i++) mean[i] += (mu[s * A + a] * (next[i] - theta[i])) / alpha;
          }
        const fd = numericGradient((x) => impl.gain(mdp, impl.policyProbs(mdp, policy, x)), theta);
        expect(gradientMismatch(fd, mean)).toBe(0);
      }),
      { implements: ["actorStep", "relativeValues", "stateActionDistribution"], numRuns: 50 },
    );
  });

  it("[eq 24] one actor step is (23) with the critic's Q̃(s, a) and baseline Σ_b π(b|s) Q̃(s, b) (linear critic)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.integer({ min: 1, max: 4 }), fc.nat(), stepSize(), (inst, n, k, alpha) => {
        const { S, A, mdp, policy, theta } = inst;
        const rng = stream(`actor/${k}`);
        const features = randomFeatures(rng, S, A, n);
        const psi = Float64Array.from({ length: n }, () => 2 * rng() - 1);
        const s = k % S;
        const a = (k >> 4) % A;
        const pi = impl.policyProbs(mdp, policy, theta);
        const q = (b: number) => features[s][b].reduce((acc, f, i) => acc + f * psi[i], 0);
        let v = 0;
        for (let b = 0; b < A; b++) v += pi[s * A + b] * q(b);
        const expected = impl.baselinedGainStep(mdp, policy, theta, s, a, q(a), v, alpha);
        expectClose(
          impl.actorStep(mdp, policy, theta, { kind: "linear", features }, psi, s, a, alpha),
          expected,
          accuracyAt(maxAbs(theta) + 4 * n),
          `(24) vs (23) (${inst.label})`,
        );
      }),
      { implements: ["actorStep", "baselinedGainStep"], numRuns: 60 },
    );
  });
});

describe("2.4 The actor's step with large preferences", () => {
  it("[eq 24] actorStep stays exact when a preference is 800 (π(·|s) computed with the largest preference subtracted before exp)", (ctx) => {
    claim(ctx, "exact", { implements: ["actorStep"] });
    const TAB = { kind: "tabular" } as const;
    const psi = [0.5, 2, -1, 3];
    // state 0: π(·|0) = (1, 0) in doubles (e^−800 = 0); action 1: c = α(Q̃(0,1) − Σ_b π(b|0) Q̃(0,b)) = 0.1·(2 − 0.5) = 0.15,
    // and (24) with the score 1_a − π(·|0) gives θ' = (800 − 0.15, 0.15, θ(1, ·))
    const step = impl.actorStep(homeWork, TAB, [800, 0, 1, 2], TAB, psi, 0, 1, 0.1);
    expect(step[0]).toBeCloseTo(800 - 0.15, 10);
    expect(step[1]).toBeCloseTo(0.15, 12);
    expect(Array.from(step.slice(2))).toEqual([1, 2]);
    // the largest preference last: state 1 with θ(1, ·) = (0, 800), action 0: c = 0.1·(−1 − 3) = −0.4
    const step2 = impl.actorStep(homeWork, TAB, [0, 0, 0, 800], TAB, psi, 1, 0, 0.1);
    expect(step2[2]).toBeCloseTo(-0.4, 12);
    expect(step2[3]).toBeCloseTo(800 + 0.4, 10);
  });
});
