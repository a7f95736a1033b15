/** Section 2.2: reinforce for the gain, updates (22) and (23), and their expectations under μθ. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { gradientMismatch, numericGradient } from "../../src/stats/finite-diff.ts";
import { homeWork } from "../../src/mdp/examples.ts";
import type { Mdp } from "../../src/mdp/types.ts";
import type { Normalization } from "../../src/mdp/exact.ts";
import type { PolicySpec } from "../../src/mdp/policy.ts";
import { arbInstance, maxAbsDiff, type Instance } from "./tools.ts";

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/**
 * Enumerate (S_t, A_t) ~ μθ and return E[(θ' − θ)/α] and E‖θ' − θ‖²/α² of one update, built from
 * the implementation's own step functions with the policy's relative values in the given normalization.
 */
function moments(mdp: Mdp, policy: PolicySpec, theta: Float64Array, which: 22 | 23, norm: Normalization) {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const pi = impl.policyProbs(mdp, policy, theta);
  const mu = impl.stateActionDistribution(mdp, pi);
  const { Q, V } = impl.relativeValues(mdp, pi, norm);
  const mean = new Float64Array(theta.length);
  let second = 0;
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const next =
        which === 22
          ? impl.gainReinforceStep(mdp, policy, theta, s, a, Q[s * A + a], 1)
          : impl.baselinedGainStep(mdp, policy, theta, s, a, Q[s * A + a], V[s], 1);
      let sq = 0;
      for (let i = 0; i < mean.length; i++) {
        const step = next[i] - theta[i];
        mean[i] += mu[s * A + a] * step;
        sq += step * step;
      }
      second += mu[s * A + a] * sq;
    }
  return { mean, second };
}

const fdGradient = (inst: Instance) => numericGradient((x) => impl.gain(inst.mdp, impl.policyProbs(inst.mdp, inst.policy, x)), inst.theta);

describe("2.2 Reinforce for maximizing gain", () => {
  it("[eq 22] [eq 23] one step moves θ by α·(q − v)·∇ln πθ(a|s) (v = 0 for (22))", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.nat(), fc.nat(), dbl(-5, 5), dbl(-5, 5), dbl(0.001, 1), (inst, si, ai, q, v, alpha) => {
        const s = si % inst.S;
        const a = ai % inst.A;
        const score = impl.policyScore(inst.mdp, inst.policy, inst.theta, s, a);
        const s22 = impl.gainReinforceStep(inst.mdp, inst.policy, inst.theta, s, a, q, alpha);
        const s23 = impl.baselinedGainStep(inst.mdp, inst.policy, inst.theta, s, a, q, v, alpha);
        for (let i = 0; i < score.length; i++) {
          expect(s22[i]).toBeCloseTo(inst.theta[i] + alpha * q * score[i], 12);
          expect(s23[i]).toBeCloseTo(inst.theta[i] + alpha * (q - v) * score[i], 12);
        }
      }),
      { implements: ["gainReinforceStep", "baselinedGainStep", "policyScore"], numRuns: 100 },
    );
  });

  it("[eq 22] [eq 23] with (S_t, A_t) ~ μθ both updates are exactly ∇λθ in expectation, whatever the normalization of Q", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const fd = fdGradient(inst);
        for (const which of [22, 23] as const)
          for (const norm of ["reference", "bias"] as const) expect(gradientMismatch(fd, moments(inst.mdp, inst.policy, inst.theta, which, norm).mean)).toBe(0);
        expect(gradientMismatch(fd, impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "q"))).toBe(0);
        expect(gradientMismatch(fd, impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "advantage"))).toBe(0);
      }),
      { implements: ["gainReinforceStep", "baselinedGainStep", "expectedGainUpdate", "relativeValues", "stateActionDistribution"], numRuns: 60 },
    );
  });

  it("[eq 23] the baseline removes the arbitrary constant: E‖step‖² of (22) depends on how Q is normalized, that of (23) does not", (ctx) => {
    claim(ctx, "exact", { implements: ["gainReinforceStep", "baselinedGainStep", "relativeValues"] });
    const theta = new Float64Array(4);
    const tab: PolicySpec = { kind: "tabular" };
    const m22ref = moments(homeWork, tab, theta, 22, "reference").second;
    const m22bias = moments(homeWork, tab, theta, 22, "bias").second;
    const m23ref = moments(homeWork, tab, theta, 23, "reference").second;
    const m23bias = moments(homeWork, tab, theta, 23, "bias").second;
    claim(ctx, "exact", { facts: { m22ref, m22bias, m23ref, m23bias } });
    expect(Math.abs(m22ref - m22bias)).toBeGreaterThan(1e-3);
    expect(Math.abs(m23ref - m23bias)).toBeLessThan(1e-14);
    expect(m23bias).toBeLessThan(Math.min(m22ref, m22bias));
  });

  it("[eq 23] over random instances, (23)'s second moment is the same under both normalizations", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const a = moments(inst.mdp, inst.policy, inst.theta, 23, "reference").second;
        const b = moments(inst.mdp, inst.policy, inst.theta, 23, "bias").second;
        expect(Math.abs(a - b)).toBeLessThan(1e-9 * (1 + a));
        // and the mean agrees with the implementation's own expected update
        expect(maxAbsDiff(moments(inst.mdp, inst.policy, inst.theta, 23, "bias").mean, impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "advantage"))).toBeLessThan(1e-12);
      }),
      { implements: ["baselinedGainStep", "expectedGainUpdate"], numRuns: 50 },
    );
  });
});
