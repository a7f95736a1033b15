/**
 * Stage two: REINFORCE on a verifiable task, starting from pretrained weights. Each update draws a
 * training prompt, samples G responses from the network, asks the verifier for their terminal rewards
 * and ascends ĝ = (1/G) Σ_g A_g Σ_t ∇θ ln πθ(A_t | S_t) (eqs. (29)–(30)) under the chosen baseline, by
 * plain steps θ ← θ + α ĝ or by Adam on ĝ (what practice uses for networks: the gradient's scale varies by
 * orders of magnitude between blocks and during training). Held-out success is measured exactly every
 * `evalEvery` episodes.
 */
import type { Rng } from "../../contract/random.ts";
import { groupAdvantages, type GroupBaseline } from "../advantages.ts";
import type { VerifiableTask } from "../task.ts";
import { adamAscend, adamState } from "./adam.ts";
import { addNetTokenScore, netSampleTraced, netSequenceLogProb, type TracedResponse } from "./score.ts";
import type { NetShape } from "./shape.ts";

export interface NetReinforceConfig {
  shape: NetShape;
  task: VerifiableTask;
  baseline: GroupBaseline;
  groupSize: number;
  /** Prompts per update (default 1): each draws its own group, and ĝ is the mean over the groups. */
  prompts?: number;
  stepSize: number;
  /** "sgd": θ ← θ + α ĝ; "adam": Adam's step along ĝ at rate α. */
  optimizer: "sgd" | "adam";
  episodes: number;
  evalEvery: number;
  target?: number;
}

export interface NetReinforceResult {
  theta: Float64Array;
  episodes: number[];
  success: number[];
  episodesToTarget: number | null;
}

/** Held-out success measured exactly: the mean over prompts of πθ(answer | prompt), a product of token probabilities. */
export function netSuccess(shape: NetShape, task: VerifiableTask, theta: Float64Array, prompts = task.heldOut): number {
  let s = 0;
  for (const p of prompts) s += Math.exp(netSequenceLogProb(shape, theta, p, task.answer(p)));
  return s / prompts.length;
}

/** Train from θ_0 (copied) by REINFORCE with a baseline; every random draw comes from `rng`. */
export function netReinforce(config: NetReinforceConfig, theta0: Float64Array, rng: Rng): NetReinforceResult {
  const { shape, task, baseline, groupSize: G, stepSize } = config;
  const T = task.length;
  const theta = Float64Array.from(theta0);
  const episodes = [0];
  const success = [netSuccess(shape, task, theta)];
  const reached = (s: number) => config.target !== undefined && s >= config.target;
  let toTarget: number | null = reached(success[0]) ? 0 : null;
  let spent = 0;
  let nextEval = config.evalEvery;
  let pastSum = 0;
  let pastCount = 0;
  const drawn: TracedResponse[] = new Array<TracedResponse>(G);
  const rewards = new Float64Array(G);
  const step = new Float64Array(theta.length);
  const adam = adamState(theta.length);
  const B = config.prompts ?? 1;
  while (toTarget === null && spent + B * G <= config.episodes) {
    step.fill(0);
    const running = pastCount ? pastSum / pastCount : 0;
    for (let b = 0; b < B; b++) {
      const prompt = task.train[Math.floor(rng() * task.train.length)];
      for (let g = 0; g < G; g++) {
        drawn[g] = netSampleTraced(shape, theta, prompt, T, rng);
        rewards[g] = task.reward(prompt, drawn[g].tokens);
      }
      const adv = groupAdvantages(rewards, baseline, running);
      for (let g = 0; g < G; g++) {
        if (adv[g] === 0) continue;
        for (let t = 0; t < T; t++)
          addNetTokenScore(theta, drawn[g].traces[t], drawn[g].tokens[t], adv[g] / (B * G), step);
      }
      for (let g = 0; g < G; g++) pastSum += rewards[g];
      pastCount += G;
    }
    if (config.optimizer === "adam") adamAscend(theta, step, adam, { rate: stepSize });
    else for (let i = 0; i < theta.length; i++) theta[i] += stepSize * step[i];
    spent += B * G;
    if (spent >= nextEval) {
      nextEval += config.evalEvery;
      episodes.push(spent);
      success.push(netSuccess(shape, task, theta));
      if (reached(success[success.length - 1])) toTarget = spent;
    }
  }
  return { theta, episodes, success, episodesToTarget: toTarget };
}
