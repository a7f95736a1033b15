/**
 * Chapter 4's neural policy (§3.2, Figure 3), written for the network members of src/contract/chapter4.ts.
 * θ is read into matrices stored as arrays of rows by one cursor that walks the contract's blocks in order
 * (E, P; per layer Wq, Wk, Wv, Wo, W₁, b₁, W₂, b₂; U, c), and the gradient is a set of matrices of the same
 * shapes written back by the same walk. Each position is handled on its own as a vector; attention row i
 * keeps only its i + 1 weights a_i0 … a_ii (the causal mask), a log-sum-exp softmax. The backward pass runs
 * position by position in reverse, accumulating into the gradient's matrices.
 */
import type { Chapter4 } from "pgbook/contract";

type NetShape = Parameters<Chapter4["netPolicy"]>[0];
type Vec = number[];
type Mat = Vec[];

/** One layer's weights. */
export interface NetLayer {
  Wq: Mat;
  Wk: Mat;
  Wv: Mat;
  Wo: Mat;
  W1: Mat;
  b1: Vec;
  W2: Mat;
  b2: Vec;
}

/** Every weight of the network (and, with the same shapes, a gradient). */
export interface NetWeights {
  E: Mat;
  P: Mat;
  layers: NetLayer[];
  U: Mat;
  c: Vec;
}

/**
 * Walk the blocks in the contract's order, asking `mat(rows, cols)` for each matrix and `vec(n)` for each
 * vector; the weights are built from what they return, so one walk serves to count, read and zero.
 */
function walk(shape: NetShape, mat: (rows: number, cols: number) => Mat, vec: (n: number) => Vec): NetWeights {
  const { vocab: V, window: N, width: d, hidden: m } = shape;
  const E = mat(V, d);
  const P = mat(N, d);
  const layers: NetLayer[] = [];
  for (let l = 0; l < shape.layers; l++) {
    const Wq = mat(d, d);
    const Wk = mat(d, d);
    const Wv = mat(d, d);
    const Wo = mat(d, d);
    const W1 = mat(m, d);
    const b1 = vec(m);
    const W2 = mat(d, m);
    const b2 = vec(d);
    layers.push({ Wq, Wk, Wv, Wo, W1, b1, W2, b2 });
  }
  const U = mat(V, d);
  const c = vec(V);
  return { E, P, layers, U, c };
}

/** The number of entries in θ: what the walk reads. */
export const netParamCount: Chapter4["netParamCount"] = (shape) => {
  let n = 0;
  walk(
    shape,
    (rows, cols) => ((n += rows * cols), []),
    (k) => ((n += k), []),
  );
  return n;
};

/** θ as matrices (copied out, θ untouched). */
export function readWeights(shape: NetShape, theta: Float64Array): NetWeights {
  const need = netParamCount(shape);
  if (theta.length !== need) throw new RangeError(`θ has ${theta.length} entries, this shape needs ${need}`);
  let at = 0;
  const vec = (n: number): Vec => {
    const v = Array.from(theta.subarray(at, at + n));
    at += n;
    return v;
  };
  return walk(shape, (rows, cols) => Array.from({ length: rows }, () => vec(cols)), vec);
}

/** All-zero weights of the shape (a gradient to accumulate into). */
export function zeroWeights(shape: NetShape): NetWeights {
  const vec = (n: number): Vec => new Array<number>(n).fill(0);
  return walk(shape, (rows, cols) => Array.from({ length: rows }, () => vec(cols)), vec);
}

/** Weights back into one Float64Array in the contract's order. */
export function flattenWeights(w: NetWeights): Float64Array {
  const out: number[] = [];
  const put = (v: Vec) => {
    for (const x of v) out.push(x);
  };
  const putMat = (M: Mat) => M.forEach(put);
  putMat(w.E);
  putMat(w.P);
  for (const L of w.layers) {
    [L.Wq, L.Wk, L.Wv, L.Wo, L.W1].forEach(putMat);
    put(L.b1);
    putMat(L.W2);
    put(L.b2);
  }
  putMat(w.U);
  put(w.c);
  return Float64Array.from(out);
}

/** M·x. */
export const apply = (M: Mat, x: Vec): Vec => M.map((row) => row.reduce((s, w, k) => s + w * x[k], 0));

/** Mᵀ·y. */
export function applyT(M: Mat, y: Vec): Vec {
  const out = new Array<number>(M[0].length).fill(0);
  M.forEach((row, r) => row.forEach((w, k) => (out[k] += w * y[r])));
  return out;
}

/** G += y xᵀ (the gradient of a matrix that took x to y, given ∂/∂y). */
export function addOuter(G: Mat, y: Vec, x: Vec): void {
  for (let r = 0; r < G.length; r++) for (let k = 0; k < x.length; k++) G[r][k] += y[r] * x[k];
}

/** u += v, in place. */
export function addTo(u: Vec, v: Vec): void {
  for (let k = 0; k < u.length; k++) u[k] += v[k];
}

export const dot = (u: Vec, v: Vec): number => u.reduce((s, x, k) => s + x * v[k], 0);

/** ln Σ e^{x_k}, the largest entry factored out. */
export function logSumExp(x: Vec): number {
  const top = Math.max(...x);
  return top + Math.log(x.reduce((s, v) => s + Math.exp(v - top), 0));
}

/** What a layer computed at each position i. */
export interface LayerValues {
  x: Mat;
  q: Mat;
  k: Mat;
  v: Mat;
  /** a[i] = the weights a_i0 … a_i(len − 1) (row i has i + 1 of them under the causal mask). */
  a: Mat;
  /** o_i = Σ_j a_ij v_j. */
  o: Mat;
  h: Mat;
  /** t_i = tanh(W₁ h_i + b₁). */
  t: Mat;
}

/** A forward pass: the weights, each layer's values, the newest position's last state, the logits. */
export interface NetPass {
  w: NetWeights;
  window: number[];
  layers: LayerValues[];
  last: Vec;
  logits: Vec;
}

/** The forward pass of the contract (causal attention: position i attends to j = 0 … i). */
export function netPass(shape: NetShape, theta: Float64Array, window: ArrayLike<number>): NetPass {
  const w = readWeights(shape, theta);
  const N = shape.window;
  const s = Array.from(window);
  if (s.length !== N) throw new RangeError(`the window has ${s.length} tokens, the network reads ${N}`);
  s.forEach((tok, i) => {
    if (!Number.isInteger(tok) || tok < 0 || tok >= shape.vocab)
      throw new RangeError(`window[${i}] = ${tok} is not a token`);
  });
  const root = Math.sqrt(shape.width);
  let x: Mat = s.map((tok, i) => w.E[tok].map((e, c) => e + w.P[i][c]));
  const layers: LayerValues[] = [];
  for (const L of w.layers) {
    const q = x.map((xi) => apply(L.Wq, xi));
    const k = x.map((xi) => apply(L.Wk, xi));
    const v = x.map((xi) => apply(L.Wv, xi));
    const a = q.map((qi, i) => {
      const scores = k.slice(0, i + 1).map((kj) => dot(qi, kj) / root);
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
  const last = x[N - 1];
  const logits = apply(w.U, last).map((z, b) => z + w.c[b]);
  return { w, window: s, layers, last, logits };
}

/** πθ(· | window) = e^{logit − lse}. */
export const netPolicy: Chapter4["netPolicy"] = (shape, theta, window) => {
  const { logits } = netPass(shape, theta, window);
  const lse = logSumExp(logits);
  return Float64Array.from(logits, (z) => Math.exp(z - lse));
};

/**
 * G += ∇θ ln π(token | window) for a forward pass, by the chain rule run backwards: first the read-out, then
 * each layer from the last (its MLP, then its attention), then the embeddings. Attention rows are read at
 * their own length, so the pass differentiates whatever pattern the forward pass attended with.
 */
export function addBackward(shape: NetShape, pass: NetPass, token: number, G: NetWeights): void {
  const { w } = pass;
  const N = shape.window;
  const root = Math.sqrt(shape.width);
  const lse = logSumExp(pass.logits);
  // ∂ ln π(token)/∂logit_b = [b = token] − π(b)
  const dz = pass.logits.map((z, b) => (b === token ? 1 : 0) - Math.exp(z - lse));
  addOuter(G.U, dz, pass.last);
  addTo(G.c, dz);
  let dx: Mat = Array.from({ length: N }, () => new Array<number>(shape.width).fill(0));
  dx[N - 1] = applyT(w.U, dz);
  for (let l = w.layers.length - 1; l >= 0; l--) {
    const L = w.layers[l];
    const g = G.layers[l];
    const { x, q, k, v, a, o, h, t } = pass.layers[l];
    // x'_i = h_i + W₂ t_i + b₂, t_i = tanh(W₁ h_i + b₁)
    const dh = dx.map((dxi, i) => {
      addOuter(g.W2, dxi, t[i]);
      addTo(g.b2, dxi);
      const du = applyT(L.W2, dxi).map((dt, r) => dt * (1 - t[i][r] * t[i][r]));
      addOuter(g.W1, du, h[i]);
      addTo(g.b1, du);
      const dhi = applyT(L.W1, du);
      addTo(dhi, dxi);
      return dhi;
    });
    // h_i = x_i + Wo o_i, o_i = Σ_j a_ij v_j, a_i = softmax_j(q_i·k_j/√d)
    const dq: Mat = q.map((qi) => qi.map(() => 0));
    const dk: Mat = k.map((ki) => ki.map(() => 0));
    const dv: Mat = v.map((vi) => vi.map(() => 0));
    for (let i = 0; i < N; i++) {
      addOuter(g.Wo, dh[i], o[i]);
      const doi = applyT(L.Wo, dh[i]);
      const da = a[i].map((_, j) => dot(doi, v[j]));
      const mean = a[i].reduce((s, aij, j) => s + aij * da[j], 0);
      a[i].forEach((aij, j) => {
        for (let c = 0; c < doi.length; c++) dv[j][c] += aij * doi[c];
        const ds = (aij * (da[j] - mean)) / root;
        for (let c = 0; c < doi.length; c++) {
          dq[i][c] += ds * k[j][c];
          dk[j][c] += ds * q[i][c];
        }
      });
    }
    dx = dh.map((dhi, i) => {
      addOuter(g.Wq, dq[i], x[i]);
      addOuter(g.Wk, dk[i], x[i]);
      addOuter(g.Wv, dv[i], x[i]);
      const dxi = dhi.slice();
      addTo(dxi, applyT(L.Wq, dq[i]));
      addTo(dxi, applyT(L.Wk, dk[i]));
      addTo(dxi, applyT(L.Wv, dv[i]));
      return dxi;
    });
  }
  // x⁰_i = E[s_i] + P[i]
  pass.window.forEach((tok, i) => {
    addTo(G.E[tok], dx[i]);
    addTo(G.P[i], dx[i]);
  });
}

/** ∇θ ln πθ(token | window) by backpropagation. */
export const netTokenScore: Chapter4["netTokenScore"] = (shape, theta, window, token) => {
  const G = zeroWeights(shape);
  addBackward(shape, netPass(shape, theta, window), token, G);
  return flattenWeights(G);
};

/** The windows S_0 … S_{T−1} of a response: each the previous without its oldest token, then A_t. */
export function responseWindows(prompt: ArrayLike<number>, tokens: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  let s = Array.from(prompt);
  for (let t = 0; t < tokens.length; t++) {
    out.push(s);
    s = [...s.slice(1), tokens[t]];
  }
  return out;
}

/** Σ_t (logit_{A_t} − lse) along the shifted windows. */
export const netSequenceLogProb: Chapter4["netSequenceLogProb"] = (shape, theta, prompt, tokens) =>
  responseWindows(prompt, tokens).reduce((acc, s, t) => {
    const { logits } = netPass(shape, theta, s);
    return acc + logits[tokens[t]] - logSumExp(logits);
  }, 0);

/** Eq. (29): the token scores along the shifted windows, accumulated into one gradient. */
export const netSequenceScore: Chapter4["netSequenceScore"] = (shape, theta, prompt, tokens) => {
  const G = zeroWeights(shape);
  responseWindows(prompt, tokens).forEach((s, t) => addBackward(shape, netPass(shape, theta, s), tokens[t], G));
  return flattenWeights(G);
};
