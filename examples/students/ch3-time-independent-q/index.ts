// Mistake: update (28) with a time-independent Q: Q₀(S_t, A_t) at every step t instead of Q_t (erratum q-time-index; with a finite horizon the value depends on the time left).
import type { Chapter3 } from "pgbook/contract";
import { episodicScore, timeIndexedValues } from "./correct.ts";

export * from "./correct.ts";

export const update28: Chapter3["update28"] = (problem, theta, episode) => {
  const Q = timeIndexedValues(problem, theta).Q[0];
  const g = new Float64Array(theta.length);
  for (let t = 0; t < episode.actions.length; t++) {
    const q = Q[episode.states[t]][episode.actions[t]];
    const sc = episodicScore(problem, theta, episode.states[t], episode.actions[t]);
    for (let i = 0; i < g.length; i++) g[i] += q * sc[i];
  }
  return g;
};
