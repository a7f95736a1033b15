// Mistake: in trainLm each response's score is multiplied by the advantage of the NEXT response of its group, A_{(g+1) mod G}: the terminal reward R_T of eq. (29) credited to the wrong episode.
import type { Chapter4, Rng } from "pgbook/contract";
import { groupAdvantages, groupGradient, lmParamCount, sampleSequence, sequenceLogProb } from "./correct.ts";

export * from "./correct.ts";

function normal(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

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
    const credited = adv.map((_, k) => adv[(k + 1) % G]); // the off-by-one: response k gets response k+1's advantage
    const g = groupGradient(model, theta, prompt, ys, credited);
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
