/** §1.2 The Gibbs policy: its probabilities (2), score (3)–(5) and the componentwise update (6). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { derive, seed32, stream, type Rng } from "../../src/contract/random.ts";
import { extreme, real, reward, scores, stepSize } from "../../measure/arbitraries/index.ts";
import { scoresActionRewards } from "../../measure/arbitraries/bandit.ts";
import { claim, testRng, testSeed } from "../support/claim.ts";
import { expectClose, mismatch } from "../../measure/close.ts";
import { callMany, impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { runClaim } from "../support/run-claim.ts";
import { scoreErrorShrinksLikeH2, scoreIsEq4, scoreMatchesDifferences } from "./1.2-gibbs.claims.ts";
import { masterSeed } from "../../measure/seed.ts";
import {
  actionLawDesign,
  cdf,
  expectActionLaw,
  expectActionLawRejected,
  shiftedSoftmax,
  softmax,
  symbolicInstances,
  symbolicOracles,
  type ActionSample,
} from "./tools.ts";

/**
 * gibbsPolicy(θ) against the exact πθ: within ACCURACY, summing to 1 within the allowance of k values each
 * within ACCURACY of its exact value, and the same πθ for θ + c. Returns gibbsPolicy(θ).
 */
function expectGibbs(theta: Float64Array, c: number, exact: number[]): Float64Array {
  const p = impl.gibbsPolicy(theta);
  expectClose(p, exact, ACCURACY, "gibbsPolicy(θ)");
  expectClose(
    p.reduce((s, x) => s + x, 0),
    1,
    { rel: ACCURACY.rel, abs: theta.length * ACCURACY.abs },
    "Σₐ gibbsPolicy(θ)(a)",
  );
  expectClose(impl.gibbsPolicy(Float64Array.from(theta, (x) => x + c)), exact, ACCURACY, "gibbsPolicy(θ + c)");
  return p;
}

describe("1.2 An example: the Gibbs policy", () => {
  it("[eq 2] gibbsPolicy is a probability vector equal to e^θa / Σ e^θa', unchanged by shifting θ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scores(), real(-50, 50), (theta, c) => {
        // θ + c rounds each component by at most ulp(54)/2 ≈ 3.6e-15, far inside the tolerance
        const p = expectGibbs(theta, c, softmax(theta));
        expect(p.length).toBe(theta.length);
        for (const x of p) expect(x).toBeGreaterThan(0); // every πθ(a) ≥ e^{-8}/6 here
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it("[eq 2] gibbsPolicy stays finite for scores far beyond exp's range (a stable softmax)", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsPolicy"] });
    // e^1000 overflows; the ratio π(0)/π(1) = e^{θ0−θ1} = e^{-1} must survive, and π(2) = e^{-2001}/(…) underflows to 0
    expectClose(
      impl.gibbsPolicy(Float64Array.from([1000, 1001, -1000])),
      [1 / (1 + Math.E), Math.E / (1 + Math.E), 0],
      ACCURACY,
      "gibbsPolicy([1000, 1001, −1000])",
    );
    expectClose(
      impl.gibbsPolicy(Float64Array.from([-1000, -1000])),
      [0.5, 0.5],
      ACCURACY,
      "gibbsPolicy([−1000, −1000])",
    );
    expectClose(impl.gibbsPolicy(Float64Array.from([1000, 1000])), [0.5, 0.5], ACCURACY, "gibbsPolicy([1000, 1000])");
  });

  it("[eq 2] over random extreme scores (|θ| up to 700, nearly equal scores) gibbsPolicy is finite, exact and shift-invariant", (ctx) => {
    checkProperty(
      ctx,
      fc.property(extreme.scores(), real(-700, 700), (theta, c) => {
        // |θ + c| ≤ 1400 rounds by ≤ ulp(1400)/2 ≈ 1.1e-13, moving each πθ(a) by a relative 2.3e-13 at most
        expectGibbs(theta, c, shiftedSoftmax(theta));
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it("[eq 3] ln πθ(a) = θa − ln Σ e^θa'", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), ({ theta, a }) => {
        const lse = Math.log(Array.from(theta).reduce((s, x) => s + Math.exp(x), 0));
        const pa = Math.exp(theta[a] - lse);
        // πθ(a) within ACCURACY (relative 1e-9, absolute 1e-12) moves ln πθ(a) by 1e-9 + 1e-12/πθ(a) at most
        expectClose(
          Math.log(impl.gibbsPolicy(theta)[a]),
          theta[a] - lse,
          { rel: ACCURACY.rel, abs: ACCURACY.rel + ACCURACY.abs / pa },
          "ln gibbsPolicy(θ)(a)",
        );
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it(scoreMatchesDifferences.title, (ctx) => runClaim(ctx, scoreMatchesDifferences));
  it(scoreErrorShrinksLikeH2.title, (ctx) => runClaim(ctx, scoreErrorShrinksLikeH2));
  it(scoreIsEq4.title, (ctx) => runClaim(ctx, scoreIsEq4));

  it("[eq 6] componentwiseStep moves θ_A by α(1 − πθ(A))R and every other θ_b by −απθ(b)R, as reinforceStep (1) with the score (5) does, and leaves θ untouched", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), stepSize(), reward(), ({ theta, a }, alpha, r) => {
        const before = Float64Array.from(theta);
        const p = softmax(theta);
        const eq6 = Array.from(theta, (x, b) => (b === a ? x + alpha * (1 - p[b]) * r : x - alpha * p[b] * r));
        const c = impl.componentwiseStep(theta, a, r, alpha);
        expectClose(c, eq6, ACCURACY, "componentwiseStep(θ, A, R, α)");
        // both within ACCURACY of the same exact step
        expectClose(
          c,
          impl.reinforceStep(theta, a, r, alpha),
          { rel: 2 * ACCURACY.rel, abs: 3 * ACCURACY.abs },
          "componentwiseStep against reinforceStep",
        );
        expect(Array.from(theta)).toEqual(Array.from(before)); // the input, not a computed value: no mutation
      }),
      { implements: ["componentwiseStep", "reinforceStep"] },
    );
  });
});

describe("1.2 The score by symbolic differentiation (mathjs `derivative`, a third oracle)", () => {
  // ln πθ(a) = θa − ln Σ_b e^θb written out for k = 2…5 actions and differentiated by mathjs's rules
  // (measure/symbolic.ts): no closed form of the score enters the oracle. Its float64 evaluation errs by
  // a few ulps of terms of order one (~1e-15), far inside the contract's 1e-12 absolute part.

  it("[eq 3] [eq 5] gibbsScore equals mathjs's symbolic derivative of ln πθ(a) = θa − ln Σ e^θb, for 2 to 5 actions", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, a }) => {
        expectClose(
          impl.gibbsScore(theta, a),
          o.get(theta.length)!.score(theta, a),
          ACCURACY,
          "gibbsScore(θ, a) against d/dθ ln πθ(a) (symbolic)",
        );
      }),
      { implements: ["gibbsScore"] },
    );
  });

  it("[eq 5] negative control: a score without the −πθ term (1ₐ alone) is rejected by the symbolic oracle", (ctx) => {
    const o = symbolicOracles();
    checkProperty(
      ctx,
      fc.property(symbolicInstances(), ({ theta, a }) => {
        const oneHot = Array.from(theta, (_, i) => (i === a ? 1 : 0));
        // it misses by πθ(i) ≥ e^{-8}/5 ≈ 6.7e-5 in every component, far beyond ACCURACY
        expect(mismatch(oneHot, o.get(theta.length)!.score(theta, a), ACCURACY)).not.toBeNull();
      }),
    );
    claim(ctx, "property", { control: true });
  });
});

describe("1.2 Sampling from the Gibbs policy (Monte Carlo, α = 1e-9 per check)", () => {
  // The design (tools.ts, actionLawDesign): 12 draws of θ from the book's scores (2 to 6 actions,
  // |θₐ| ≤ 4), n = 10,000 sampled actions at each, α/12 per draw. DKW: ε = √(ln(2.4e10)/20,000) = 0.0346;
  // a sampler whose CDF over action indices is Δ ≥ ε + √(ln(1e9)/20,000) = 0.0668 from πθ's at any one
  // draw fails with probability ≥ 1 − 1e-9. The claim and its controls share the 12 draws of θ.
  const DRAWS = 12;
  const N = 10_000;
  const design = actionLawDesign(DRAWS, N);
  const thetas = (): Float64Array[] =>
    fc.sample(scores(), { seed: seed32(derive(masterSeed(), "1.2-gibbs", "sampler θ draws")) | 0, numRuns: DRAWS });

  /** The book's own inverse-CDF sampler of a law p (independent of the implementation). */
  const sampler = (p: number[]) => {
    const f = cdf(p);
    return (rng: Rng): number => {
      const u = rng();
      for (let i = 0; i < f.length - 1; i++) if (u < f[i]) return i;
      return f.length - 1;
    };
  };

  /** A control sampler at each θ: its draws from its own stream, and the exact law q of what it returns. */
  function control(
    seed: string,
    wrong: (theta: Float64Array, p: number[]) => { sample: (rng: Rng) => number; q: number[] },
  ): (ActionSample & { q: number[] })[] {
    const rng = stream(seed);
    return thetas().map((theta) => {
      const p = softmax(theta);
      const w = wrong(theta, p);
      return { theta, p, q: w.q, actions: Array.from({ length: N }, () => w.sample(rng)) };
    });
  }

  it("[eq 2] sampleAction draws each action with probability πθ(a), at each of 12 random θ (DKW bound on the CDF over actions)", (ctx) => {
    claim(ctx, "monte-carlo", {
      implements: ["sampleAction"],
      facts: { "eq2.sampler.thetaDraws": DRAWS, "eq2.sampler.actionsPerTheta": N },
    });
    expect(design.detectable).toBeLessThan(0.067); // the design stated above
    const rng = testRng(ctx);
    const ths = thetas();
    // the 120,000 calls cross to the implementation in one batch (the same results as a loop)
    const all = callMany(
      "sampleAction",
      ths.flatMap((theta) => Array.from({ length: N }, () => [theta, rng] as [Float64Array, Rng])),
    );
    const samples = ths.map((theta, j) => ({ theta, p: softmax(theta), actions: all.slice(j * N, (j + 1) * N) }));
    expectActionLaw(ctx, samples, design, "sampleAction");
  });

  it("[eq 2] negative control: a sampler returning the drawn action's position in the actions sorted by decreasing πθ is rejected", (ctx) => {
    // at θ already in decreasing order (e.g. (1, 0, −1)) it is right; at a random θ it permutes the actions
    const samples = control(testSeed(ctx), (_t, p) => {
      const order = p.map((_, i) => i).sort((i, j) => p[j] - p[i]);
      const rank = new Array<number>(p.length);
      order.forEach((a, r) => (rank[a] = r));
      const draw = sampler(p);
      return { sample: (rng) => rank[draw(rng)], q: order.map((a) => p[a]) };
    });
    expectActionLawRejected(ctx, samples, design, "sorted-position");
  });

  it("[eq 2] negative control: an off-by-one sampler (the action after the one drawn, cyclically) is rejected", (ctx) => {
    const samples = control(testSeed(ctx), (_t, p) => {
      const draw = sampler(p);
      return { sample: (rng) => (draw(rng) + 1) % p.length, q: p.map((_, b) => p[(b + p.length - 1) % p.length]) };
    });
    expectActionLawRejected(ctx, samples, design, "off-by-one");
  });

  it("[eq 2] negative control: a sampler at temperature 2 (πθ/2) is rejected", (ctx) => {
    const samples = control(testSeed(ctx), (theta) => {
      const q = softmax(Float64Array.from(theta, (x) => x / 2));
      return { sample: sampler(q), q };
    });
    expectActionLawRejected(ctx, samples, design, "tempered");
  });
});
