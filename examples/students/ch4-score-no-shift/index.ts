// Mistake: the response's score of eq. (29) takes every token's score at the prompt window S_0, ignoring the shift S_{t+1} = (S_t without its oldest token, A_t) of §3.2.
import type { Chapter4 } from "pgbook/contract";
import { tokenScore } from "./correct.ts";

export * from "./correct.ts";

export const sequenceScore: Chapter4["sequenceScore"] = (model, theta, prompt, tokens) => {
  const g = new Float64Array(theta.length);
  for (let t = 0; t < tokens.length; t++) {
    const sc = tokenScore(model, theta, prompt, tokens[t]);
    for (let i = 0; i < g.length; i++) g[i] += sc[i];
  }
  return g;
};
