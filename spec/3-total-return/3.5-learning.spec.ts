/**
 * Chapter 3, §3.5 "Learning, episode after episode" (notes §3.1): trainEpisodic replayed episode by episode,
 * the learning figures' runs and settings, and what counts as a collapsed run.
 */
import { describe, expect, it } from "vitest";
import { stopOrPlay } from "../../measure/total-return/examples.ts";
import {
  collapsed,
  LEARNING,
  learningCurves,
  learningProblem,
  learningStream,
} from "../../measure/total-return/experiments.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { claim, testSeed } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { stream } from "../../src/contract/random.ts";
import { impl } from "../support/impl.ts";
import {
  chapterSettings,
  everySettingChanged,
  expectChapterSettings,
  uncaughtChanges,
} from "../support/figure-settings.ts";
import { BOTH, returnFrom, scoreSum } from "./tools.ts";

describe("3.5 Episodic REINFORCE: one episode, one update", () => {
  it("[eq 29] [eq 30] trainEpisodic takes θ_{ℓ+1} = θ_ℓ + α ĝ(episode ℓ) and records the exact J(θ_ℓ); replayable from its stream", (ctx) => {
    claim(ctx, "exact", {
      implements: [
        "trainEpisodic",
        "sampleEpisode",
        "reinforceRewardToGo",
        "reinforceFullReturn",
        "reinforceValueBaseline",
        "reinforceBaseline",
        "updateRunningBaseline",
        "timeIndexedValues",
        "totalReturn",
      ],
    });
    const problem = stopOrPlay(4);
    const seed = testSeed(ctx, "train");
    for (const estimator of ["full-return", "reward-to-go", "value-baseline", "running-baseline"] as const) {
      const res = impl.trainEpisodic(
        problem,
        { estimator, episodes: 3, stepSize: 0.5, baselineStep: 0.5 },
        stream(seed),
      );
      // replay the same three episodes by hand: the sampler must draw from the stream exactly as trainEpisodic does
      const rng = stream(seed);
      let theta = new Float64Array(4);
      let b: ArrayLike<number>[] = Array.from({ length: 4 }, () => new Float64Array(2));
      expectClose(res.J[0], impl.totalReturn(problem, theta), BOTH, `${estimator}: J(θ₀)`);
      for (let l = 0; l < 3; l++) {
        const ep = impl.sampleEpisode(problem, theta, rng);
        const g =
          estimator === "full-return"
            ? scoreSum(problem, theta, ep, () => returnFrom(ep, 0))
            : estimator === "reward-to-go"
              ? scoreSum(problem, theta, ep, (t) => returnFrom(ep, t))
              : estimator === "value-baseline"
                ? scoreSum(
                    problem,
                    theta,
                    ep,
                    (t) => returnFrom(ep, t) - impl.timeIndexedValues(problem, theta).V[t][ep.states[t]],
                  )
                : scoreSum(problem, theta, ep, (t) => returnFrom(ep, t) - b[t][ep.states[t]]);
        if (estimator === "running-baseline") b = impl.updateRunningBaseline(b, ep, 0.5);
        theta = theta.map((x, i) => x + 0.5 * g[i]);
        expectClose(res.J[l + 1], impl.totalReturn(problem, theta), BOTH, `${estimator}: J(θ_${l + 1})`);
      }
      expectClose(res.theta, theta, ACCURACY, `${estimator}: θ after 3 episodes`);
    }
  });
});

describe("3.5 The learning figures show checked runs", () => {
  it("[eq 29] [eq 30] the learning figures' runs are trainEpisodic's runs on stop-or-play (T = 8) from the experiment's streams", (ctx) => {
    claim(ctx, "exact", { implements: ["trainEpisodic"] });
    const seed = testSeed(ctx);
    const curves = learningCurves(seed, "value-baseline", 2, impl.trainEpisodic);
    expect(curves).toHaveLength(2);
    const direct = impl.trainEpisodic(
      learningProblem(),
      { estimator: "value-baseline", episodes: LEARNING.episodes, stepSize: LEARNING.stepSize },
      learningStream(seed, "value-baseline", 1),
    );
    expectClose(curves[1], direct.J, ACCURACY, "learning curve of run 1");
    // J(θ₀) for the uniform policy: Σ_{t<8} 2^{−t}·¾ = ¾·(2 − 2^{−7}) ≈ 1.494, which "collapsed" (J < 2) counts
    expectClose(curves[0][0], 0.75 * (2 - 2 ** -7), ACCURACY, "J(θ₀)");
    expect(collapsed(curves[0][0])).toBe(true);
  });

  // the learning experiment's settings, as its figures and its checks run it (measure/total-return/experiments.ts)
  const learningSettings = () => ({
    horizon: learningProblem().horizon,
    episodes: LEARNING.episodes,
    stepSize: LEARNING.stepSize,
    runs: LEARNING.runs,
  });

  it("[eq 29] [eq 30] the learning figures' settings are the chapter's: the `::: figure ch3-learning` and `ch3-collapse` lines state the experiment's horizon, episodes, step size and runs", (ctx) => {
    claim(ctx, "exact");
    const actual = learningSettings();
    const problem = learningProblem();
    // what always playing earns: ½ per step over the whole horizon (play is action 0 of state "playing")
    const alwaysPlay = problem.horizon * problem.mdp.r[0][0];
    claim(ctx, "exact", {
      facts: {
        "ch3.learning.horizon": actual.horizon,
        "ch3.learning.episodes": actual.episodes,
        "ch3.learning.stepSize": actual.stepSize,
        "ch3.learning.runs": actual.runs,
        "ch3.learning.alwaysPlay": alwaysPlay,
      },
    });
    expectChapterSettings(ctx, "03-total-return.md", "ch3-learning", actual);
    expectChapterSettings(ctx, "03-total-return.md", "ch3-collapse", actual);
  });

  it("[eq 29] [eq 30] negative control: the settings check catches a change of any setting of the learning figures", (ctx) => {
    claim(ctx, "exact", { control: true });
    for (const id of ["ch3-learning", "ch3-collapse"]) {
      const stated = chapterSettings(ctx, "03-total-return.md", id);
      if (!stated) return;
      expect(uncaughtChanges(stated.settings, everySettingChanged(stated.settings)), id).toEqual([]);
    }
  });

  it('[eq 30] a learning run "collapses" exactly when its final J is below 2 (stopping within the first two steps of stop-or-play)', (ctx) => {
    claim(ctx, "exact");
    // on stop-or-play, stopping at once earns 1 and playing once then stopping 1.5 (collapsed); playing twice then
    // stopping earns exactly 2 (not collapsed); the best policy on T = 8 plays seven times, then stops: 3.5 + 1 = 4.5
    expect(collapsed(1)).toBe(true);
    expect(collapsed(1.5)).toBe(true);
    expect(collapsed(2 - 2 ** -50)).toBe(true);
    expect(collapsed(2)).toBe(false);
    expect(collapsed(4.5)).toBe(false);
  });
});
