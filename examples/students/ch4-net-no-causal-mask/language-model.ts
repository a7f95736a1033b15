/**
 * Chapter 4 (REINFORCE for a small language model, §3.2), written for src/contract/chapter4.ts.
 * θ = [b (V entries), W[i][v][a] at V + (i·V + v)·V + a]; logit(a | s) = b[a] + Σᵢ W[i][sᵢ][a].
 */
import type { Chapter4, Rng } from "pgbook/contract";

type LmModel = Parameters<Chapter4["lmPolicy"]>[0];
import { inverseCdf, softmax } from "./linear.ts";

export const lmParamCount: Chapter4["lmParamCount"] = ({ vocab: V, window: N }) => V + N * V * V;

/** πθ(· | window). */
export const lmPolicy: Chapter4["lmPolicy"] = (model, theta, window) => {
  const V = model.vocab;
  const z = new Float64Array(V);
  for (let a = 0; a < V; a++) {
    let x = theta[a];
    for (let i = 0; i < model.window; i++) x += theta[V + (i * V + window[i]) * V + a];
    z[a] = x;
  }
  return softmax(z);
};

/** S_{t+1}: the window without its oldest token, then the new token. */
export const nextWindow: Chapter4["nextWindow"] = (window, token) => [...Array.from(window).slice(1), token];

/** g += c ∇ ln π(token | window), given p = π(· | window). */
function addScore(model: LmModel, p: Float64Array, window: ArrayLike<number>, token: number, c: number, g: Float64Array): void {
  const V = model.vocab;
  for (let a = 0; a < V; a++) {
    const e = c * ((a === token ? 1 : 0) - p[a]);
    g[a] += e;
    for (let i = 0; i < model.window; i++) g[V + (i * V + window[i]) * V + a] += e;
  }
}

/** ∇θ ln πθ(token | window): 1_token − π in the bias block and in each row W[i][sᵢ]. */
export const tokenScore: Chapter4["tokenScore"] = (model, theta, window, token) => {
  const g = new Float64Array(theta.length);
  addScore(model, lmPolicy(model, theta, window), window, token, 1, g);
  return g;
};

export const sequenceLogProb: Chapter4["sequenceLogProb"] = (model, theta, prompt, tokens) => {
  let w: ArrayLike<number> = prompt;
  let lp = 0;
  for (let t = 0; t < tokens.length; t++) {
    lp += Math.log(lmPolicy(model, theta, w)[tokens[t]]);
    w = nextWindow(w, tokens[t]);
  }
  return lp;
};

/** Eq. (29)'s score of a response: Σ_t ∇ ln π(A_t | S_t), each at its own window. */
export const sequenceScore: Chapter4["sequenceScore"] = (model, theta, prompt, tokens) => {
  const g = new Float64Array(theta.length);
  let w: ArrayLike<number> = prompt;
  for (let t = 0; t < tokens.length; t++) {
    addScore(model, lmPolicy(model, theta, w), w, tokens[t], 1, g);
    w = nextWindow(w, tokens[t]);
  }
  return g;
};

/** A_t ~ π(· | S_t), one uniform per token. */
export const sampleSequence: Chapter4["sampleSequence"] = (model, theta, prompt, length, rng) => {
  const out: number[] = [];
  let w: ArrayLike<number> = prompt;
  for (let t = 0; t < length; t++) {
    const a = inverseCdf(lmPolicy(model, theta, w), rng());
    out.push(a);
    w = nextWindow(w, a);
  }
  return out;
};

/** The advantages of one group under the contract's conventions. */
export const groupAdvantages: Chapter4["groupAdvantages"] = (rewards, baseline, running = 0) => {
  const r = Array.from(rewards);
  const G = r.length;
  const sum = r.reduce((acc, x) => acc + x, 0);
  const mean = sum / G;
  switch (baseline) {
    case "none":
      return Float64Array.from(r);
    case "running":
      return Float64Array.from(r, (x) => x - running);
    case "rloo":
      if (G < 2) throw new RangeError("rloo needs G ≥ 2");
      return Float64Array.from(r, (x) => x - (sum - x) / (G - 1));
    case "mean":
      return Float64Array.from(r, (x) => x - mean);
    case "normalized": {
      if (r.every((x) => x === r[0])) return new Float64Array(G);
      const sd = Math.sqrt(r.reduce((acc, x) => acc + (x - mean) ** 2, 0) / G);
      return Float64Array.from(r, (x) => (x - mean) / sd);
    }
  }
  throw new RangeError(`unknown baseline ${String(baseline)}`);
};

/** Eqs. (29)–(30): (1/G) Σ_g A_g · sequenceScore(response g). */
export const groupGradient: Chapter4["groupGradient"] = (model, theta, prompt, responses, advantages) => {
  const G = responses.length;
  const g = new Float64Array(theta.length);
  for (let k = 0; k < G; k++) {
    if (advantages[k] === 0) continue;
    const sc = sequenceScore(model, theta, prompt, responses[k]);
    for (let i = 0; i < g.length; i++) g[i] += (advantages[k] * sc[i]) / G;
  }
  return g;
};

/** N(0, 1) by Box–Muller from two uniforms (u₁ > 0). */
function normal(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** REINFORCE on a verifiable task, with the draw order the contract documents. */
export const trainLm: Chapter4["trainLm"] = (config, rng) => {
  const { task, baseline, groupSize: G, stepSize } = config;
  const model = task.model;
  const theta = new Float64Array(lmParamCount(model));
  if (config.initScale) for (let i = 0; i < theta.length; i++) theta[i] = config.initScale * normal(rng);
  const success = (th: Float64Array) => task.heldOut.reduce((acc, p) => acc + Math.exp(sequenceLogProb(model, th, p, task.answer(p))), 0) / task.heldOut.length;
  const episodes = [0];
  const rates = [success(theta)];
  const reached = (x: number) => config.target !== undefined && x >= config.target;
  let toTarget: number | null = reached(rates[0]) ? 0 : null;
  let spent = 0;
  let nextEval = config.evalEvery;
  let pastSum = 0;
  let pastCount = 0;
  while (toTarget === null && spent + G <= config.episodes) {
    const prompt = task.train[Math.floor(rng() * task.train.length)];
    const ys: number[][] = [];
    for (let k = 0; k < G; k++) ys.push(sampleSequence(model, theta, prompt, task.length, rng));
    const r = ys.map((y) => task.reward(prompt, y));
    const adv = groupAdvantages(r, baseline, pastCount ? pastSum / pastCount : 0);
    const g = groupGradient(model, theta, prompt, ys, adv);
    for (let i = 0; i < theta.length; i++) theta[i] += stepSize * g[i];
    for (const x of r) pastSum += x;
    pastCount += G;
    spent += G;
    if (spent >= nextEval) {
      nextEval += config.evalEvery;
      episodes.push(spent);
      rates.push(success(theta));
      if (reached(rates[rates.length - 1])) toTarget = spent;
    }
  }
  return { theta, episodes, success: rates, episodesToTarget: toTarget };
};
