/**
 * Section 3.2, slow tier: REINFORCE trains the windowed language model on the reverse task. Held-out
 * success is measured exactly (the probability of the accepted answer, averaged over held-out prompts)
 * by the book's own tool from the θ each run returns.
 */
import { describe, expect, it } from "vitest";
import type { LmModel, LmTrainConfig } from "../../src/contract/chapter4.ts";
import { exactSuccess } from "../../src/lm/exact.ts";
import { pairedRun, TRAINING, trainingConfig, trainingTask } from "../../src/lm/experiments.ts";
import { substream, type Rng } from "../../src/random.ts";
import { binomialCdf, binomialSf, binomialUpperCritical } from "../../src/stats/binomial.ts";
import { claim, testSeed } from "../support/claim.ts";
import { callMany, impl } from "../support/impl.ts";
import { ALPHA, BETA, expectRate } from "../support/stat.ts";

const task = trainingTask();
const policyOf = (model: LmModel, theta: Float64Array) => (w: number[]) => impl.lmPolicy(model, theta, w);
const success = (theta: Float64Array) => exactSuccess(policyOf(task.model, theta), task.heldOut, task.answer);

/**
 * The negative control: the same loop as trainLm, built from the contract's parts, except that each
 * response is credited with the reward of the NEXT response of its group. Its expected update is zero
 * (exact check in 3.2-language-models.spec.ts), so it cannot learn.
 */
function wrongEpisodeTrainer(config: LmTrainConfig, rng: Rng): number | null {
  const { model } = task;
  const G = config.groupSize;
  const theta = impl.trainLm({ ...config, episodes: 0 }, rng).theta; // the same θ_0 as a real run
  for (let spent = G; spent <= config.episodes; spent += G) {
    const prompt = task.train[Math.floor(rng() * task.train.length)];
    const ys = callMany("sampleSequence", Array.from({ length: G }, () => [model, theta, prompt, task.length, rng]));
    const r = ys.map((y) => task.reward(prompt, y));
    const adv = impl.groupAdvantages(
      r.map((_, g) => r[(g + 1) % G]),
      "rloo",
    );
    const g = impl.groupGradient(model, theta, prompt, ys, adv);
    for (let i = 0; i < theta.length; i++) theta[i] += config.stepSize * g[i];
    if (spent % 2000 === 0 && success(theta) >= TRAINING.target) return spent;
  }
  return null;
}

describe("Section 3.2: REINFORCE trains a language model on a verifiable task", () => {
  it("[sec 3.2] with RLOO (G = 4, α = 0.4), held-out success rises from ≤ 5% to ≥ 95% within 60,000 episodes in at least 90% of seeds; a trainer crediting the wrong episode is rejected", (ctx) => {
    const seed = testSeed(ctx);
    const m = 20;
    let reached = 0;
    let initialMax = 0;
    const used: number[] = [];
    for (let i = 0; i < m; i++) {
      const cfg = trainingConfig(task, "rloo");
      const theta0 = impl.trainLm({ ...cfg, episodes: 0 }, substream(seed, "run", i)).theta;
      const s0 = success(theta0);
      initialMax = Math.max(initialMax, s0);
      expect(s0).toBeLessThanOrEqual(0.05);
      const res = impl.trainLm(cfg, substream(seed, "run", i));
      if (res.episodesToTarget !== null) {
        expect(res.episodesToTarget).toBeLessThanOrEqual(TRAINING.budget);
        // the returned θ is measured by the book's tool, not by the trainer's own report
        expect(success(res.theta)).toBeGreaterThanOrEqual(TRAINING.target);
        reached++;
        used.push(res.episodesToTarget);
      }
    }
    used.sort((a, b) => a - b);
    claim(ctx, "monte-carlo", {
      implements: ["trainLm", "lmPolicy"],
      facts: { initialSuccessMax: initialMax, medianEpisodes: used[used.length >> 1] ?? -1, maxEpisodes: used[used.length - 1] ?? -1 },
    });
    // "the rate of reaching 95% within the budget is at least 0.9": rejected only if so few runs
    // reach it that Binomial(20, 0.9) makes that count less likely than α
    expectRate(ctx, reached, m, 0.9, "at-least", { label: "reached" });

    // negative control: the same check must reject the wrong-episode trainer. With m = 10 runs and
    // none reaching, P(Binomial(10, 0.9) ≤ 0) = 1e-10 < α; the control's miss rate counts as β.
    const mc = 10;
    let controlReached = 0;
    for (let i = 0; i < mc; i++) if (wrongEpisodeTrainer(trainingConfig(task, "rloo"), substream(seed, "control", i)) !== null) controlReached++;
    const p = binomialCdf(controlReached, mc, 0.9);
    claim(ctx, "monte-carlo", { control: true, beta: BETA, facts: { "control.reached": controlReached, "control.runs": mc, "control.pValue": p } });
    expect(p).toBeLessThan(ALPHA);
  });

  it("[sec 3.2] with a baseline the budget needed is smaller than without: RLOO beats plain REINFORCE in a paired sign test over 60 seeds (α = 1e-9)", (ctx) => {
    const seed = testSeed(ctx);
    const m = 60;
    let wins = 0;
    const rloo: number[] = [];
    let plainReachedFirst = 0;
    for (let i = 0; i < m; i++) {
      const o = pairedRun(seed, i, "rloo", (c, r) => impl.trainLm(c, r), task);
      if (o.win) wins++;
      if (o.withBaseline !== null) rloo.push(o.withBaseline);
      if (o.without !== null) plainReachedFirst++;
    }
    rloo.sort((a, b) => a - b);
    // H0: the baseline run needs fewer episodes with probability ≤ 1/2 (ties count against it).
    // Reject H0 when P(Binomial(60, 1/2) ≥ wins) ≤ α, i.e. wins ≥ the critical count.
    const critical = binomialUpperCritical(m, 0.5, ALPHA);
    const p = binomialSf(wins, m, 0.5);
    claim(ctx, "monte-carlo", {
      implements: ["trainLm"],
      runs: 2 * m,
      alpha: ALPHA,
      facts: { wins, pairs: m, critical, pValue: p, rlooMedian: rloo[rloo.length >> 1] ?? -1, plainReachedFirst },
    });
    expect(wins).toBeGreaterThanOrEqual(critical);
  });
});
