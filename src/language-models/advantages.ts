/**
 * Baselines for the terminal reward: what each sampled response's score is multiplied by.
 *
 * For a group of G responses to one prompt with rewards r_1 … r_G (G = 1 is plain REINFORCE):
 * - "none":       A_g = r_g                                  (eq. (29) with Q̂_t = R_T)
 * - "running":    A_g = r_g − B, B the average of every reward seen before this group (B_0 = 0)
 * - "rloo":       A_g = r_g − (1/(G−1)) Σ_{j≠g} r_j          (leave-one-out, needs G ≥ 2)
 * - "mean":       A_g = r_g − (1/G) Σ_j r_j                  (group mean, own reward included)
 * - "normalized": A_g = (r_g − mean) / std, std the POPULATION standard deviation
 *                 √((1/G) Σ_j (r_j − mean)²); a group whose rewards are all equal (std = 0) gets
 *                 A_g = 0 for every g — it carries no update. No ε is added to the std.
 * Eq. (30) replaces Q by Q − V; each of these baselines stands in for V(S_0) without using r_g itself,
 * except "mean" and "normalized", which do (see the chapter).
 */

export type GroupBaseline = "none" | "running" | "rloo" | "mean" | "normalized";

export const GROUP_BASELINES: readonly GroupBaseline[] = ["none", "running", "rloo", "mean", "normalized"];

/** The advantages A_1 … A_G of one group (see the module comment); `running` is B for "running". */
export function groupAdvantages(rewards: ArrayLike<number>, baseline: GroupBaseline, running = 0): Float64Array {
  const G = rewards.length;
  const out = new Float64Array(G);
  let sum = 0;
  for (let g = 0; g < G; g++) sum += rewards[g];
  const mean = G ? sum / G : 0;
  switch (baseline) {
    case "none":
      for (let g = 0; g < G; g++) out[g] = rewards[g];
      return out;
    case "running":
      for (let g = 0; g < G; g++) out[g] = rewards[g] - running;
      return out;
    case "rloo":
      if (G < 2) throw new RangeError("the leave-one-out baseline needs a group of at least 2 responses");
      for (let g = 0; g < G; g++) out[g] = rewards[g] - (sum - rewards[g]) / (G - 1);
      return out;
    case "mean":
      for (let g = 0; g < G; g++) out[g] = rewards[g] - mean;
      return out;
    case "normalized": {
      let ss = 0;
      for (let g = 0; g < G; g++) ss += (rewards[g] - mean) ** 2;
      const sd = Math.sqrt(ss / G);
      // all-equal group (up to rounding): no update
      if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) return out;
      for (let g = 0; g < G; g++) out[g] = (rewards[g] - mean) / sd;
      return out;
    }
    default:
      throw new RangeError(`unknown baseline ${String(baseline)}`);
  }
}
