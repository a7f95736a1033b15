// Mistake: group normalization (§3.2) divides by the sample std √(Σ(r_j − mean)²/(G − 1)) instead of the population std √(Σ(r_j − mean)²/G) the contract states.
import type { Chapter4 } from "pgbook/contract";
import { groupAdvantages as correct } from "./correct.ts";

export * from "./correct.ts";

export const groupAdvantages: Chapter4["groupAdvantages"] = (rewards, baseline, running) => {
  if (baseline !== "normalized") return correct(rewards, baseline, running);
  const r = Array.from(rewards);
  const G = r.length;
  if (r.every((x) => x === r[0])) return new Float64Array(G);
  const mean = r.reduce((a, b) => a + b, 0) / G;
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (G - 1));
  return Float64Array.from(r, (x) => (x - mean) / sd);
};
