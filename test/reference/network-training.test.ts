/**
 * Unit tests of the network's training loops (src/language-models/network/): Adam's step against the
 * paper's formulas worked by hand, one pretraining step and one REINFORCE update against the same update
 * assembled here from the scores, and the loops' bookkeeping.
 */
import { describe, expect, it } from "vitest";
import { categorical, substream } from "../../src/contract/random.ts";
import { groupAdvantages, type GroupBaseline } from "../../src/language-models/advantages.ts";
import { adamAscend, adamState } from "../../src/language-models/network/adam.ts";
import { initNetwork } from "../../src/language-models/network/init.ts";
import { netPolicy } from "../../src/language-models/network/forward.ts";
import { pretrain } from "../../src/language-models/network/pretrain.ts";
import { netReinforce, netSuccess } from "../../src/language-models/network/reinforce.ts";
import {
  netSampleSequence,
  netSampleTraced,
  netSequenceLogProb,
  netSequenceScore,
} from "../../src/language-models/network/score.ts";
import { netLayout, netParamCount } from "../../src/language-models/network/shape.ts";
import { nextWindow } from "../../src/language-models/model.ts";
import { sortCorpus, sortTask } from "../../measure/language-models/sort-task.ts";
import { decodeTheta, encodeTheta, medianEpisodes } from "../../measure/language-models/network-experiments.ts";

const shape = { vocab: 9, window: 8, width: 3, hidden: 4, layers: 2 };
const task = sortTask(6, 8, 0, "reverse");
const parityReward = (_p: ArrayLike<number>, t: ArrayLike<number>) => (t[0] + t[1]) % 2;
const parityTask = { ...task, reward: parityReward };

describe("Adam", () => {
  it("takes the paper's first two steps (worked by hand)", () => {
    const theta = Float64Array.from([1, -2]);
    const st = adamState(2);
    // step 1, g = (0.5, −4): m = 0.1g, v = 0.001g², m̂ = g, v̂ = g², so θ += rate·g/(|g| + ε) = rate·sign(g)
    adamAscend(theta, [0.5, -4], st, { rate: 0.1, epsilon: 0 });
    expect(theta[0]).toBeCloseTo(1.1, 14);
    expect(theta[1]).toBeCloseTo(-2.1, 14);
    // step 2, g = (1, 0): m = (0.09·0.5 + 0.1, 0.9·(−0.4)) = (0.145, −0.36); v = (0.999·0.00025 + 0.001, 0.999·0.016)
    adamAscend(theta, [1, 0], st, { rate: 0.1, epsilon: 0 });
    const c1 = 1 - 0.9 ** 2;
    const c2 = 1 - 0.999 ** 2;
    const step = (m: number, v: number) => (0.1 * (m / c1)) / Math.sqrt(v / c2);
    expect(theta[0]).toBeCloseTo(1.1 + step(0.145, 0.999 * 0.00025 + 0.001), 14);
    expect(theta[1]).toBeCloseTo(-2.1 + step(-0.36, 0.999 * 0.016), 14);
    expect(st.steps).toBe(2);
  });

  it("uses the default constants β₁ = 0.9, β₂ = 0.999, ε = 1e-8", () => {
    const theta = new Float64Array(1);
    const st = adamState(1);
    adamAscend(theta, [2], st, { rate: 1 });
    expect(st.m[0]).toBeCloseTo(0.2, 15);
    expect(st.v[0]).toBeCloseTo(0.004, 15);
    expect(theta[0]).toBeCloseTo(2 / (2 + 1e-8), 15);
  });
});

describe("network initialization", () => {
  it("draws matrices at scale/√cols and embeddings at scale, leaves biases at zero", () => {
    const big = { vocab: 16, window: 8, width: 16, hidden: 32, layers: 2 };
    const theta = initNetwork(big, substream("init-test"), 2);
    for (const b of netLayout(big).blocks) {
      const xs = theta.subarray(b.offset, b.offset + b.rows * b.cols);
      const rms = Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
      if (b.cols === 1) expect(rms, b.name).toBe(0);
      else {
        const want = b.name.endsWith("Embed") ? 2 : 2 / Math.sqrt(b.cols);
        // ≥ 128 draws per block: the sample RMS is within 25% of σ far beyond any seed's chance
        expect(Math.abs(rms / want - 1), b.name).toBeLessThan(0.25);
      }
    }
  });
});

describe("pretraining", () => {
  it("one step ascends the batch's summed token scores by Adam, as assembled here", () => {
    const theta0 = initNetwork(shape, substream("pre-0"));
    const corpus = sortCorpus(task, 0.5);
    const res = pretrain({ shape, corpus, steps: 1, batch: 3, rate: 0.01 }, theta0, substream("pre-1"));
    // the same draws, the same step, by hand
    const rng = substream("pre-1");
    const g = new Float64Array(theta0.length);
    let nll = 0;
    for (let b = 0; b < 3; b++) {
      const ex = corpus(rng);
      const s = netSequenceScore(shape, theta0, ex.prompt, ex.tokens);
      for (let i = 0; i < g.length; i++) g[i] += s[i] / 3;
      nll -= netSequenceLogProb(shape, theta0, ex.prompt, ex.tokens);
    }
    const want = Float64Array.from(theta0);
    adamAscend(want, g, adamState(want.length), { rate: 0.01 });
    for (let i = 0; i < want.length; i++) expect(res.theta[i]).toBeCloseTo(want[i], 12);
    expect(res.loss).toHaveLength(1);
    expect(res.loss[0]).toBeCloseTo(nll / 12, 12);
    expect(theta0).toEqual(initNetwork(shape, substream("pre-0"))); // θ₀ untouched
  });

  it("lowers the corpus's loss over a few hundred steps", () => {
    const res = pretrain(
      { shape, corpus: sortCorpus(task, 0.5), steps: 300, batch: 4, rate: 0.01 },
      initNetwork(shape, substream("pre-2")),
      substream("pre-3"),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(res.loss.slice(-50))).toBeLessThan(0.8 * mean(res.loss.slice(0, 50)));
  });
});

describe("REINFORCE on the network", () => {
  it("one SGD update is θ + α·(1/G)Σ A_g·score_g on the draws it made, replayed here", () => {
    const theta0 = initNetwork(shape, substream("rl-0"));
    const G = 3;
    // the parity verifier rewards about half the responses (the task's own verdict is 0 for all of them at θ₀,
    // which would make every advantage 0 and the update independent of the scores)
    const cfg = parityConfig("rloo", G, 0.5, "sgd");
    const res = netReinforce(cfg, theta0, substream("rl-1"));
    let adv: Float64Array = new Float64Array(G);
    const u = replayUpdate(theta0, substream("rl-1"), G, parityReward, (r) => (adv = groupAdvantages(r, "rloo")));
    expect(adv.some((a) => a !== 0)).toBe(true);
    const want = theta0.map((x, i) => x + 0.5 * u.gHat[i]);
    for (let i = 0; i < want.length; i++) expect(res.theta[i]).toBeCloseTo(want[i], 12);
    expect(res.episodes).toEqual([0, G]);
    expect(res.success[1]).toBeCloseTo(netSuccess(shape, task, res.theta), 14);
    expect(theta0).toEqual(initNetwork(shape, substream("rl-0")));
  });

  it("several prompts per update average their groups; it stops at the target and within the budget", () => {
    const theta0 = initNetwork(shape, substream("rl-2"));
    const base = { shape, task, baseline: "none" as const, groupSize: 2, stepSize: 1e-3, optimizer: "adam" as const };
    const res = netReinforce({ ...base, prompts: 2, episodes: 10, evalEvery: 4 }, theta0, substream("rl-3"));
    // updates of 4 episodes: 2 fit in 10; success measured after each (every 4)
    expect(res.episodes).toEqual([0, 4, 8]);
    expect(res.episodesToTarget).toBeNull();
    const now = netSuccess(shape, task, theta0);
    const hit = netReinforce({ ...base, episodes: 100, evalEvery: 2, target: now / 2 }, theta0, substream("rl-4"));
    expect(hit.episodesToTarget).toBe(0);
    expect(hit.episodes).toEqual([0]);
  });

  /** The draws of one update replayed here: a prompt, G responses at θ, their verdicts and ĝ = (1/G)Σ A_g·score_g. */
  function replayUpdate(
    theta: Float64Array,
    rng: () => number,
    G: number,
    reward: (p: ArrayLike<number>, t: ArrayLike<number>) => number,
    advantages: (rewards: number[]) => Float64Array,
  ): { rewards: number[]; gHat: Float64Array } {
    const prompt = task.train[Math.floor(rng() * task.train.length)];
    const responses: number[][] = [];
    for (let g = 0; g < G; g++) {
      let w = prompt;
      const r: number[] = [];
      for (let t = 0; t < task.length; t++) {
        r.push(categorical(rng, netPolicy(shape, theta, w)));
        w = nextWindow(w, r[t]);
      }
      responses.push(r);
    }
    const rewards = responses.map((r) => reward(prompt, r));
    const adv = advantages(rewards);
    const gHat = new Float64Array(theta.length);
    for (let g = 0; g < G; g++) {
      const s = netSequenceScore(shape, theta, prompt, responses[g]);
      for (let i = 0; i < gHat.length; i++) gHat[i] += (adv[g] * s[i]) / G;
    }
    return { rewards, gHat };
  }
  /** One update of G episodes, judged by the parity verifier (see the first test), measured after it. */
  function parityConfig(baseline: GroupBaseline, G: number, stepSize: number, optimizer: "sgd" | "adam") {
    return { shape, task: parityTask, baseline, groupSize: G, stepSize, optimizer, episodes: G, evalEvery: G };
  }

  it("the running baseline of the second update is the mean verdict of every episode before it", () => {
    const theta0 = initNetwork(shape, substream("rl-run-0"));
    const G = 4;
    const cfg = parityConfig("running", G, 0.5, "sgd");
    const one = netReinforce({ ...cfg, episodes: G }, theta0, substream("rl-run-1"));
    const two = netReinforce({ ...cfg, episodes: 2 * G }, theta0, substream("rl-run-1"));
    const rng = substream("rl-run-1");
    // first update: nothing seen yet, B = 0
    const u1 = replayUpdate(theta0, rng, G, parityReward, (r) => groupAdvantages(r, "running", 0));
    const theta1 = theta0.map((x, i) => x + 0.5 * u1.gHat[i]);
    for (let i = 0; i < theta1.length; i++) expect(one.theta[i]).toBeCloseTo(theta1[i], 12);
    // second update: B = the mean of the first group's G verdicts
    const B = u1.rewards.reduce((a, b) => a + b, 0) / G;
    expect(B).toBeGreaterThan(0);
    expect(B).toBeLessThan(1);
    const u2 = replayUpdate(theta1, rng, G, parityReward, (r) => groupAdvantages(r, "running", B));
    for (let i = 0; i < theta1.length; i++) expect(two.theta[i]).toBeCloseTo(theta1[i] + 0.5 * u2.gHat[i], 12);
    expect(two.episodes).toEqual([0, G, 2 * G]);
  });

  it("with Adam, one update is Adam's first step along the same ĝ", () => {
    const theta0 = initNetwork(shape, substream("rl-adam-0"));
    const G = 3;
    const cfg = parityConfig("rloo", G, 0.01, "adam");
    const res = netReinforce(cfg, theta0, substream("rl-adam-1"));
    const u = replayUpdate(theta0, substream("rl-adam-1"), G, parityReward, (r) => groupAdvantages(r, "rloo"));
    expect(u.gHat.some((x) => x !== 0)).toBe(true);
    const want = Float64Array.from(theta0);
    adamAscend(want, u.gHat, adamState(want.length), { rate: 0.01 });
    for (let i = 0; i < want.length; i++) expect(res.theta[i]).toBeCloseTo(want[i], 12);
  });

  it("measures success every evalEvery episodes when an update is smaller than that", () => {
    const theta0 = initNetwork(shape, substream("rl-eval-0"));
    const cfg = { shape, task: parityTask, baseline: "rloo" as const, groupSize: 2, stepSize: 1e-3 };
    const res = netReinforce({ ...cfg, optimizer: "sgd", episodes: 9, evalEvery: 4 }, theta0, substream("rl-eval-1"));
    // updates of 2 episodes, 4 of them fit in 9; measured after 4 and 8 episodes only
    expect(res.episodes).toEqual([0, 4, 8]);
    expect(res.success).toHaveLength(3);
  });

  it("stops at the first measurement that reaches the target (≥), and never before", () => {
    const theta0 = initNetwork(shape, substream("rl-target-0"));
    // partial credit per token of the answer, so that the task's own success rises during the run
    const credit = (p: ArrayLike<number>, t: ArrayLike<number>) =>
      task.answer(p).filter((x, i) => t[i] === x).length / task.length;
    const cfg = {
      shape,
      task: { ...task, reward: credit },
      baseline: "rloo" as const,
      groupSize: 4,
      stepSize: 0.01,
      optimizer: "adam" as const,
      episodes: 40,
      evalEvery: 8,
    };
    const free = netReinforce(cfg, theta0, substream("rl-target-1"));
    expect(free.episodes).toEqual([0, 8, 16, 24, 32, 40]);
    expect(free.episodesToTarget).toBeNull();
    // a target nothing reaches: the whole budget is spent
    const never = netReinforce({ ...cfg, target: 2 }, theta0, substream("rl-target-1"));
    expect(never.episodes).toEqual(free.episodes);
    expect(never.episodesToTarget).toBeNull();
    // a target equal to the starting success is reached at once
    const atOnce = netReinforce({ ...cfg, target: free.success[0] }, theta0, substream("rl-target-1"));
    expect(atOnce.episodesToTarget).toBe(0);
    // a target first reached at a later measurement k stops the run there
    // (the best of the first four measurements, so that the run must stop before its budget)
    const best = Math.max(...free.success.slice(0, 4));
    const k = free.success.findIndex((s) => s >= best);
    expect(k).toBeGreaterThan(1); // the run improves on its start, and not at the first measurement only
    expect(k).toBeLessThan(free.episodes.length - 1);
    const later = netReinforce({ ...cfg, target: best }, theta0, substream("rl-target-1"));
    expect(later.episodesToTarget).toBe(free.episodes[k]);
    expect(later.episodes).toEqual(free.episodes.slice(0, k + 1));
  });

  it("netSampleSequence draws the same tokens as the traced sampler from the same stream", () => {
    const theta = initNetwork(shape, substream("rl-sample-0"));
    const p = task.train[5];
    const a = netSampleSequence(shape, theta, p, 4, substream("rl-sample-1"));
    expect(a).toEqual(netSampleTraced(shape, theta, p, 4, substream("rl-sample-1")).tokens);
    expect(a).toHaveLength(4);
  });

  it("a token outside the vocabulary is refused by the scores, naming it", () => {
    const theta = initNetwork(shape, substream("rl-6"));
    const w = task.heldOut[0];
    expect(() => netSequenceScore(shape, theta, w, [3, 9])).toThrow(/token 9 is not a token id in 0 … 8/);
    expect(() => netSequenceScore(shape, theta, w, [1.5])).toThrow(/token 1.5/);
    expect(() => netSequenceScore(shape, theta, w, [-1])).toThrow(/token -1/);
    expect(netSequenceScore(shape, theta, w, [8, 0])).toHaveLength(theta.length);
  });

  it("netSuccess is the mean of the accepted responses' probabilities", () => {
    const theta = initNetwork(shape, substream("rl-5"));
    const ps = task.heldOut.slice(0, 3);
    const want = ps.reduce((a, p) => a + Math.exp(netSequenceLogProb(shape, theta, p, task.answer(p))), 0) / 3;
    expect(netSuccess(shape, task, theta, ps)).toBeCloseTo(want, 15);
  });
});

describe("the experiments' helpers", () => {
  it("θ survives its text form exactly, and a truncated text is refused", () => {
    const theta = initNetwork(shape, substream("enc"));
    expect(decodeTheta(encodeTheta(theta))).toEqual(theta);
    expect(decodeTheta(encodeTheta(theta.subarray(3, 10)))).toEqual(theta.slice(3, 10));
    expect(() => decodeTheta(encodeTheta(theta).slice(0, 10))).toThrow(/not a multiple of 8/);
  });

  it("the median counts unreached runs as infinitely long", () => {
    expect(medianEpisodes([300, null, 100])).toBe(300);
    expect(medianEpisodes([null, null, 100])).toBe(Infinity);
    expect(medianEpisodes([400, 200])).toBe(200);
  });

  it("the task holds prompts out by their set and accepts only the reversal", () => {
    const t = sortTask(6, 8, 0, "reverse");
    const key = (p: number[]) => p.slice(4, 7).sort().join();
    const heldSets = new Set(t.heldOut.map(key));
    expect(t.train.some((p) => heldSets.has(key(p)))).toBe(false);
    expect(t.train.length + t.heldOut.length).toBe(6 * 5 * 4);
    const p = t.heldOut[0];
    expect(t.reward(p, t.answer(p))).toBe(1);
    expect(t.answer(p)).toEqual([p[6], p[5], p[4], 0]);
    expect(t.reward(p, [p[4], p[5], p[6], 0])).toBe(0);
    expect(sortTask(6).answer([2, 2, 2, 2, 8, 3, 5, 1])).toEqual([3, 5, 8, 0]);
    expect(netParamCount(shape)).toBe(netLayout(shape).size);
  });
});
