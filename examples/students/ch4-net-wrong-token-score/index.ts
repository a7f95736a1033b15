// Mistake: netTokenScore returns ∇θ ln πθ(b | window) for the most likely token b, not for the token it is given, so eq. (29)'s ∇θ ln πθ(A_t | S_t) is taken at the wrong action, and netSequenceScore, which adds these token scores along the shifted windows, is wrong too.
import type { Chapter4 } from "pgbook/contract";
import { netPolicy, netTokenScore as scoreOf, responseWindows } from "./correct.ts";

export * from "./correct.ts";

export const netTokenScore: Chapter4["netTokenScore"] = (shape, theta, window) => {
  const p = netPolicy(shape, theta, window);
  let best = 0;
  for (let b = 1; b < p.length; b++) if (p[b] > p[best]) best = b;
  return scoreOf(shape, theta, window, best);
};

export const netSequenceScore: Chapter4["netSequenceScore"] = (shape, theta, prompt, tokens) => {
  const g = new Float64Array(theta.length);
  responseWindows(prompt, tokens).forEach((s, t) =>
    netTokenScore(shape, theta, s, tokens[t]).forEach((x, i) => (g[i] += x)),
  );
  return g;
};
