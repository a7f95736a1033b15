/**
 * The autoregressive policy of §3.2 as a log-linear model over a context window.
 *
 * A state is a window of N tokens (position 0 the oldest, N − 1 the newest); an action is the next
 * token, one of V. The model scores each candidate next token a by a bias plus one weight for every
 * (position, token at that position, candidate) triple — generic token × position features that know
 * nothing about any task:
 *
 *   logit(a | s) = b[a] + Σ_{i<N} W[i][s_i][a],   πθ(a | s) = softmax(logit(· | s))[a].
 *
 * θ is one Float64Array of length V + N·V·V: θ[a] = b[a], θ[V + (i·V + v)·V + a] = W[i][v][a].
 */
import { softmaxInto } from "../core/distributions.ts";

/** The shape of a model: vocabulary size V and context window length N. */
export interface LmModel {
  vocab: number;
  window: number;
}

/** The number of parameters V + N·V². */
export function lmParamCount(model: LmModel): number {
  return model.vocab + model.window * model.vocab * model.vocab;
}

/** The index in θ of the weight W[i][v][a]. */
export function weightIndex(model: LmModel, i: number, v: number, a: number): number {
  return model.vocab + (i * model.vocab + v) * model.vocab + a;
}

function check(model: LmModel, theta: Float64Array, window: ArrayLike<number>): void {
  if (theta.length !== lmParamCount(model))
    throw new RangeError(`θ has ${theta.length} entries, the model needs ${lmParamCount(model)}`);
  if (window.length !== model.window)
    throw new RangeError(`the window has ${window.length} tokens, the model reads ${model.window}`);
}

/** The logits b[a] + Σᵢ W[i][sᵢ][a] of the next token given the window s. */
export function lmLogits(model: LmModel, theta: Float64Array, window: ArrayLike<number>): Float64Array {
  check(model, theta, window);
  const V = model.vocab;
  const out = theta.slice(0, V);
  for (let i = 0; i < model.window; i++) {
    const base = V + (i * V + window[i]) * V;
    for (let a = 0; a < V; a++) out[a] += theta[base + a];
  }
  return out;
}

/** πθ(· | S_t): the distribution of the next token given the context window (Figure 3's output). */
export function lmPolicy(model: LmModel, theta: Float64Array, window: ArrayLike<number>): Float64Array {
  const z = lmLogits(model, theta, window);
  return softmaxInto(z, z); // in place: the logits are a fresh array
}

/** The MDP's transition of §3.2: S_{t+1} drops the oldest token of S_t and appends A_t. */
export function nextWindow(window: ArrayLike<number>, token: number): number[] {
  const out = Array.from(window).slice(1);
  out.push(token);
  return out;
}

/**
 * The score ∇θ ln πθ(a | s) of one token: (1ₐ − πθ(·|s)) in the bias block and in every row
 * W[i][sᵢ][·]; zero elsewhere.
 */
export function tokenScore(
  model: LmModel,
  theta: Float64Array,
  window: ArrayLike<number>,
  token: number,
): Float64Array {
  const g = new Float64Array(theta.length);
  addTokenScore(model, lmPolicy(model, theta, window), window, token, 1, g);
  return g;
}

/** g += c·∇θ ln πθ(a | s), given p = πθ(· | s) already computed (the training loop's hot path). */
export function addTokenScore(
  model: LmModel,
  p: Float64Array,
  window: ArrayLike<number>,
  token: number,
  c: number,
  g: Float64Array,
): void {
  const V = model.vocab;
  for (let a = 0; a < V; a++) g[a] += c * ((a === token ? 1 : 0) - p[a]);
  for (let i = 0; i < model.window; i++) {
    const base = V + (i * V + window[i]) * V;
    for (let a = 0; a < V; a++) g[base + a] += c * ((a === token ? 1 : 0) - p[a]);
  }
}
