// Mistake: the reward-to-go of eq. (29) starts one step late, Ĝ_t = R_{t+2} + … + R_T, omitting R_{t+1} (the reward of A_t itself).
import type { Chapter3 } from "pgbook/contract";
import { episodicScore } from "./correct.ts";

export * from "./correct.ts";

export const reinforceRewardToGo: Chapter3["reinforceRewardToGo"] = (problem, theta, episode) => {
  const g = new Float64Array(theta.length);
  for (let t = 0; t < episode.actions.length; t++) {
    let G = 0;
    for (let k = t + 1; k < episode.rewards.length; k++) G += episode.rewards[k];
    const sc = episodicScore(problem, theta, episode.states[t], episode.actions[t]);
    for (let i = 0; i < g.length; i++) g[i] += G * sc[i];
  }
  return g;
};
