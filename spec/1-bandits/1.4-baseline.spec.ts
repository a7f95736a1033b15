/** §1.4 Baselining: the update (13), its unbiasedness (14)–(19), the variance it removes, and the running average. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stream } from "../../src/contract/random.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { numericGradient } from "../../measure/stats/finite-diff.ts";
import { reward, scores, stepSize } from "../../measure/arbitraries/index.ts";
import {
  rewardHistory,
  scoresActionRewards,
  scoresWithBandit,
  type DiscreteBandit,
} from "../../measure/arbitraries/bandit.ts";
import { claim } from "../support/claim.ts";
import { cachedBy, impl } from "../support/impl.ts";
import { expectClose, mismatch } from "../../measure/close.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import {
  bernoulliArms,
  enumerate,
  expectScoreStep,
  FD,
  lambda,
  maxAbs,
  maxAbsDiff,
  means,
  moveAllowance,
  productSumAllowance,
  sampledActions,
  softmax,
  widen,
} from "./tools.ts";

/** The moves (θ' − θ)/α of an update over every (action, reward) outcome, with the largest allowance the contract gives them. */
function expectedMove(
  theta: Float64Array,
  bandit: DiscreteBandit,
  alpha: number,
  step: (a: number, reward: number) => Float64Array,
): { mean: number[]; allowance: number } {
  let allowance = 0;
  const mean = enumerate(theta, bandit, (a, reward) => {
    const next = step(a, reward);
    allowance = Math.max(allowance, moveAllowance(next, alpha));
    return Array.from(next, (x, i) => (x - theta[i]) / alpha);
  });
  return { mean, allowance };
}

describe("1.4 Baselining: the update and its expectation", () => {
  it("[eq 13] reinforceBaselineStep moves θ by α(R − B)∇ln πθ(A), i.e. REINFORCE on the reward R − B", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), stepSize(), reward(), reward(), ({ theta, a }, alpha, r, b) => {
        const next = expectScoreStep(
          theta,
          a,
          alpha,
          r - b,
          () => impl.reinforceBaselineStep(theta, a, r, b, alpha),
          "reinforceBaselineStep(θ, A, R, B, α) − θ",
        );
        // both within ACCURACY of the same exact step
        expectClose(
          next,
          impl.reinforceStep(theta, a, r - b, alpha),
          { rel: 2 * ACCURACY.rel, abs: 3 * ACCURACY.abs },
          "reinforceBaselineStep(θ, A, R, B, α) against reinforceStep(θ, A, R − B, α)",
        );
      }),
      { implements: ["reinforceBaselineStep", "reinforceStep"] },
    );
  });

  it("[eq 14] [eq 19] for baselines fixed by θ and the history, the exact expectation of the update is ∇λθ", (ctx) => {
    // Three baselines that depend on θ and the past rewards H but not on the current action or reward:
    // the running average of H, the policy-weighted H, and an arbitrary smooth function of θ and H.
    const baselines: ((theta: Float64Array, h: number[]) => number)[] = [
      (_t, h) => impl.runningAverageBaseline(h),
      (t, h) => softmax(t).reduce((s, p, i) => s + p * (h[i % Math.max(1, h.length)] ?? 0), 0),
      (t, h) => 3 * Math.sin(t[0]) + h.length - h.reduce((s, x) => s + x * x, 0),
    ];
    checkProperty(
      ctx,
      fc.property(scoresWithBandit(), rewardHistory(0, 8), stepSize(), ([theta, bandit], h, alpha) => {
        const truth = numericGradient((th) => lambda(th, means(bandit)), theta);
        const plain = expectedMove(theta, bandit, alpha, (a, reward) => impl.reinforceStep(theta, a, reward, alpha));
        const eScore = enumerate(theta, bandit, (a) => impl.gibbsScore(theta, a));
        for (const B of baselines) {
          const b = B(theta, h);
          const based = expectedMove(theta, bandit, alpha, (a, reward) =>
            impl.reinforceBaselineStep(theta, a, reward, b, alpha),
          );
          expectClose(
            based.mean,
            truth,
            widen(FD, based.allowance),
            `E[(θ' − θ)/α] with the baseline B = ${b}, against finite differences of λθ`,
          );
          // (14): the expectation splits into E[R ∇ln π] − B·E[∇ln π]; the score's entries (|·| ≤ 1) within ACCURACY
          const split = plain.mean.map((x, i) => x - b * eScore[i]);
          expectClose(
            based.mean,
            split,
            { rel: 0, abs: based.allowance + plain.allowance + Math.abs(b) * (ACCURACY.abs + ACCURACY.rel) },
            "(14): E[(R − B)∇ln π] against E[R∇ln π] − B·E[∇ln π]",
          );
        }
      }),
      { implements: ["reinforceBaselineStep", "reinforceStep", "runningAverageBaseline", "gibbsScore"], numRuns: 60 },
    );
  });

  it("[eq 15] [eq 16] Σₐ πθ(a)∇ln πθ(a) = Σₐ ∇πθ(a) = 0", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scores(), (theta) => {
        const k = theta.length;
        const p = impl.gibbsPolicy(theta);
        const s15 = new Float64Array(k);
        const s16 = new Float64Array(k);
        const slack15 = new Float64Array(k);
        const slack16 = new Float64Array(k);
        for (let a = 0; a < k; a++) {
          const sc = impl.gibbsScore(theta, a);
          const dp = impl.gibbsPolicyGradient(theta, a);
          for (let i = 0; i < k; i++) {
            s15[i] += p[a] * sc[i];
            s16[i] += dp[i];
            // what the contract allows on the terms, carried to the sums (tools.ts, productSumAllowance)
            slack15[i] += productSumAllowance([p[a]], [sc[i]]);
            slack16[i] += ACCURACY.abs + ACCURACY.rel * Math.abs(dp[i]);
          }
        }
        expectClose(s15, new Float64Array(k), { rel: 0, abs: maxAbs(slack15) }, "(15): Σₐ πθ(a)·gibbsScore(θ, a)");
        expectClose(s16, new Float64Array(k), { rel: 0, abs: maxAbs(slack16) }, "(16): Σₐ gibbsPolicyGradient(θ, a)");
      }),
      { implements: ["gibbsPolicy", "gibbsScore", "gibbsPolicyGradient"] },
    );
  });

  it("[eq 17] [eq 18] Σₐ πθ(a) = 1 for every θ, so its gradient (finite differences) vanishes", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scores(), (theta) => {
        const total = (th: Float64Array) => impl.gibbsPolicy(th).reduce((s, x) => s + x, 0);
        expectClose(
          total(theta),
          1,
          { rel: ACCURACY.rel, abs: theta.length * ACCURACY.abs },
          "(17): Σₐ gibbsPolicy(θ)(a)",
        );
        expectClose(
          numericGradient(total, theta),
          new Float64Array(theta.length),
          FD,
          "(18): finite differences of Σₐ gibbsPolicy(θ)(a)",
        );
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it("[eq 19] a baseline that depends on the current action biases the exact expectation by −Σₐ πθ(a)B(a)∇ln πθ(a)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresWithBandit(), ([theta, bandit]) => {
        const alpha = 0.1;
        const B = (a: number) => a + 1; // peeks at the action being updated
        const truth = numericGradient((th) => lambda(th, means(bandit)), theta);
        const peek = expectedMove(theta, bandit, alpha, (a, reward) =>
          impl.reinforceBaselineStep(theta, a, reward, B(a), alpha),
        );
        const p = softmax(theta);
        const bias = new Float64Array(theta.length);
        for (let a = 0; a < theta.length; a++)
          for (let i = 0; i < theta.length; i++) bias[i] -= p[a] * B(a) * ((i === a ? 1 : 0) - p[i]);
        // the bias is exactly as predicted, and the comparison of [eq 14] (same tolerance) rejects this baseline
        const tol = widen(FD, peek.allowance);
        expectClose(
          peek.mean,
          truth.map((x, i) => x + bias[i]),
          tol,
          "E[(θ' − θ)/α] with B = A + 1, against ∇λθ plus the predicted bias",
        );
        expect(mismatch(peek.mean, truth, tol), "the biased expectation passes as ∇λθ").not.toBeNull();
      }),
      { implements: ["reinforceBaselineStep"] },
    );
  });
});

describe("1.4 The running-average baseline", () => {
  it("[eq 13] runningAverageBaseline is (1/t)ΣR_k, B_0 = 0, and updateRunningAverage reproduces it step by step", (ctx) => {
    checkProperty(
      ctx,
      fc.property(rewardHistory(1, 30), (rs) => {
        expectClose(impl.runningAverageBaseline([]), 0, ACCURACY, "runningAverageBaseline([])");
        const size = maxAbs(rs);
        let b = 0;
        for (let t = 1; t <= rs.length; t++) {
          b = impl.updateRunningAverage(b, t, rs[t - 1]);
          const direct = rs.slice(0, t).reduce((s, x) => s + x, 0) / t;
          expectClose(
            impl.runningAverageBaseline(rs.slice(0, t)),
            direct,
            ACCURACY,
            `runningAverageBaseline(R_1…R_${t})`,
          );
          // each incremental step within ACCURACY of its exact value (of size ≤ max|R|); B ↦ B + (R − B)/t
          // contracts, so the errors of t steps add up at most
          expectClose(
            b,
            direct,
            { rel: 0, abs: t * (ACCURACY.abs + ACCURACY.rel * size) },
            `B_${t} by updateRunningAverage`,
          );
        }
      }),
      { implements: ["runningAverageBaseline", "updateRunningAverage"] },
    );
  });

  it("[erratum running-average-b0] the printed B_t = (1/t)ΣR_k is 0/0 at t = 0; with B_0 = 0 the first step is plain REINFORCE, while B_0 = R_1 would bias it", (ctx) => {
    claim(ctx, "exact", { implements: ["runningAverageBaseline", "reinforceBaselineStep", "reinforceStep"] });
    const printed = (rs: number[]) => (1 / rs.length) * rs.reduce((s, x) => s + x, 0);
    expect(printed([])).toBeNaN(); // (1/0)·0
    const b0 = impl.runningAverageBaseline([]);
    expectClose(b0, 0, ACCURACY, "runningAverageBaseline([])");
    const theta = Float64Array.from([0.3, -0.2]);
    const p = [0.6, 0.4];
    const alpha = 0.05;
    const first = (a: number, r: number) => impl.reinforceBaselineStep(theta, a, r, b0, alpha);
    for (const [a, r] of [
      [0, 1],
      [0, 0],
      [1, 1],
      [1, 0],
    ])
      expectClose(
        first(a, r),
        impl.reinforceStep(theta, a, r, alpha),
        { rel: 2 * ACCURACY.rel, abs: 3 * ACCURACY.abs },
        `first step (A = ${a}, R = ${r}) against reinforceStep`,
      );
    // the tempting fix B_0 = R_1 (the reward being reinforced) zeroes every first step: its expectation is 0, not ∇λ
    const truth = [softmax(theta)[0] * softmax(theta)[1] * 0.2, -softmax(theta)[0] * softmax(theta)[1] * 0.2];
    const bandit = bernoulliArms(p);
    const peek = expectedMove(theta, bandit, alpha, (a, r) => impl.reinforceBaselineStep(theta, a, r, r, alpha));
    expectClose(peek.mean, [0, 0], { rel: 0, abs: peek.allowance }, "E[first step]/α with B_0 = R_1");
    expect(maxAbsDiff(peek.mean, truth)).toBeGreaterThan(0.04); // |∂λ/∂θ| = 0.0470: far outside the allowance
    const good = expectedMove(theta, bandit, alpha, first);
    expectClose(
      good.mean,
      truth,
      widen(ACCURACY, good.allowance),
      "E[first step]/α with B_0 = 0, against ∇λθ = π0π1(p0 − p1)(1, −1)",
    );
  });
});

describe("1.4 Baselining by sampling (Monte Carlo, α = 1e-9 per check)", () => {
  // Figure 1's bandit p = (0.6, 0.4) at θ = (0.3, −0.2): ∂λ/∂θ0 = π0 π1 · 0.2 = 0.0470012 (π0 = 0.622459).
  // Each sample draws a history of t ~ Uniform{0,1,2,3} past rewards under πθ, B = running average of it
  // (B_0 = 0), then A ~ πθ and R. (R − B)·score₀ ∈ [−1, 1] (w = 2); n = 450,000 detects
  // 2·(√(ln(2e9)/9e5) + √(ln(1e9)/9e5)) = 2·(0.0048785 + 0.0047981) = 0.0193532.
  const p = [0.6, 0.4];
  const theta = Float64Array.from([0.3, -0.2]);
  const pi = softmax(theta);
  const g0 = pi[0] * pi[1] * (p[0] - p[1]);
  const lam = lambda(theta, p);
  const n = 450_000;
  const alpha = 0.1;

  function sample(seed: string, baseline: (h: number[], a: number, r: number) => number): Float64Array {
    const rng = stream(seed);
    // A ~ πθ from a stream of its own, independent of the rest, sampled in one batch
    const actions = sampledActions(seed, theta, n);
    const out = new Float64Array(n);
    const h: number[] = [];
    for (let i = 0; i < n; i++) {
      h.length = 0;
      const t = Math.floor(rng() * 4);
      for (let k = 0; k < t; k++) h.push(rng() < lam ? 1 : 0); // a past reward under πθ is Bernoulli(λθ)
      const a = actions[i];
      const r = rng() < p[a] ? 1 : 0;
      out[i] = step(a, r, baseline(h, a, r));
    }
    return out;
  }
  // θ and α are fixed and the baselines take few values, so the update sees few distinct inputs
  // (a, R, B) and the running average few histories (at most 15): each is called once per input.
  const step = cachedBy(
    (a: number, r: number, b: number) => (impl.reinforceBaselineStep(theta, a, r, b, alpha)[0] - theta[0]) / alpha,
    (a, r, b) => `${a},${r},${b}`,
  );
  const average = cachedBy(
    (h: number[]) => impl.runningAverageBaseline(h),
    (h) => h.join(","),
  );

  it("[eq 13] [eq 19] with the running-average baseline the sampled update still averages to ∂λ/∂θ0", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["reinforceBaselineStep", "runningAverageBaseline", "sampleAction"] });
    expectMean(
      ctx,
      sample(ctx.task.meta.pgbook!.seed, (h) => average(h)),
      g0,
      { width: 2, label: "baselined" },
    );
  });

  it("[eq 19] negative control: a baseline that depends on the current action (B = 1/2 when A = 0) is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["reinforceBaselineStep", "sampleAction"], control: true });
    // exact bias in component 0: −Σₐ πθ(a) B(a) score₀(a) = −π0 · 0.5 · (1 − π0) = −0.117503
    const bias = -pi[0] * 0.5 * (1 - pi[0]);
    expectRejected(
      ctx,
      sample(ctx.task.meta.pgbook!.seed, (_h, a) => (a === 0 ? 0.5 : 0)),
      g0,
      bias,
      { width: 2, label: "action-baseline" },
    );
  });

  it("[eq 19] subtle negative control: a running average that already includes the current reward is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["reinforceBaselineStep", "sampleAction"], control: true });
    // B' = (ΣH + R)/(t + 1). Given t, E[(R − B')score₀] = g0 − E[R score₀]/(t+1) − E[ΣH]E[score₀]/(t+1) = g0·t/(t+1),
    // since E[score₀] = 0 and H is independent of (A, R). Over t ~ U{0..3} the bias is −g0·(1 + 1/2 + 1/3 + 1/4)/4
    // = −g0·0.520833 = −0.0244798: within twice the detectable deviation 0.0193532 (ratio 1.26).
    const bias = (-g0 * (1 + 1 / 2 + 1 / 3 + 1 / 4)) / 4;
    const c = expectRejected(
      ctx,
      sample(ctx.task.meta.pgbook!.seed, (h, _a, r) => (h.reduce((s, x) => s + x, 0) + r) / (h.length + 1)),
      g0,
      bias,
      {
        width: 2,
        label: "off-by-one",
      },
    );
    expect(Math.abs(bias)).toBeLessThanOrEqual(2 * c.detectable);
    claim(ctx, "monte-carlo", { facts: { biasOverDetectable: Math.abs(bias) / c.detectable } });
  });

  it("[sec 1.4] on the 0.96/0.94 bandit the running-average baseline cuts the variance of the update about 19-fold", (ctx) => {
    claim(ctx, "monte-carlo", {
      implements: ["reinforceStep", "reinforceBaselineStep", "runningAverageBaseline", "sampleAction"],
    });
    // At θ = 0 (where Figure 2's runs start): π = (1/2, 1/2), score₀ = ±1/2, λ = 0.95, ∂λ/∂θ0 = 0.25·0.02 = 0.005.
    // Baseline B = running average of t = 20 past rewards, i.i.d. Bernoulli(0.95), independent of (A, R).
    // E[g²] without baseline: ¼·E[R²] = ¼·0.95 = 0.2375; Var = 0.2375 − 0.005² = 0.237475.
    // With it: ¼·Σₐ ½·(Var(R|a) + (p_a − λ)² + Var B), Var B = 0.95·0.05/20 = 0.002375:
    //   a = 0: 0.0384 + 0.0001 + 0.002375 = 0.040875;  a = 1: 0.0564 + 0.0001 + 0.002375 = 0.060875
    //   E[g²] = ¼·0.050875 = 0.01271875; Var = 0.01269375. Ratio 0.237475 / 0.01269375 = 18.708.
    const q = [0.96, 0.94];
    const th = new Float64Array(2);
    const m = 100_000;
    const t = 20;
    const rng = stream(ctx.task.meta.pgbook!.seed);
    // the actions from a stream of their own, drawn in one batch (as in sample() above)
    const actions = sampledActions(ctx.task.meta.pgbook!.seed, th, m);
    const plain = new Float64Array(m);
    const based = new Float64Array(m);
    const a2 = 0.1;
    for (let i = 0; i < m; i++) {
      const h = Array.from({ length: t }, () => (rng() < 0.95 ? 1 : 0));
      const a = actions[i];
      const r = rng() < q[a] ? 1 : 0;
      plain[i] = ((impl.reinforceStep(th, a, r, a2)[0] - th[0]) / a2) ** 2;
      based[i] = ((impl.reinforceBaselineStep(th, a, r, impl.runningAverageBaseline(h), a2)[0] - th[0]) / a2) ** 2;
    }
    // g² ∈ [0, 1/4] because |score₀| = 1/2 at θ = 0 and |R − B| ≤ 1: width 1/4
    const cp = expectMean(ctx, plain, 0.2375, { width: 0.25, label: "plain.E[g2]" });
    const cb = expectMean(ctx, based, 0.01271875, { width: 0.25, label: "baselined.E[g2]" });
    // the ratio of variances, bounded below using both intervals (each holds with probability 1 − α)
    const lowRatio = (cp.mean - cp.halfWidth - 0.005 ** 2) / (cb.mean + cb.halfWidth - 0.005 ** 2);
    expect(lowRatio).toBeGreaterThan(10);
    claim(ctx, "monte-carlo", {
      facts: {
        exactVarianceRatio: 0.237475 / 0.01269375,
        estimatedRatio: (cp.mean - 0.005 ** 2) / (cb.mean - 0.005 ** 2),
        ratioLowerBound: lowRatio,
      },
    });
    // negative control: the unbaselined samples must be rejected as estimates of the baselined second moment
    expectRejected(ctx, plain, 0.01271875, 0.2375 - 0.01271875, { width: 0.25, label: "plain-as-baselined" });
  });
});
