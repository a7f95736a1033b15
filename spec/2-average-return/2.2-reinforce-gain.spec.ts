/** Section 2.2: reinforce for the gain, updates (22) and (23), and their expectations under μθ. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import { gradientMismatch, numericGradient } from "../../measure/stats/finite-diff.ts";
import { homeWork } from "../../measure/average-return/examples.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import type { Normalization } from "../../src/average-return/exact.ts";
import type { PolicySpec } from "../../src/average-return/policy.ts";
import { expectClose } from "../../measure/close.ts";
import { real, stepSize } from "../../measure/arbitraries/index.ts";
import { CHAIN_KINDS } from "../../measure/arbitraries/mdp.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { accuracyAt, arbInstance, maxAbs, valueResidualTolerance, valueSpreadBound, type Instance } from "./tools.ts";

/** Finite differences of λθ need λ computed well (see 2.1): every chain kind but the slowly mixing one. */
const WELL_CONDITIONED = CHAIN_KINDS.filter((k) => k !== "slow");
/** |∇θ ln π(a|s)|∞ ≤ 2 for the book's policies (tabular: |1ₐ − π| ≤ 1; log-linear: features in [−1, 1]). */
const SCORE_MAX = 2;

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

const fdGradient = (inst: Instance) =>
  numericGradient((x) => impl.gain(inst.mdp, impl.policyProbs(inst.mdp, inst.policy, x)), inst.theta);

describe("2.2 Reinforce for maximizing gain", () => {
  it("[eq 22] [eq 23] one step moves θ by α·(q − v)·∇ln πθ(a|s) (v = 0 for (22))", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        arbInstance(),
        fc.nat(),
        fc.nat(),
        real(-5, 5),
        real(-5, 5),
        stepSize(),
        (inst, si, ai, q, v, alpha) => {
          const s = si % inst.S;
          const a = ai % inst.A;
          const score = impl.policyScore(inst.mdp, inst.policy, inst.theta, s, a);
          const s22 = impl.gainReinforceStep(inst.mdp, inst.policy, inst.theta, s, a, q, alpha);
          const s23 = impl.baselinedGainStep(inst.mdp, inst.policy, inst.theta, s, a, q, v, alpha);
          // θ' is a sum of θ (up to 4) and a step up to 10·2: the absolute part scaled by them
          const tol = accuracyAt(maxAbs(inst.theta) + 20);
          expectClose(
            s22,
            Array.from(score, (x, i) => inst.theta[i] + alpha * q * x),
            tol,
            `(22) at ${inst.label}`,
          );
          expectClose(
            s23,
            Array.from(score, (x, i) => inst.theta[i] + alpha * (q - v) * x),
            tol,
            `(23) at ${inst.label}`,
          );
        },
      ),
      { implements: ["gainReinforceStep", "baselinedGainStep", "policyScore"], numRuns: 100 },
    );
  });

  it("[eq 22] [eq 23] with (S_t, A_t) ~ μθ both updates are exactly ∇λθ in expectation, whatever the normalization of Q", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance({ kinds: WELL_CONDITIONED }), (inst) => {
        const fd = fdGradient(inst);
        for (const which of [22, 23] as const)
          for (const norm of ["reference", "bias"] as const)
            expect(gradientMismatch(fd, moments(inst.mdp, inst.policy, inst.theta, which, norm).mean)).toBe(0);
        expect(gradientMismatch(fd, impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "q"))).toBe(0);
        expect(gradientMismatch(fd, impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "advantage"))).toBe(0);
      }),
      {
        implements: [
          "gainReinforceStep",
          "baselinedGainStep",
          "expectedGainUpdate",
          "relativeValues",
          "stateActionDistribution",
        ],
        numRuns: 60,
      },
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
    expectClose(m23ref, m23bias, ACCURACY, "E‖(23)‖² under the two normalizations");
    expect(m23bias).toBeLessThan(Math.min(m22ref, m22bias));
  });

  it("[eq 23] over random instances, (23)'s second moment is the same under both normalizations", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), (inst) => {
        const a = moments(inst.mdp, inst.policy, inst.theta, 23, "reference").second;
        const bias = moments(inst.mdp, inst.policy, inst.theta, 23, "bias");
        // Q in the two normalizations differs by a constant up to `spread` (what the residuals allow), which
        // moves each q − v by at most `spread` and E‖step‖² by at most 2√a·spread·|score| + (spread·|score|)²
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const Q = impl.relativeValues(inst.mdp, pi, "bias").Q;
        const spread = valueSpreadBound(inst.mdp, pi, valueResidualTolerance(Q), valueResidualTolerance(Q));
        const n = inst.theta.length;
        const sc = SCORE_MAX * Math.sqrt(n);
        expectClose(
          bias.second,
          a,
          {
            rel: ACCURACY.rel,
            abs: ACCURACY.abs * Math.max(1, a) + 2 * Math.sqrt(a) * spread * sc + (spread * sc) ** 2,
          },
          `E‖(23)‖² (${inst.label})`,
        );
        // and the mean agrees with the implementation's own expected update
        const scale = inst.S * inst.A * SCORE_MAX * Math.max(1, maxAbs(Q));
        expectClose(
          impl.expectedGainUpdate(inst.mdp, inst.policy, inst.theta, "advantage"),
          bias.mean,
          { rel: ACCURACY.rel, abs: ACCURACY.abs * scale + spread * SCORE_MAX },
          `E[(23)] (${inst.label})`,
        );
      }),
      { implements: ["baselinedGainStep", "expectedGainUpdate"], numRuns: 50 },
    );
  });
});
