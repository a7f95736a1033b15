// Mistake: the rollout of eq. (29) as printed in §3.1, Ĝ_t = R_{t+1} + … + R_{T−1}: it stops before R_T (erratum reward-to-go-includes-rt).
import type { Chapter3 } from "pgbook/contract";
import { episodicScore } from "./correct.ts";

export * from "./correct.ts";

export const reinforceRewardToGo: Chapter3["reinforceRewardToGo"] = (problem, theta, episode) => {
  const T = problem.horizon;
  const g = new Float64Array(theta.length);
  for (let t = 0; t < episode.actions.length; t++) {
    let G = 0;
    // rewards[k] is R_{k+1}: R_{t+1} … R_{T−1} are k = t … T − 2
    for (let k = t; k < Math.min(episode.rewards.length, T - 1); k++) G += episode.rewards[k];
    const sc = episodicScore(problem, theta, episode.states[t], episode.actions[t]);
    for (let i = 0; i < g.length; i++) g[i] += G * sc[i];
  }
  return g;
};
