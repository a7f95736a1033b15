/** The policy-gradient estimate from one group of responses to one prompt. */
import type { LmModel } from "./model.ts";
import { sequenceScore } from "./sequence.ts";

/**
 * Eqs. (29)–(30) with the terminal reward only: ĝ = (1/G) Σ_g A_g Σ_t ∇θ ln πθ(A_t^g | S_t^g), where
 * A_g is the advantage of response g (its reward, or its reward minus a baseline: `groupAdvantages`).
 * With a single reward at the end, Q̂_t = R_T for every t, so every token of a response shares A_g.
 */
export function groupGradient(
  model: LmModel,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  responses: ArrayLike<number>[],
  advantages: ArrayLike<number>,
): Float64Array {
  if (responses.length !== advantages.length)
    throw new RangeError(`${responses.length} responses but ${advantages.length} advantages`);
  const G = responses.length;
  const g = new Float64Array(theta.length);
  for (let k = 0; k < G; k++) {
    if (advantages[k] === 0) continue;
    const s = sequenceScore(model, theta, prompt, responses[k]);
    for (let i = 0; i < g.length; i++) g[i] += (advantages[k] * s[i]) / G;
  }
  return g;
}
