/**
 * The forward pass of the network of shape.ts: πθ(· | S_t) for a window S_t, keeping every intermediate
 * value the backward pass needs.
 */
import { softmaxInto } from "../../core/distributions.ts";
import { expNonPositive } from "../../core/exp.ts";
import { type NetLayout, type NetShape, netLayout } from "./shape.ts";

/** What one layer computed, each an N × (width) row-major array. */
export interface LayerTrace {
  /** The layer's input x (N × d). */
  input: Float64Array;
  query: Float64Array;
  key: Float64Array;
  value: Float64Array;
  /** The attention weights aᵢⱼ (N × N, zero above the diagonal). */
  attention: Float64Array;
  /** Σⱼ aᵢⱼ vⱼ (N × d). */
  mixed: Float64Array;
  /** h = x + Wo·mixed (N × d). */
  residual: Float64Array;
  /** tanh(W₁h + b₁) (N × m). */
  activation: Float64Array;
}

/** Everything a forward pass computed. */
export interface NetTrace {
  shape: NetShape;
  layout: NetLayout;
  window: number[];
  layers: LayerTrace[];
  /** The last layer's output (N × d). */
  output: Float64Array;
  logits: Float64Array;
  /** πθ(· | S_t). */
  policy: Float64Array;
}

/** y[r] (+)= Σ_c W[r][c]·x[xAt + c] for a rows × cols block of θ at `w`, written to y at yAt. */
function matVec(
  theta: Float64Array,
  w: number,
  rows: number,
  cols: number,
  x: Float64Array,
  xAt: number,
  y: Float64Array,
  yAt: number,
): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const row = w + r * cols;
    for (let c = 0; c < cols; c++) s += theta[row + c] * x[xAt + c];
    y[yAt + r] += s;
  }
}

/** Check θ's length and the window's length and tokens; a RangeError names the problem. */
export function checkInputs(shape: NetShape, layout: NetLayout, theta: Float64Array, window: ArrayLike<number>): void {
  if (theta.length !== layout.size)
    throw new RangeError(`θ has ${theta.length} entries, the network needs ${layout.size}`);
  if (window.length !== shape.window)
    throw new RangeError(`the window has ${window.length} tokens, the network reads ${shape.window}`);
  for (let i = 0; i < window.length; i++) {
    const t = window[i];
    if (!Number.isInteger(t) || t < 0 || t >= shape.vocab)
      throw new RangeError(`window[${i}] = ${t} is not a token id in 0 … ${shape.vocab - 1}`);
  }
}

/** One causal self-attention layer and its MLP (the formulas of shape.ts). */
function layerForward(
  shape: NetShape,
  theta: Float64Array,
  o: NetLayout["layers"][number],
  x: Float64Array,
): LayerTrace {
  const { window: N, width: d, hidden: m } = shape;
  const query = new Float64Array(N * d);
  const key = new Float64Array(N * d);
  const value = new Float64Array(N * d);
  for (let i = 0; i < N; i++) {
    matVec(theta, o.query, d, d, x, i * d, query, i * d);
    matVec(theta, o.key, d, d, x, i * d, key, i * d);
    matVec(theta, o.value, d, d, x, i * d, value, i * d);
  }
  const attention = new Float64Array(N * N);
  const mixed = new Float64Array(N * d);
  const scale = 1 / Math.sqrt(d);
  for (let i = 0; i < N; i++) {
    // scores of positions j ≤ i only: the causal mask
    let max = -Infinity;
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += query[i * d + c] * key[j * d + c];
      s *= scale;
      attention[i * N + j] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let j = 0; j <= i; j++) {
      const e = expNonPositive(attention[i * N + j] - max);
      attention[i * N + j] = e;
      total += e;
    }
    for (let j = 0; j <= i; j++) {
      const a = attention[i * N + j] / total;
      attention[i * N + j] = a;
      for (let c = 0; c < d; c++) mixed[i * d + c] += a * value[j * d + c];
    }
  }
  const residual = Float64Array.from(x);
  for (let i = 0; i < N; i++) matVec(theta, o.out, d, d, mixed, i * d, residual, i * d);
  const activation = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    for (let r = 0; r < m; r++) activation[i * m + r] = theta[o.mlpInBias + r];
    matVec(theta, o.mlpIn, m, d, residual, i * d, activation, i * m);
    for (let r = 0; r < m; r++) activation[i * m + r] = Math.tanh(activation[i * m + r]);
  }
  return { input: x, query, key, value, attention, mixed, residual, activation };
}

/** The layer's output h + W₂·tanh(·) + b₂. */
function layerOutput(
  shape: NetShape,
  theta: Float64Array,
  o: NetLayout["layers"][number],
  t: LayerTrace,
): Float64Array {
  const { window: N, width: d, hidden: m } = shape;
  const out = Float64Array.from(t.residual);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < d; c++) out[i * d + c] += theta[o.mlpOutBias + c];
    matVec(theta, o.mlpOut, d, m, t.activation, i * m, out, i * d);
  }
  return out;
}

/** Run the network on a window, keeping the trace (inputs are checked and left untouched). */
export function netForward(shape: NetShape, theta: Float64Array, window: ArrayLike<number>): NetTrace {
  const layout = netLayout(shape);
  checkInputs(shape, layout, theta, window);
  const { vocab: V, window: N, width: d } = shape;
  let x: Float64Array = new Float64Array(N * d);
  for (let i = 0; i < N; i++)
    for (let c = 0; c < d; c++)
      x[i * d + c] = theta[layout.tokenEmbed + window[i] * d + c] + theta[layout.posEmbed + i * d + c];
  const layers: LayerTrace[] = [];
  for (const o of layout.layers) {
    const t = layerForward(shape, theta, o, x);
    layers.push(t);
    x = layerOutput(shape, theta, o, t);
  }
  const logits = theta.slice(layout.unembedBias, layout.unembedBias + V);
  matVec(theta, layout.unembed, V, d, x, (N - 1) * d, logits, 0);
  const policy = softmaxInto(logits, new Float64Array(V));
  return { shape, layout, window: Array.from(window), layers, output: x, logits, policy };
}

/** Figure 3's map: πθ(· | S_t), the next-token distribution of the network given the window. */
export function netPolicy(shape: NetShape, theta: Float64Array, window: ArrayLike<number>): Float64Array {
  return netForward(shape, theta, window).policy;
}
