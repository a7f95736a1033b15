/**
 * Chapter 3, §3.6 (notes §3.1), in the slow tier: a Monte Carlo check of (29) on a problem far too large to
 * enumerate, with a negative control whose exact bias is computed from the exact state distributions.
 */
import { describe, expect, it } from "vitest";
import { claim, testRng } from "../support/claim.ts";
import { callMany, impl } from "../support/impl.ts";
import { expectMeanVector, expectRejected } from "../support/stat.ts";
import { immediateRewardTerm, layeredProblem, returnFrom, secondMoments } from "./tools.ts";
import { expectMean } from "../support/stat.ts";

/** The layered problems' shape and sample size, as the chapter states them (K states per step, A actions, T steps, d coordinates). */
const layeredFacts = (K: number, A: number, T: number, d: number, n: number) => ({
  "ch3.layered.states": K,
  "ch3.layered.actions": A,
  "ch3.layered.steps": T,
  "ch3.layered.coordinates": d,
  "ch3.layered.samples": n,
  // episodes of positive probability: S_0 is state 0; each of the T steps picks one of A actions, and each
  // of the first T − 1 moves one of K next states (every weight is positive); the last move ends the episode
  "ch3.layered.episodes": A ** T * K ** (T - 1),
});

describe("3.6 Monte Carlo where enumeration is impossible", () => {
  it("[eq 29] on a layered problem with ~10⁸ episodes, the mean of 200,000 sampled reward-to-go estimates agrees with ∇J; a late-starting one is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleEpisode", "reinforceRewardToGo", "expectedUpdate"] });
    const rng = testRng(ctx, "problem");
    const K = 4;
    const A = 3;
    const T = 8;
    const problem = layeredProblem(rng, K, A, T);
    // 3⁸ action choices and 4⁷ next states: 3⁸·4⁷ ≈ 1.1·10⁸ episodes from s₀, far beyond enumeration
    const d = problem.mdp.P.length * A;
    const theta = Float64Array.from({ length: d }, (_, i) => (i < K * A ? 0 : 2 * rng() - 1)); // uniform in layer 0
    const g = impl.expectedUpdate(problem, theta);
    const bias = immediateRewardTerm(problem, theta); // the late-start estimator has mean g − bias
    let j = 0;
    for (let i = 1; i < A; i++) if (Math.abs(bias[i]) > Math.abs(bias[j])) j = i; // a component of state s₀
    const n = 200_000;
    claim(ctx, "monte-carlo", { facts: layeredFacts(K, A, T, d, n) });
    const sampler = testRng(ctx, "episodes");
    // the same calls as a loop of sampleEpisode then reinforceRewardToGo, in batches (callMany): the
    // sampler is the only stream and only sampleEpisode draws from it, so it advances as in the loop
    const eps = callMany(
      "sampleEpisode",
      Array.from({ length: n }, () => [problem, theta, sampler]),
    );
    const rows = callMany(
      "reinforceRewardToGo",
      eps.map((ep) => [problem, theta, ep]),
    );
    const late = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ep = eps[k];
      // the wrong estimator's component j: (Ĝ₀ − R₁)·∂_j ln π(A₀|S₀), since component j lives in s₀, visited at t = 0 only
      late[k] = ep.states[0] === 0 ? returnFrom(ep, 1) * (ep.actions[0] === j ? 1 - 1 / A : -1 / A) : 0;
    }
    // every component of a sample lies in [−1, 1] (one visit per state, 0 ≤ Ĝ_t ≤ 1): width 2
    expectMeanVector(ctx, rows, g, { width: 2, label: "rewardToGo" });
    expectRejected(ctx, late, g[j], -bias[j], { width: 2, label: "lateStart" });
  });

  it("[eq 29] [eq 30] on a layered problem with ~10⁸ episodes, exact variances by moment recursions order full return > reward-to-go > V_t baseline; 200,000 samples of each agree; the full return is rejected as reward-to-go", (ctx) => {
    claim(ctx, "monte-carlo", {
      implements: [
        "sampleEpisode",
        "reinforceFullReturn",
        "reinforceRewardToGo",
        "reinforceBaseline",
        "timeIndexedValues",
        "expectedUpdate",
      ],
    });
    const rng = testRng(ctx, "problem");
    const A = 3;
    const problem = layeredProblem(rng, 4, A, 8);
    const d = problem.mdp.P.length * A;
    const theta = Float64Array.from({ length: d }, (_, i) => (i < 4 * A ? 0 : 2 * rng() - 1));
    // exact, without enumeration: E‖ĝ‖² by the recursions (checked against enumeration in the fast tier), minus ‖∇J‖²
    const m = secondMoments(problem, theta);
    const g2 = impl.expectedUpdate(problem, theta).reduce((s, x) => s + x * x, 0);
    const v = { full: m.full - g2, rtg: m.rtg - g2, vbase: m.vbase - g2 };
    const sig = (x: number, k: number) => Number(x.toPrecision(k));
    claim(ctx, "monte-carlo", {
      facts: {
        "ch3.layered.var.full": sig(v.full, 4),
        "ch3.layered.var.rewardToGo": sig(v.rtg, 3),
        "ch3.layered.var.valueBaseline": sig(v.vbase, 2),
        "ch3.layered.rewardToGoShare": v.rtg / v.full,
        "ch3.layered.factor": Math.round(v.rtg / v.vbase),
      },
    });
    claim(ctx, "monte-carlo", {
      facts: {
        "var.full": v.full,
        "var.rewardToGo": v.rtg,
        "var.valueBaseline": v.vbase,
        "ratio.rtg/full": v.rtg / v.full,
        "ratio.vbase/rtg": v.vbase / v.rtg,
      },
    });
    expect(v.rtg).toBeLessThan(v.full);
    expect(v.vbase).toBeLessThan(v.rtg);
    // the estimators under test, on sampled episodes: ‖ĝ‖² ∈ [0, 2T] = [0, 16] for all three, since every weight
    // (Ĝ₀, Ĝ_t or Ĝ_t − V_t) lies in [−1, 1], each step touches its own state's coordinates, and ‖1_a − π‖² ≤ 2
    const { V } = impl.timeIndexedValues(problem, theta);
    const n = 200_000;
    claim(ctx, "monte-carlo", { facts: layeredFacts(4, A, 8, d, n) });
    const sampler = testRng(ctx, "episodes");
    const sq = { full: new Float64Array(n), rtg: new Float64Array(n), vbase: new Float64Array(n) };
    const norm2 = (x: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i] * x[i];
      return s;
    };
    // batched as above (callMany): the same calls, the sampler advancing as in a loop
    const eps = callMany(
      "sampleEpisode",
      Array.from({ length: n }, () => [problem, theta, sampler]),
    );
    callMany(
      "reinforceFullReturn",
      eps.map((ep) => [problem, theta, ep]),
    ).forEach((x, k) => (sq.full[k] = norm2(x)));
    callMany(
      "reinforceRewardToGo",
      eps.map((ep) => [problem, theta, ep]),
    ).forEach((x, k) => (sq.rtg[k] = norm2(x)));
    callMany(
      "reinforceBaseline",
      eps.map((ep) => [problem, theta, ep, V]),
    ).forEach((x, k) => (sq.vbase[k] = norm2(x)));
    expectMean(ctx, sq.full, m.full, { width: 16, label: "fullReturn.secondMoment" });
    expectMean(ctx, sq.rtg, m.rtg, { width: 16, label: "rewardToGo.secondMoment" });
    expectMean(ctx, sq.vbase, m.vbase, { width: 16, label: "valueBaseline.secondMoment" });
    // control: a "reward-to-go" that secretly weights by the full return has E‖ĝ‖² larger by Var_full − Var_rtg
    expectRejected(ctx, sq.full, m.rtg, m.full - m.rtg, { width: 16, label: "fullAsRewardToGo" });
  });
});
