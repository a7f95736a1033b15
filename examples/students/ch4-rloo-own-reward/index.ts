// Mistake: the "rloo" baseline of eq. (30) averages all G rewards, the sample's own included: A_g = r_g − (1/G) Σ_j r_j instead of the mean of the other G − 1.
import type { Chapter4 } from "pgbook/contract";
import { groupAdvantages as correct } from "./correct.ts";

export * from "./correct.ts";

export const groupAdvantages: Chapter4["groupAdvantages"] = (rewards, baseline, running) => {
  if (baseline !== "rloo") return correct(rewards, baseline, running);
  const mean = Array.from(rewards).reduce((a, b) => a + b, 0) / rewards.length;
  return Float64Array.from(rewards, (r) => r - mean);
};
