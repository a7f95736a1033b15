/**
 * Scores of the network policy: ∇θ ln πθ(a | S_t) for one token, and for a whole response along the
 * shifted windows (eq. (29) with a terminal reward), with the response's log-probability and sampling.
 */
import { categorical, type Rng } from "../../contract/random.ts";
import { logSoftmaxAt } from "../../core/distributions.ts";
import { nextWindow } from "../model.ts";
import { windowsAlong } from "../sequence.ts";
import { netBackward } from "./backward.ts";
import { netForward, type NetTrace } from "./forward.ts";
import { type NetShape, netParamCount } from "./shape.ts";

/** g += c·∇θ ln πθ(a | S_t) from a forward trace at S_t: the logits' gradient is 1ₐ − πθ(· | S_t). */
export function addNetTokenScore(
  theta: Float64Array,
  trace: NetTrace,
  token: number,
  c: number,
  g: Float64Array,
): void {
  const p = trace.policy;
  if (!Number.isInteger(token) || token < 0 || token >= p.length)
    throw new RangeError(`token ${token} is not a token id in 0 … ${p.length - 1}`);
  const dz = new Float64Array(p.length);
  for (let a = 0; a < p.length; a++) dz[a] = c * ((a === token ? 1 : 0) - p[a]);
  netBackward(theta, trace, dz, g);
}

/** Eq. (29)'s term for one token: ∇θ ln πθ(a | S_t) through the network. */
export function netTokenScore(
  shape: NetShape,
  theta: Float64Array,
  window: ArrayLike<number>,
  token: number,
): Float64Array {
  const g = new Float64Array(netParamCount(shape));
  addNetTokenScore(theta, netForward(shape, theta, window), token, 1, g);
  return g;
}

/** ln πθ(A_0 … A_{T−1} | S_0) = Σ_t ln πθ(A_t | S_t) along the shifted windows. */
export function netSequenceLogProb(
  shape: NetShape,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  tokens: ArrayLike<number>,
): number {
  const ws = windowsAlong(prompt, tokens);
  let s = 0;
  for (let t = 0; t < tokens.length; t++) s += logSoftmaxAt(netForward(shape, theta, ws[t]).logits, tokens[t]);
  return s;
}

/** Eq. (29) with a terminal reward: Σ_t ∇θ ln πθ(A_t | S_t), each term at its own window S_t. */
export function netSequenceScore(
  shape: NetShape,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  tokens: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(netParamCount(shape));
  const ws = windowsAlong(prompt, tokens);
  for (let t = 0; t < tokens.length; t++) addNetTokenScore(theta, netForward(shape, theta, ws[t]), tokens[t], 1, g);
  return g;
}

/** A sampled response with the forward trace of every window it passed through (the training loop's record). */
export interface TracedResponse {
  tokens: number[];
  traces: NetTrace[];
}

/** Sample A_t ~ πθ(· | S_t) for t < length, one uniform draw of `rng` per token, keeping each window's trace. */
export function netSampleTraced(
  shape: NetShape,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  length: number,
  rng: Rng,
): TracedResponse {
  const tokens: number[] = [];
  const traces: NetTrace[] = [];
  for (let t = 0, w = Array.from(prompt); t < length; t++) {
    traces.push(netForward(shape, theta, w));
    tokens.push(categorical(rng, traces[t].policy));
    w = nextWindow(w, tokens[t]);
  }
  return { tokens, traces };
}

/** Sample a response of `length` tokens, A_t ~ πθ(· | S_t), one uniform draw of `rng` per token. */
export function netSampleSequence(
  shape: NetShape,
  theta: Float64Array,
  prompt: ArrayLike<number>,
  length: number,
  rng: Rng,
): number[] {
  return netSampleTraced(shape, theta, prompt, length, rng).tokens;
}
