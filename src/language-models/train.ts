/**
 * REINFORCE for the language model (§3.2): each update draws a training prompt, samples G responses
 * from πθ, asks the verifier for their terminal rewards, and steps θ ← θ + α·ĝ with the group estimate
 * of `groupGradient` under the chosen baseline. Held-out success is measured exactly (the probability
 * of the one accepted response, averaged over held-out prompts) every `evalEvery` episodes.
 */
import { categorical, gaussian, type Rng } from "../contract/random.ts";
import { groupAdvantages, type GroupBaseline } from "./advantages.ts";
import { addTokenScore, lmParamCount, lmPolicy, nextWindow } from "./model.ts";
import { sequenceLogProb } from "./sequence.ts";
import type { VerifiableTask } from "./task.ts";

export interface LmTrainConfig {
  task: VerifiableTask;
  baseline: GroupBaseline;
  /** G, responses per prompt (G = 1 with "none" is plain REINFORCE, one episode per update). */
  groupSize: number;
  /** The step size α. */
  stepSize: number;
  /** The budget: the largest number of episodes (sampled responses) to spend. */
  episodes: number;
  /** Measure held-out success every this many episodes (rounded up to whole updates). */
  evalEvery: number;
  /** Stop as soon as held-out success reaches this value (omit to spend the whole budget). */
  target?: number;
  /** θ_0 has independent N(0, initScale²) entries (0 gives the uniform policy). */
  initScale?: number;
}

export interface LmTrainResult {
  theta: Float64Array;
  /** Episodes spent when each held-out success value was measured (starting with 0). */
  episodes: number[];
  /** Held-out success rate at those points. */
  success: number[];
  /** Episodes spent when held-out success first reached `target`, or null. */
  episodesToTarget: number | null;
}

/** Held-out success measured exactly: the mean over prompts of πθ(answer | prompt). */
export function heldOutSuccess(task: VerifiableTask, theta: Float64Array, prompts: number[][] = task.heldOut): number {
  let s = 0;
  for (const p of prompts) s += Math.exp(sequenceLogProb(task.model, theta, p, task.answer(p)));
  return s / prompts.length;
}

/** Train by REINFORCE with a baseline (see the module comment); every random draw comes from `rng`. */
export function trainLm(config: LmTrainConfig, rng: Rng): LmTrainResult {
  const { task, baseline, groupSize: G, stepSize } = config;
  const model = task.model;
  const T = task.length;
  const theta = new Float64Array(lmParamCount(model));
  const scale = config.initScale ?? 0;
  if (scale > 0) for (let i = 0; i < theta.length; i++) theta[i] = gaussian(rng, 0, scale);
  const episodes = [0];
  const success = [heldOutSuccess(task, theta)];
  let toTarget: number | null = config.target !== undefined && success[0] >= config.target ? 0 : null;
  let spent = 0;
  let nextEval = config.evalEvery;
  let pastSum = 0;
  let pastCount = 0;
  // per response: the windows, the policies and the tokens (scores are applied after the rewards are known)
  const windows: number[][][] = Array.from({ length: G }, () => []);
  const probs: Float64Array[][] = Array.from({ length: G }, () => []);
  const responses: number[][] = Array.from({ length: G }, () => new Array<number>(T).fill(0));
  const rewards = new Float64Array(G);
  while (toTarget === null && spent + G <= config.episodes) {
    const prompt = task.train[Math.floor(rng() * task.train.length)];
    for (let g = 0; g < G; g++) {
      let w: number[] = prompt;
      for (let t = 0; t < T; t++) {
        const p = lmPolicy(model, theta, w);
        const a = categorical(rng, p);
        windows[g][t] = w;
        probs[g][t] = p;
        responses[g][t] = a;
        w = nextWindow(w, a);
      }
      rewards[g] = task.reward(prompt, responses[g]);
    }
    const adv = groupAdvantages(rewards, baseline, pastCount ? pastSum / pastCount : 0);
    for (let g = 0; g < G; g++) {
      if (adv[g] === 0) continue;
      for (let t = 0; t < T; t++)
        addTokenScore(model, probs[g][t], windows[g][t], responses[g][t], (stepSize * adv[g]) / G, theta);
    }
    for (let g = 0; g < G; g++) pastSum += rewards[g];
    pastCount += G;
    spent += G;
    if (spent >= nextEval) {
      nextEval += config.evalEvery;
      episodes.push(spent);
      success.push(heldOutSuccess(task, theta));
      if (config.target !== undefined && success[success.length - 1] >= config.target) toTarget = spent;
    }
  }
  return { theta, episodes, success, episodesToTarget: toTarget };
}
