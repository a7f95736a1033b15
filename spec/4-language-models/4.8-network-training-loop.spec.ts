/**
 * Chapter 4, "Pretraining, then reinforcement" (notes §3.2, eqs. (29)–(30)): the book's two training stages
 * for the transformer do what the chapter says, update by update. One REINFORCE update is θ + α·ĝ with
 * ĝ = (1/G) Σ_g A_g Σ_t ∇θ ln πθ(A_t | S_t) on the responses it drew; one pretraining step is Adam's step
 * along the batch's mean sequence score. The loops are the book's (`referenceTraining`); the draws are
 * replayed here with the seam's `netPolicy` and the update is assembled from the seam's `netSequenceScore`
 * and `groupAdvantages`, so each side is computed by different code. The corpus of stage one is checked to
 * be what the chapter describes.
 */
import { describe, expect, it } from "vitest";
import type { NetShape } from "../../src/contract/chapter4.ts";
import { categorical, substream } from "../../src/contract/random.ts";
import { sortCorpus, sortTask } from "../../measure/language-models/sort-task.ts";
import { NETWORK, reinforceConfig } from "../../measure/language-models/network-experiments.ts";
import { expectClose } from "../../measure/close.ts";
import { claim, testSeed } from "../support/claim.ts";
import { impl, referenceTraining } from "../support/impl.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { BOTH } from "./tools.ts";

const training = await referenceTraining();
/** A small network over the chapter's task with six symbols (V = 9, N = 8): every window is the task's. */
const shape: NetShape = { vocab: 9, window: 8, width: 4, hidden: 5, layers: 2 };
const task = sortTask(6, 8, 0, "reverse");
/**
 * The update checks' verifier: reward 1 when the response's tokens sum to an even number. Early in training the
 * task's own verdict is 0 for every response, every advantage is then 0 and an update would not depend on the
 * scores at all; this one rewards about half the responses, so the advantages are non-zero and the update reads
 * the scores.
 */
const graded = {
  ...task,
  reward: (_p: ArrayLike<number>, t: ArrayLike<number>) => (Array.from(t).reduce((a, b) => a + b, 0) % 2 === 0 ? 1 : 0),
};

/** The responses a loop drew from θ, replayed: the prompt index, then each token from πθ(· | S_t). */
function replayGroup(theta: Float64Array, rng: () => number, G: number): { prompt: number[]; responses: number[][] } {
  const prompt = task.train[Math.floor(rng() * task.train.length)];
  const responses: number[][] = [];
  for (let g = 0; g < G; g++) {
    let w = prompt.slice();
    const r: number[] = [];
    for (let t = 0; t < task.length; t++) {
      r.push(categorical(rng, impl.netPolicy(shape, theta, w)));
      w = [...w.slice(1), r[t]];
    }
    responses.push(r);
  }
  return { prompt, responses };
}

describe("4.8 The network's training loops", () => {
  it("[eq 29] [sec 3.2] one REINFORCE update of the network is θ + α·(1/G)Σ_g A_g Σ_t ∇θ ln πθ(A_t|S_t) on the responses it drew, for each baseline", (ctx) => {
    // declared first, so that a failure is still graded as this check's (the grader keeps only checks that name the
    // functions they exercise)
    claim(ctx, "exact", { implements: ["netSequenceScore", "netPolicy", "groupAdvantages"] });
    const seed = testSeed(ctx);
    for (const baseline of ["none", "rloo", "normalized"] as const) {
      const theta0 = training.initNetwork(shape, substream(seed, baseline, "theta"), 0.7);
      const G = 4;
      const alpha = 0.3;
      const cfg = reinforceConfig(baseline, graded, {
        shape,
        groupSize: G,
        stepSize: alpha,
        optimizer: "sgd",
        episodes: 2 * G,
        evalEvery: 2 * G,
        target: undefined,
      });
      const res = training.netReinforce(cfg, theta0, substream(seed, baseline, "run"));
      // the same two updates, replayed and assembled from the seam's functions
      const rng = substream(seed, baseline, "run");
      const want = Float64Array.from(theta0);
      let rewardsSoFar: number[] = [];
      for (let u = 0; u < 2; u++) {
        const { prompt, responses } = replayGroup(want, rng, G);
        const rewards = responses.map((r) => graded.reward(prompt, r));
        const running = rewardsSoFar.length ? rewardsSoFar.reduce((a, b) => a + b) / rewardsSoFar.length : 0;
        const adv = impl.groupAdvantages(rewards, baseline, running);
        const step = new Float64Array(want.length);
        responses.forEach((r, g) => {
          const s = impl.netSequenceScore(shape, want, prompt, r);
          for (let i = 0; i < step.length; i++) step[i] += (adv[g] * s[i]) / G;
        });
        for (let i = 0; i < want.length; i++) want[i] += alpha * step[i];
        rewardsSoFar = [...rewardsSoFar, ...rewards];
      }
      // the updates moved θ (a check of the check: with all advantages 0 it would compare θ₀ with itself)
      expect(Math.max(...want.map((x, i) => Math.abs(x - theta0[i])))).toBeGreaterThan(1e-3);
      expectClose(res.theta, want, BOTH, `θ after two ${baseline} updates`);
      expect(res.episodes).toEqual([0, 2 * G]);
    }
  });

  it("[sec 3.2] one pretraining step is Adam's step along the batch's mean sequence score Σ_t ∇θ ln πθ(A_t|S_t)", (ctx) => {
    claim(ctx, "exact", { implements: ["netSequenceScore", "netSequenceLogProb"] });
    const seed = testSeed(ctx);
    const theta0 = training.initNetwork(shape, substream(seed, "theta"));
    const corpus = sortCorpus(task, 0.1);
    const batch = 5;
    const rate = 0.01;
    const res = training.pretrain({ shape, corpus, steps: 1, batch, rate }, theta0, substream(seed, "corpus"));
    const rng = substream(seed, "corpus");
    const g = new Float64Array(theta0.length);
    let nll = 0;
    for (let b = 0; b < batch; b++) {
      const ex = corpus(rng);
      const s = impl.netSequenceScore(shape, theta0, ex.prompt, ex.tokens);
      for (let i = 0; i < g.length; i++) g[i] += s[i] / batch;
      nll -= impl.netSequenceLogProb(shape, theta0, ex.prompt, ex.tokens);
    }
    // Adam's first step (β₁ = 0.9, β₂ = 0.999, ε = 1e-8): m̂ = g, v̂ = g², so each θᵢ moves by rate·gᵢ/(|gᵢ| + ε)
    const want = Float64Array.from(theta0, (x, i) => x + (rate * g[i]) / (Math.abs(g[i]) + 1e-8));
    expectClose(res.theta, want, { rel: 1e-9, abs: 1e-9 }, "θ after one pretraining step");
    expect(res.loss[0]).toBeCloseTo(nll / (batch * task.length), 9);
  });

  it("[sec 3.2] the pretraining corpus restates a training prompt's symbols, in the accepted order with probability q + (1 − q)/6; a corpus that never sorts on purpose (q = 0) is rejected", (ctx) => {
    const seed = testSeed(ctx);
    const q = NETWORK.pretrain.correctShare;
    const n = 20_000;
    const heldSets = new Set(task.heldOut.map((p) => p.slice(4, 7).sort().join()));
    const draw = (share: number, label: string) => {
      const corpus = sortCorpus(task, share);
      const rng = substream(seed, label);
      const hits = new Float64Array(n);
      let malformed = 0;
      for (let i = 0; i < n; i++) {
        const { prompt, tokens } = corpus(rng);
        // a training prompt, answered by a reordering of its own symbols, then END
        const set = prompt.slice(4, 7).sort().join();
        if (heldSets.has(set) || tokens.slice(0, 3).sort().join() !== set || tokens[3] !== 0) malformed++;
        hits[i] = task.reward(prompt, tokens);
      }
      expect(malformed, "examples that are not a training prompt's symbols reordered, then END").toBe(0);
      return hits;
    };
    const target = q + (1 - q) / 6;
    expectMean(ctx, draw(q, "corpus"), target, { width: 1, label: "ch4.network.corpus" });
    // the control: the same generator with q = 0 answers correctly only by a lucky shuffle, 1/6 of the time
    expectRejected(ctx, draw(0, "control"), target, 1 / 6 - target, { width: 1, label: "ch4.network.corpusControl" });
    claim(ctx, "monte-carlo", { facts: { "ch4.network.corpus.acceptedShare": target } });
  });
});
