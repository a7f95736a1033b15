/** §1.3 The policy gradient: the average reward (7), its gradient (8)–(11) and the unbiased update (12). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stream } from "../../src/contract/random.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { numericGradient } from "../../measure/stats/finite-diff.ts";
import { scoresActionRewards, scoresWithBandit } from "../../measure/arbitraries/bandit.ts";
import { claim, testRng } from "../support/claim.ts";
import { cachedBy, impl } from "../support/impl.ts";
import { expectClose, mismatch } from "../../measure/close.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { stepSize } from "../../measure/arbitraries/index.ts";
import {
  bernoulliArms,
  enumerate,
  FD,
  lambda,
  maxAbs,
  means,
  moveAllowance,
  productSumAllowance,
  sampledActions,
  shrinksLikeHSquared,
  softmax,
  symbolicInstances,
  symbolicOracles,
  widen,
} from "./tools.ts";

describe("1.3 The policy gradient", () => {
  it("[eq 7] averageReward equals Σₐ πθ(a) r(a)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), ({ theta, r }) => {
        expectClose(impl.averageReward(theta, r), lambda(theta, r), ACCURACY, "averageReward(θ, r)");
      }),
      { implements: ["averageReward"] },
    );
  });

  it("[eq 8] [eq 11] exactPolicyGradient equals central finite differences of λθ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), ({ theta, r }) => {
        const g = impl.exactPolicyGradient(theta, r);
        expectClose(
          g,
          numericGradient((th) => lambda(th, r), theta),
          FD,
          "exactPolicyGradient(θ, r) against finite differences of λθ",
        );
        expectClose(
          g,
          numericGradient((th) => impl.averageReward(th, r), theta),
          FD,
          "exactPolicyGradient(θ, r) against finite differences of averageReward",
        );
      }),
      { implements: ["exactPolicyGradient", "averageReward"] },
    );
  });

  it("[eq 11] the finite-difference error of ∇λθ shrinks like h² (h = 1e-2 against 5e-3)", (ctx) => {
    claim(ctx, "exact", { implements: ["exactPolicyGradient"] });
    const rng = testRng(ctx);
    let checked = 0;
    for (let trial = 0; trial < 20; trial++) {
      const theta = Float64Array.from({ length: 3 }, () => 4 * rng() - 2);
      const r = Float64Array.from({ length: 3 }, () => 4 * rng() - 2);
      const v = Float64Array.from({ length: 3 }, () => 2 * rng() - 1);
      const f = (th: Float64Array) => lambda(th, r);
      const dir = impl.exactPolicyGradient(theta, r).reduce((s, gi, i) => s + gi * v[i], 0);
      // skipped where the third derivative ≈ 0 along v: round-off would dominate
      if (shrinksLikeHSquared(f, theta, v, dir)) checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("[eq 9] gibbsPolicyGradient is ∇θ πθ(a), and Σₐ r(a)∇θ πθ(a) is the policy gradient", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), ({ theta, r }) => {
        const sum = new Float64Array(theta.length);
        for (let a = 0; a < theta.length; a++) {
          const ga = impl.gibbsPolicyGradient(theta, a);
          expectClose(
            ga,
            numericGradient((th) => softmax(th)[a], theta),
            FD,
            `gibbsPolicyGradient(θ, ${a}) against finite differences of πθ(${a})`,
          );
          for (let i = 0; i < sum.length; i++) sum[i] += r[a] * ga[i];
        }
        expectClose(
          sum,
          numericGradient((th) => lambda(th, r), theta),
          FD,
          "Σₐ r(a)·gibbsPolicyGradient(θ, a) against finite differences of λθ",
        );
      }),
      { implements: ["gibbsPolicyGradient"] },
    );
  });

  it("[eq 10] [eq 11] Σₐ πθ(a) r(a) ∇πθ(a)/πθ(a) and Σₐ πθ(a) r(a) ∇ln πθ(a) both equal exactPolicyGradient", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), ({ theta, r }) => {
        const k = theta.length;
        const p = impl.gibbsPolicy(theta);
        const eq10 = new Float64Array(k);
        const eq11 = new Float64Array(k);
        // what the contract allows on each sum, carried from its terms (tools.ts, productSumAllowance)
        const slack10 = new Float64Array(k);
        const slack11 = new Float64Array(k);
        const exact = softmax(theta);
        for (let a = 0; a < k; a++) {
          const dp = impl.gibbsPolicyGradient(theta, a);
          const sc = impl.gibbsScore(theta, a);
          for (let i = 0; i < k; i++) {
            eq10[i] += p[a] * r[a] * (dp[i] / p[a]);
            eq11[i] += p[a] * r[a] * sc[i];
            // p[a]·(dp/p[a]) is dp up to rounding: r(a)·dp carries |r(a)|·(abs + rel·|dp|)
            slack10[i] += Math.abs(r[a]) * (ACCURACY.abs + ACCURACY.rel * Math.abs(dp[i]));
            slack11[i] += Math.abs(r[a]) * productSumAllowance([exact[a]], [sc[i]]);
          }
        }
        const g = impl.exactPolicyGradient(theta, r);
        expectClose(
          eq10,
          g,
          widen({ rel: 2 * ACCURACY.rel, abs: 2 * ACCURACY.abs }, maxAbs(slack10)),
          "(10): Σₐ πθ(a) r(a) ∇πθ(a)/πθ(a) against exactPolicyGradient",
        );
        expectClose(
          eq11,
          g,
          widen({ rel: 2 * ACCURACY.rel, abs: 2 * ACCURACY.abs }, maxAbs(slack11)),
          "(11): Σₐ πθ(a) r(a) ∇ln πθ(a) against exactPolicyGradient",
        );
      }),
      { implements: ["gibbsPolicy", "gibbsPolicyGradient", "gibbsScore", "exactPolicyGradient"] },
    );
  });

  it("[eq 12] the REINFORCE update is exactly unbiased: Σ over (action, reward) outcomes of (θ' − θ)/α equals ∇λθ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresWithBandit(), stepSize(), ([theta, bandit], alpha) => {
        let allowance = 0; // the contract's allowance on each θ', carried to (θ' − θ)/α (tools.ts, moveAllowance)
        const mean = enumerate(theta, bandit, (a, reward) => {
          const next = impl.reinforceStep(theta, a, reward, alpha);
          allowance = Math.max(allowance, moveAllowance(next, alpha));
          return Array.from(next, (x, i) => (x - theta[i]) / alpha);
        });
        const truth = numericGradient((th) => lambda(th, means(bandit)), theta);
        expectClose(
          mean,
          truth,
          widen(FD, allowance),
          "E[(θ' − θ)/α] over every (action, reward) outcome, against finite differences of λθ",
        );
      }),
      { implements: ["reinforceStep"] },
    );
  });
});

describe("1.3 The gradient by symbolic differentiation (mathjs `derivative`, a third oracle)", () => {
  // λθ = Σₐ r(a) e^θa / Σ_b e^θb and πθ(a) = e^θa / Σ_b e^θb written out for k = 2…5 actions and
  // differentiated by mathjs's rules (measure/symbolic.ts), with the rewards as symbols: no closed form
  // (9)–(11) enters the oracle. Its float64 evaluation errs by a few ulps of terms of order |r| ≤ 3.

  it("[eq 8] [eq 11] exactPolicyGradient equals mathjs's symbolic derivative of λθ = Σₐ πθ(a) r(a), for 2 to 5 actions", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, r }) => {
        expectClose(
          impl.exactPolicyGradient(theta, r),
          o.get(theta.length)!.averageRewardGradient(theta, r),
          ACCURACY,
          "exactPolicyGradient(θ, r) against d/dθ λθ (symbolic)",
        );
      }),
      { implements: ["exactPolicyGradient"] },
    );
  });

  it("[eq 9] gibbsPolicyGradient equals mathjs's symbolic derivative of πθ(a) = e^θa / Σ e^θb, for 2 to 5 actions", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, a }) => {
        expectClose(
          impl.gibbsPolicyGradient(theta, a),
          o.get(theta.length)!.policyGradient(theta, a),
          ACCURACY,
          "gibbsPolicyGradient(θ, a) against d/dθ πθ(a) (symbolic)",
        );
      }),
      { implements: ["gibbsPolicyGradient"] },
    );
  });

  it("[eq 11] negative control: Σₐ πθ(a) r(a) 1ₐ (the score without −πθ) is rejected by the symbolic oracle", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, r }) => {
        // it misses ∇λθ = πθ ⊙ (r − λθ) by πθ(i)·λθ in component i: zero only when λθ = 0 to within ~1e-12,
        // which a draw of r uniform on [−3, 3]^k hits with probability of order 1e-12
        const p = softmax(theta);
        expect(
          mismatch(
            p.map((x, a) => x * r[a]),
            o.get(theta.length)!.averageRewardGradient(theta, r),
            ACCURACY,
          ),
        ).not.toBeNull();
      }),
    );
    claim(ctx, "property", { control: true });
  });

  it("[eq 9] negative control: πθ(a)·1ₐ (∇πθ(a) without −πθ(a)πθ) is rejected by the symbolic oracle", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, a }) => {
        // it misses by πθ(a)πθ(i) ≥ (e^{-8}/5)² ≈ 4.5e-9 in every component
        const p = softmax(theta);
        expect(
          mismatch(
            Array.from(theta, (_, i) => (i === a ? p[a] : 0)),
            o.get(theta.length)!.policyGradient(theta, a),
            ACCURACY,
          ),
        ).not.toBeNull();
      }),
    );
    claim(ctx, "property", { control: true });
  });
});

describe("1.3 Unbiasedness by sampling (Monte Carlo, α = 1e-9 per check)", () => {
  // The bandit of Figure 1: p = (0.6, 0.4), at θ = (0.3, −0.2): π0 = 1/(1 + e^{-0.5}) = 0.622459,
  // ∂λ/∂θ0 = π0 π1 (p0 − p1) = 0.622459·0.377541·0.2 = 0.0470012. Samples R·score₀ ∈ [−1, 1] (w = 2);
  // n = 200,000 detects 2·(√(ln(2e9)/4e5) + √(ln(1e9)/4e5)) = 0.0290.
  const p = [0.6, 0.4];
  const theta = Float64Array.from([0.3, -0.2]);
  const n = 200_000;
  const pi = softmax(theta);
  const g0 = pi[0] * pi[1] * (p[0] - p[1]);

  function sampleUpdates(seed: string, step: (a: number, reward: number) => Float64Array): Float64Array {
    const rng = stream(seed);
    // A ~ πθ from a stream of its own, independent of the rewards, sampled in one batch
    const actions = sampledActions(seed, theta, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = actions[i];
      const reward = rng() < p[a] ? 1 : 0;
      out[i] = step(a, reward)[0];
    }
    return out;
  }
  const alpha = 0.1;
  const move = (next: Float64Array) => Float64Array.from(next, (x, i) => (x - theta[i]) / alpha);
  // θ and α are fixed, so the update takes at most 2 × 2 distinct inputs (a, R): called once for each
  const update = cachedBy(
    (a: number, r: number) => move(impl.reinforceStep(theta, a, r, alpha)),
    (a, r) => `${a},${r}`,
  );

  it("[eq 12] the sampled update R·∇ln πθ(A) averages to ∂λ/∂θ0", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["reinforceStep", "sampleAction"] });
    const xs = sampleUpdates(ctx.task.meta.pgbook!.seed, update);
    expectMean(ctx, xs, g0, { width: 2, label: "reinforce" });
  });

  it("[eq 12] negative control: a score without the −πθ term (1ₐ alone) is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleAction"], control: true });
    const xs = sampleUpdates(ctx.task.meta.pgbook!.seed, (a, r) =>
      Float64Array.from([a === 0 ? r : 0, a === 1 ? r : 0]),
    );
    // exact mean of R·1ₐ in component 0: π0 p0, so the bias is π0 p0 − π0 π1 (p0 − p1) = π0 λθ = 0.622459·0.524492 = 0.326475
    const bias = enumerate(theta, bernoulliArms(p), (a, r) => [a === 0 ? r : 0, 0])[0] - g0;
    expect(bias).toBeCloseTo(pi[0] * lambda(theta, p), 12);
    expectRejected(ctx, xs, g0, bias, { width: 2, label: "no-minus-pi" });
  });

  it("[eq 12] negative control: a gradient rescaled by 2 is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["reinforceStep", "sampleAction"], control: true });
    const xs = sampleUpdates(ctx.task.meta.pgbook!.seed, (a, r) => update(a, 2 * r));
    // bias (2 − 1)·g0 = 0.0470 > 0.0290
    expectRejected(ctx, xs, g0, g0, { width: 2, label: "rescaled" });
  });
});
