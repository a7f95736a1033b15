// Mistake: every position attends to the whole window (aᵢⱼ = softmax over all j, not only j ≤ i): the causal mask of §3.2's attention (Figure 3) is missing, in netPolicy and, consistently, in the scores and log-probabilities built on that forward pass.
import type { Chapter4 } from "pgbook/contract";
import {
  addBackward,
  addTo,
  apply,
  dot,
  flattenWeights,
  logSumExp,
  readWeights,
  responseWindows,
  zeroWeights,
  type LayerValues,
  type NetPass,
} from "./correct.ts";

export * from "./correct.ts";

type NetShape = Parameters<Chapter4["netPolicy"]>[0];

/** The forward pass with full (unmasked) attention: row i holds a weight for every j = 0 … N−1. */
function unmaskedPass(shape: NetShape, theta: Float64Array, window: ArrayLike<number>): NetPass {
  const w = readWeights(shape, theta);
  const s = Array.from(window);
  const root = Math.sqrt(shape.width);
  let x = s.map((tok, i) => w.E[tok].map((e, c) => e + w.P[i][c]));
  const layers: LayerValues[] = [];
  for (const L of w.layers) {
    const q = x.map((xi) => apply(L.Wq, xi));
    const k = x.map((xi) => apply(L.Wk, xi));
    const v = x.map((xi) => apply(L.Wv, xi));
    const a = q.map((qi) => {
      const scores = k.map((kj) => dot(qi, kj) / root);
      const lse = logSumExp(scores);
      return scores.map((z) => Math.exp(z - lse));
    });
    const o = a.map((ai) => {
      const oi = new Array<number>(shape.width).fill(0);
      ai.forEach((aij, j) => v[j].forEach((vjc, c) => (oi[c] += aij * vjc)));
      return oi;
    });
    const h = x.map((xi, i) => {
      const hi = apply(L.Wo, o[i]);
      addTo(hi, xi);
      return hi;
    });
    const t = h.map((hi) => apply(L.W1, hi).map((u, r) => Math.tanh(u + L.b1[r])));
    layers.push({ x, q, k, v, a, o, h, t });
    x = h.map((hi, i) => apply(L.W2, t[i]).map((y, c) => y + L.b2[c] + hi[c]));
  }
  const last = x[shape.window - 1];
  const logits = apply(w.U, last).map((z, b) => z + w.c[b]);
  return { w, window: s, layers, last, logits };
}

export const netPolicy: Chapter4["netPolicy"] = (shape, theta, window) => {
  const { logits } = unmaskedPass(shape, theta, window);
  const lse = logSumExp(logits);
  return Float64Array.from(logits, (z) => Math.exp(z - lse));
};

export const netTokenScore: Chapter4["netTokenScore"] = (shape, theta, window, token) => {
  const G = zeroWeights(shape);
  addBackward(shape, unmaskedPass(shape, theta, window), token, G);
  return flattenWeights(G);
};

export const netSequenceLogProb: Chapter4["netSequenceLogProb"] = (shape, theta, prompt, tokens) =>
  responseWindows(prompt, tokens).reduce((acc, s, t) => {
    const { logits } = unmaskedPass(shape, theta, s);
    return acc + logits[tokens[t]] - logSumExp(logits);
  }, 0);

export const netSequenceScore: Chapter4["netSequenceScore"] = (shape, theta, prompt, tokens) => {
  const G = zeroWeights(shape);
  responseWindows(prompt, tokens).forEach((s, t) => addBackward(shape, unmaskedPass(shape, theta, s), tokens[t], G));
  return flattenWeights(G);
};
