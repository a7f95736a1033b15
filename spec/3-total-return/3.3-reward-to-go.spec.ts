/**
 * Chapter 3, §3.3 "Estimating the action value from the episode itself" (notes §3.1, eq. (29)): the
 * reward-to-go and full-return estimators are unbiased, and on the repeated choice their exact variances are
 * the hand-derived fractions (with those of the V_t baseline and of (30) beside them).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { exactMoments } from "../../measure/total-return/enumerate.ts";
import { repeatedChoice } from "../../measure/total-return/examples.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { runClaim } from "../support/run-claim.ts";
import { rewardToGoUnbiased } from "./3.3-reward-to-go.claims.ts";
import { BOTH, enumerate, ESTIMATOR_NAMES, returnFrom, scoreSum, variances } from "./tools.ts";

describe("3.3 Estimating the action value from the episode itself (29)", () => {
  it(rewardToGoUnbiased.title, (ctx) => runClaim(ctx, rewardToGoUnbiased));

  it("[eq 29] the full-return variant Ĝ₀ Σ_t ∇ln π(A_t|S_t) is unbiased too", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        const m = exactMoments(list, (ep) => impl.reinforceFullReturn(problem, theta, ep));
        expectClose(m.mean, impl.expectedUpdate(problem, theta), BOTH, "E[reinforceFullReturn]");
        const { episode } = list[list.length - 1];
        const want = scoreSum(problem, theta, episode, () => returnFrom(episode, 0));
        expectClose(impl.reinforceFullReturn(problem, theta, episode), want, ACCURACY, "reinforceFullReturn(episode)");
      }),
      { implements: ["reinforceFullReturn", "expectedUpdate"] },
    );
  });

  it("[eq 29] [eq 30] repeated choice (T = 3, uniform policy): total variances 4.875 (full return), 2.125 (reward-to-go), 0.375 (V_t baseline), derived by hand", (ctx) => {
    claim(ctx, "exact", { implements: ESTIMATOR_NAMES });
    // One state, actions pay 1 and 0, π = (½, ½). Let X_t = 1[A_t = pay] − ½ = ±½ (iid); the score's "pay"
    // component is X_t and the "skip" component −X_t, so each total variance is twice that of the pay component.
    // Full return: ĝ = G₀·Y with G₀ = 3/2 + Y, Y = ΣX_t; E[Y²] = 3/4, E[Y³] = 0, E[Y⁴] = 2·(1/8)(81/16) + 2·(3/8)(1/16) = 21/16,
    //   Var = (9/4)(3/4) + 21/16 − (3/4)² = 39/16 per component → 39/8 = 4.875.
    // Reward-to-go: ĝ = Σ_t X_t Σ_{k≥t}(X_k + ½) = ΣX_t² + Σ_{t<k} X_t X_k + ½ Σ_t (3 − t) X_t,
    //   ΣX_t² = 3/4 constant; the rest are uncorrelated: 3·(1/16) + ¼·(9 + 4 + 1)/4 = 3/16 + 14/16 = 17/16 → 17/8 = 2.125.
    // V_t baseline: V_t = (3 − t)/2, so Ĝ_t − V_t = Σ_{k≥t} X_k and ĝ = 3/4 + Σ_{t<k} X_t X_k: Var 3/16 → 3/8 = 0.375.
    // (30) with exact advantages: Q_t − V_t = X_t, so ĝ = ΣX_t² = 3/4 exactly: variance 0.
    const v = variances(impl, repeatedChoice(3), new Float64Array(2));
    expectClose(v.full, 39 / 8, ACCURACY, "variance (full return)");
    expectClose(v.rtg, 17 / 8, ACCURACY, "variance (reward-to-go)");
    expectClose(v.vbase, 3 / 8, ACCURACY, "variance (V_t baseline)");
    expectClose(v.u30, 0, ACCURACY, "variance of (30)");
    claim(ctx, "exact", {
      facts: {
        "var.full": v.full,
        "var.rewardToGo": v.rtg,
        "var.valueBaseline": v.vbase,
        "ratio.rtg/full": v.rtg / v.full,
        "ratio.vbase/rtg": v.vbase / v.rtg,
      },
    });
  });
});
