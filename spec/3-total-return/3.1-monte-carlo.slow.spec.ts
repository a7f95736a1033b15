/**
 * §3.1 in the slow tier: a Monte Carlo check of (29) on a problem far too large to enumerate, with a
 * negative control whose exact bias is computed from the exact state distributions.
 */
import { describe, it } from "vitest";
import { claim, testRng } from "../support/claim.ts";
import { impl } from "../support/impl.ts";
import { expectMeanVector, expectRejected } from "../support/stat.ts";
import { immediateRewardTerm, layeredProblem, returnFrom } from "./tools.ts";

describe("3.1 Monte Carlo where enumeration is impossible", () => {
  it("[eq 29] on a layered problem with ~10⁹ episodes, the mean of 200,000 sampled reward-to-go estimates agrees with ∇J; a late-starting one is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleEpisode", "reinforceRewardToGo", "expectedUpdate"] });
    const rng = testRng(ctx, "problem");
    const K = 4;
    const A = 3;
    const T = 8;
    const problem = layeredProblem(rng, K, A, T);
    // 4 · 12⁸ ≈ 1.7·10⁹ action/state paths from s₀ alone: far beyond enumeration
    const d = problem.mdp.P.length * A;
    const theta = Float64Array.from({ length: d }, (_, i) => (i < K * A ? 0 : 2 * rng() - 1)); // uniform in layer 0
    const g = impl.expectedUpdate(problem, theta);
    const bias = immediateRewardTerm(problem, theta); // the late-start estimator has mean g − bias
    let j = 0;
    for (let i = 1; i < A; i++) if (Math.abs(bias[i]) > Math.abs(bias[j])) j = i; // a component of state s₀
    const n = 200_000;
    const sampler = testRng(ctx, "episodes");
    const rows: Float64Array[] = new Array(n);
    const late = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ep = impl.sampleEpisode(problem, theta, sampler);
      rows[k] = impl.reinforceRewardToGo(problem, theta, ep);
      // the wrong estimator's component j: (Ĝ₀ − R₁)·∂_j ln π(A₀|S₀), since component j lives in s₀, visited at t = 0 only
      late[k] = ep.states[0] === 0 ? (returnFrom(ep, 1) * (ep.actions[0] === j ? 1 - 1 / A : -1 / A)) : 0;
    }
    // every component of a sample lies in [−1, 1] (one visit per state, 0 ≤ Ĝ_t ≤ 1): width 2
    expectMeanVector(ctx, rows, g, { width: 2, label: "rewardToGo" });
    expectRejected(ctx, late, g[j], -bias[j], { width: 2, label: "lateStart" });
  });
});
