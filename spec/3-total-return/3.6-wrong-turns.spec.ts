/**
 * Chapter 3, §3.6 "Wrong turns the checks catch" (notes §3.1): wrong estimators with their exact biases, the
 * moment recursions behind the slow tier's variances, and the sampler checked with the estimator by Monte Carlo.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactMoments } from "../../measure/total-return/enumerate.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { claim, testRng } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { stream } from "../../src/contract/random.ts";
import { callMany, impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { expectMeanVector, expectRejected } from "../support/stat.ts";
import {
  dim,
  enumerate,
  immediateRewardTerm,
  layeredProblem,
  secondMoments,
  norm,
  returnFrom,
  scoreSum,
} from "./tools.ts";

describe("3.6 Negative controls: wrong estimators, each with its bias computed", () => {
  it("[eq 29] a reward-to-go that starts one step late (omits R_{t+1}) is biased by exactly −E[Σ_t r(S_t, A_t) ∇ln π]", (ctx) => {
    claim(ctx, "exact", { implements: ["expectedUpdate"], control: true });
    // On stop-or-play (uniform policy) the dropped term is the whole signal of "stop" (its reward comes at once)
    for (const problem of [stopOrPlay(4), repeatedChoice(3)]) {
      const theta = new Float64Array(dim(problem));
      const late = exactMoments(enumerate(problem, theta), (ep) =>
        scoreSum(problem, theta, ep, (t) => returnFrom(ep, t + 1)),
      );
      const g = impl.expectedUpdate(problem, theta);
      const bias = immediateRewardTerm(problem, theta);
      expectClose(
        late.mean,
        Float64Array.from(g, (x, i) => x - bias[i]),
        ACCURACY,
        "E[late reward-to-go]",
      );
      expect(norm(bias)).toBeGreaterThan(0.1);
      claim(ctx, "exact", { facts: { [`${problem.mdp.stateNames?.[0]}.lateStart.biasNorm`]: norm(bias) } });
    }
  });

  it("[eq 30] a baseline that depends on the action (peeks at R_{t+1}) is biased; the same bias over random instances", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        // Σ_t (Ĝ_t − R_{t+1}) ∇ln π: the "baseline" R_{t+1} = r(S_t, A_t) depends on A_t
        const peek = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => returnFrom(ep, t) - ep.rewards[t]));
        const g = impl.expectedUpdate(problem, theta);
        const bias = immediateRewardTerm(problem, theta);
        expectClose(
          peek.mean,
          Float64Array.from(g, (x, i) => x - bias[i]),
          ACCURACY,
          "E[peeking baseline]",
        );
      }),
      { implements: ["expectedUpdate"] },
    );
    // and the bias is not zero on the chapter's example: |b| = 0.25 on stop-or-play (derived: stop pays 1, play 0.5 …)
    const problem = stopOrPlay(4);
    const bias = immediateRewardTerm(problem, new Float64Array(4));
    // t-th decision is reached with probability 2^{-t}; ∂/∂θ_stop of Σ_a π r = π(1−π)(1 − 0.5) = 1/8 per visit:
    // Σ_{t<4} 2^{-t}/8 = (15/8)/8 = 15/64 on θ_stop, −15/64 on θ_play, 0 in "done": norm 15√2/64
    expectClose(norm(bias), (15 * Math.SQRT2) / 64, ACCURACY, "‖bias‖");
    claim(ctx, "property", { control: true, facts: { "stopOrPlay.peek.biasNorm": norm(bias) } });
  });
});

describe("3.6 Variance without enumeration: moment recursions (checked here, used in the slow tier)", () => {
  it("[eq 29] [eq 30] on small layered problems, E‖ĝ‖² of the estimators under test equals the forward–backward moment recursions", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (seed, K, A, T) => {
          const rng = stream(`layered/${seed}`);
          const problem = layeredProblem(rng, K, A, T);
          const theta = Float64Array.from({ length: problem.mdp.P.length * A }, () => 4 * rng() - 2);
          const list = enumerate(problem, theta);
          const { V } = impl.timeIndexedValues(problem, theta);
          const second = (f: (ep: { states: number[]; actions: number[]; rewards: number[] }) => ArrayLike<number>) => {
            const m = exactMoments(list, f);
            return m.totalVariance + norm(m.mean) ** 2;
          };
          const want = secondMoments(problem, theta);
          expectClose(
            second((ep) => impl.reinforceFullReturn(problem, theta, ep)),
            want.full,
            ACCURACY,
            "E‖ĝ‖² (full return)",
          );
          expectClose(
            second((ep) => impl.reinforceRewardToGo(problem, theta, ep)),
            want.rtg,
            ACCURACY,
            "E‖ĝ‖² (reward-to-go)",
          );
          expectClose(
            second((ep) => impl.reinforceBaseline(problem, theta, ep, V)),
            want.vbase,
            ACCURACY,
            "E‖ĝ‖² (V_t baseline)",
          );
        },
      ),
      {
        implements: ["reinforceFullReturn", "reinforceRewardToGo", "reinforceBaseline", "timeIndexedValues"],
        numRuns: 40,
      },
    );
  });
});

describe("3.6 Monte Carlo: the sampler and the estimator together", () => {
  it("[eq 29] sampleEpisode draws well-formed episodes: possible transitions, R_{t+1} = r(S_t, A_t), T steps or a stop at a terminal state", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        problemArb({ maxS: 4, maxA: 3, maxT: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ({ problem, theta }, seed) => {
          const rng = stream(`sample/${seed}`);
          const term = new Set(problem.terminal ?? []);
          for (let k = 0; k < 20; k++) {
            const ep = impl.sampleEpisode(problem, theta, rng);
            const n = ep.actions.length;
            expect(ep.states).toHaveLength(n + 1);
            expect(ep.rewards).toHaveLength(n);
            expect(problem.initial[ep.states[0]]).toBeGreaterThan(0);
            for (let t = 0; t < n; t++) {
              expect(term.has(ep.states[t])).toBe(false);
              expect(ep.rewards[t]).toBe(problem.mdp.r[ep.states[t]][ep.actions[t]]);
              expect(problem.mdp.P[ep.states[t]][ep.actions[t]][ep.states[t + 1]]).toBeGreaterThan(0);
            }
            // it ends at the horizon, or earlier exactly when it has entered a terminal state
            expect(n === problem.horizon || term.has(ep.states[n])).toBe(true);
          }
        },
      ),
      { implements: ["sampleEpisode"], numRuns: 50 },
    );
  });

  it("[eq 29] on the checked answer, the mean of 30,000 sampled reward-to-go estimates agrees with ∇J; the printed rollout (no R_T) is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleEpisode", "reinforceRewardToGo", "expectedUpdate"] });
    // Enumerable, but here the claim is about the sampler: episodes drawn by sampleEpisode must make the
    // estimator's average converge to ∇J. θ puts π(correct bit) = 0.8 at each step (logit gap ln 4):
    // J = 0.8³ = 0.512 and ∂J/∂θ_{on2, 1} = J·(1 − 0.8) = 0.1024.
    const problem = checkedAnswer();
    const theta = new Float64Array(12);
    theta[1] = theta[2] = theta[5] = Math.log(4); // on0 → 1, on1 → 0, on2 → 1
    const g = impl.expectedUpdate(problem, theta);
    expectClose(g[5], 0.1024, ACCURACY, "∂J/∂θ_{on2, 1}");
    const n = 30_000;
    const rng = testRng(ctx, "episodes");
    // the calls of a loop (sampleEpisode, then reinforceRewardToGo) in batches: only sampleEpisode draws
    // from rng, so the stream advances exactly as in the loop
    const eps = callMany(
      "sampleEpisode",
      Array.from({ length: n }, () => [problem, theta, rng]),
    );
    const rows = callMany(
      "reinforceRewardToGo",
      eps.map((ep) => [problem, theta, ep]),
    );
    const printed = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ep = eps[k];
      // the printed rollout R_{t+1}, …, R_{T−1} ignores R_T, the only reward: every estimate is 0, bias −0.1024
      printed[k] = scoreSum(problem, theta, ep, (t) => returnFrom(ep, t, problem.horizon - 1))[5];
    }
    // each state is visited at most once and Ĝ_t ∈ {0, 1}, so every component lies in [−1, 1]: width 2
    expectMeanVector(ctx, rows, g, { width: 2, label: "rewardToGo" });
    expectRejected(ctx, printed, g[5], -g[5], { width: 2, label: "printedRollout" });
  });
});
