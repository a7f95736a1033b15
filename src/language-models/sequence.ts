/**
 * Whole responses: the windows an episode passes through, the log-probability of a response and its
 * gradient, and seeded sampling. A response A_0, …, A_{T−1} from the prompt window S_0 visits
 * S_{t+1} = shift(S_t, A_t), so its probability is Π_t πθ(A_t | S_t).
 */
import { categorical, type Rng } from "../contract/random.ts";
import { logSoftmaxAt } from "../core/distributions.ts";
import { type LmModel, addTokenScore, lmLogits, lmPolicy, nextWindow } from "./model.ts";

/** The windows S_0, …, S_T visited when the tokens are appended one by one to the prompt window. */
export function windowsAlong(prompt: ArrayLike<number>, tokens: ArrayLike<number>): number[][] {
  const out: number[][] = [Array.from(prompt)];
  for (let t = 0; t < tokens.length; t++) out.push(nextWindow(out[t], tokens[t]));
  return out;
}

/** ln πθ(A_0, …, A_{T−1} | S_0) = Σ_t ln πθ(A_t | S_t) along the shifted windows. */
export function sequenceLogProb(
  model: LmModel,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  tokens: ArrayLike<number>,
): number {
  const ws = windowsAlong(prompt, tokens);
  let s = 0;
  for (let t = 0; t < tokens.length; t++) s += logSoftmaxAt(lmLogits(model, theta, ws[t]), tokens[t]);
  return s;
}

/**
 * Eq. (29) with the single terminal reward: the response's score Σ_t ∇θ ln πθ(A_t | S_t), each term
 * taken at its own window S_t (the gradient of `sequenceLogProb`).
 */
export function sequenceScore(
  model: LmModel,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  tokens: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(theta.length);
  const ws = windowsAlong(prompt, tokens);
  for (let t = 0; t < tokens.length; t++) addTokenScore(model, lmPolicy(model, theta, ws[t]), ws[t], tokens[t], 1, g);
  return g;
}

/** Sample a response of `length` tokens, A_t ~ πθ(· | S_t), one uniform draw of `rng` per token. */
export function sampleSequence(
  model: LmModel,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  length: number,
  rng: Rng,
): number[] {
  let w: number[] = Array.from(prompt);
  const out: number[] = [];
  for (let t = 0; t < length; t++) {
    const a = categorical(rng, lmPolicy(model, theta, w));
    out.push(a);
    w = nextWindow(w, a);
  }
  return out;
}
