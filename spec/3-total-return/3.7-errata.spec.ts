/**
 * Chapter 3, §3.7 "Where the notes slip" (notes §3.1): the printed forms fail, the corrected forms hold — the
 * time index of Q in (28), the reward-to-go up to R_T in (29), and (30) as the baselined version of (28).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactMoments } from "../../measure/total-return/enumerate.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { BOTH, dim, enumerate, norm, returnFrom, scoreSum, type EpisodicProblem } from "./tools.ts";

describe("3.7 Errata: the printed forms fail, the corrected forms hold", () => {
  it("[eq 28] [erratum q-time-index] (28) with a time-independent Q (Q₀ at every step) is biased where the horizon matters; with Q_t it is exact", (ctx) => {
    claim(ctx, "exact", { implements: ["timeIndexedValues", "update28", "expectedUpdate"], control: true });
    // Stop-or-play, T = 4, uniform policy. Backward induction by hand: Q_t(stop) = 1, Q_t(play) = ½ + V_{t+1},
    // V_4 = 0 → Q_3(play) = ½, V_3 = ¾ → Q_2(play) = 5/4, V_2 = 9/8 → Q_1(play) = 13/8, V_1 = 21/16 → Q_0(play) = 29/16.
    const problem = stopOrPlay(4);
    const theta = new Float64Array(4);
    const { Q } = impl.timeIndexedValues(problem, theta);
    expectClose(
      Array.from(Q, (q) => q[0][0]),
      [29 / 16, 13 / 8, 5 / 4, 1 / 2],
      ACCURACY,
      "Q_t(playing, play)",
    );
    expectClose(
      Array.from(Q, (q) => q[0][1]),
      [1, 1, 1, 1],
      ACCURACY,
      "Q_t(playing, stop)",
    );
    const list = enumerate(problem, theta);
    const g = impl.expectedUpdate(problem, theta);
    // the printed form, read with the whole-horizon Q₀ at every step
    const printed = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => Q[0][ep.states[t]][ep.actions[t]]));
    // bias on θ_play: Σ_t P(S_t = playing)·π(play)·(Q₀ − Q_t)(play)·∂ln π(play) = ¼ Σ_t 2^{−t}(Q₀ − Q_t)(play)
    //   = ¼ (0 + (3/16)/2 + (9/16)/4 + (21/16)/8) = 51/512, and −51/512 on θ_stop
    expectClose(printed.mean, [g[0] + 51 / 512, g[1] - 51 / 512, 0, 0], ACCURACY, "E[(28) with Q₀]");
    const corrected = exactMoments(list, (ep) => impl.update28(problem, theta, ep));
    expectClose(corrected.mean, g, BOTH, "E[update28]");
    claim(ctx, "exact", { facts: { "printed.bias.play": 51 / 512 } });
  });

  it("[eq 29] [erratum reward-to-go-includes-rt] the rollout's rewards must run to R_T: with R_{t+1}, …, R_{T−1} the checked answer gets no signal at all", (ctx) => {
    claim(ctx, "exact", { implements: ["reinforceRewardToGo", "expectedUpdate"], control: true });
    // J = π(1|on0) π(0|on1) π(1|on2) = 1/8 at θ = 0; ∂J/∂θ_{s,a} = ±J/2 = ±1/16 on the target (+) and the other bit (−).
    const problem = checkedAnswer();
    const theta = new Float64Array(12);
    const g = impl.expectedUpdate(problem, theta);
    const want = [-1, 1, 1, -1, -1, 1, 0, 0, 0, 0, 0, 0].map((x) => x / 16);
    expectClose(g, want, ACCURACY, "∇J on the checked answer");
    const list = enumerate(problem, theta);
    const T = problem.horizon;
    // printed list: Q̂_t = R_{t+1} + … + R_{T−1}, i.e. Σ_{k=t}^{T−2} R_{k+1}: zero on every episode here
    const printed = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => returnFrom(ep, t, T - 1)));
    expect(norm(printed.mean)).toBe(0);
    expect(printed.totalVariance).toBe(0);
    const corrected = exactMoments(list, (ep) => impl.reinforceRewardToGo(problem, theta, ep));
    expectClose(corrected.mean, want, ACCURACY, "E[reinforceRewardToGo]");
    // on random instances the printed list is biased by −E[Σ_t R_T ∇ln π(A_t|S_t)] whenever that is non-zero
    claim(ctx, "exact", { facts: { "printed.biasNorm": norm(want) } });
  });

  it("[eq 30] [erratum eq30-means-eq28] (30) is the V_t-baselined version of (28), not of itself, and it has less variance", (ctx) => {
    claim(ctx, "exact", { implements: ["update28", "update30", "timeIndexedValues"] });
    const baselined = (
      problem: EpisodicProblem,
      theta: Float64Array,
      ep: { states: number[]; actions: number[]; rewards: number[] },
      x: Float64Array,
    ) => {
      const { V } = impl.timeIndexedValues(problem, theta);
      const sub = scoreSum(problem, theta, ep, (t) => V[t][ep.states[t]]);
      return Float64Array.from(x, (v, i) => v - sub[i]);
    };
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        for (const { episode } of enumerate(problem, theta).slice(0, 30)) {
          const u28 = impl.update28(problem, theta, episode);
          const u30 = impl.update30(problem, theta, episode);
          // corrected: baselining (28) with V_t gives (30), episode by episode
          expectClose(baselined(problem, theta, episode, u28), u30, BOTH, "update28 − Σ_t V_t ∇ln π against update30");
        }
      }),
      { implements: ["update28", "update30"] },
    );
    // printed: "the baselined version of (30)" would subtract V_t once more, which is not (30) — on stop-or-play
    // the first episode (play, play, play, play) differs by Σ_t V_t(playing)·½ ≠ 0
    const problem = stopOrPlay(4);
    const theta = new Float64Array(4);
    const ep = enumerate(problem, theta)[0].episode;
    expect(ep.actions).toEqual([0, 0, 0, 0]);
    const u30 = impl.update30(problem, theta, ep);
    const twice = baselined(problem, theta, ep, u30);
    // Σ_t V_t(playing)·∂_play ln π(play) = ½(45/32 + 21/16 + 9/8 + 3/4) = ½·147/32 = 147/64
    expectClose(twice[0] - u30[0], -147 / 64, BOTH, "the second subtraction of V_t");
    // "more efficient": exact variances of (30) below those of (28) on the chapter's examples
    for (const p of [repeatedChoice(3), stopOrPlay(4), checkedAnswer()]) {
      const th = new Float64Array(dim(p));
      const list = enumerate(p, th);
      const v28 = exactMoments(list, (e) => impl.update28(p, th, e)).totalVariance;
      const v30 = exactMoments(list, (e) => impl.update30(p, th, e)).totalVariance;
      expect(v30).toBeLessThan(v28);
      claim(ctx, "exact", {
        facts: { [`${p.mdp.stateNames?.[0]}.var28`]: v28, [`${p.mdp.stateNames?.[0]}.var30`]: v30 },
      });
    }
  });
});
