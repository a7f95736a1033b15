/**
 * A measuring tool: Chapter 4's neural policy recomputed from the contract's text (src/contract/chapter4.ts,
 * `netParamCount` … `netSequenceScore`), not from src/. It is written another way on purpose: θ is unpacked into
 * matrices stored as arrays of rows; each layer builds the whole N × N score matrix S = Q Kᵀ/√d with −∞ above
 * the diagonal (the causal mask) and takes a log-sum-exp softmax of each row; the backward pass is the chain rule
 * in matrix form, one matrix product per line of the forward pass.
 *
 * The backward pass can make a deliberate mistake, the negative controls of spec/4-language-models/4.6-network:
 *   "attention-transposed"          dV = A·dM instead of Aᵀ·dM, i.e. dvⱼ = Σᵢ aⱼᵢ dmᵢ where it should be Σᵢ aᵢⱼ dmᵢ;
 *   "softmax-jacobian-transposed"   dSᵢⱼ = aᵢⱼ(dAᵢⱼ − Σₖ aₖⱼ dAₖⱼ): the softmax's backward normalized over the column
 *                                   instead of the row (each row's Jacobian diag(aᵢ) − aᵢaᵢᵀ is symmetric, so
 *                                   "transposing" it only goes wrong once the rows are stacked in a matrix);
 *   "no-tanh-derivative"            the MLP's gradient passes tanh as if it were the identity.
 */
import type { NetShape } from "../../src/contract/chapter4.ts";

/** A matrix as an array of rows: W[r][c], rows = outputs, cols = inputs. */
type Matrix = number[][];

/** One block of θ as the contract lists it: its name, rows × cols (cols = 1 for a vector), and where it starts. */
export interface DocumentedBlock {
  name: string;
  rows: number;
  cols: number;
  offset: number;
}

/** The blocks of θ in the contract's order: E, P; per layer Wq, Wk, Wv, Wo, W₁, b₁, W₂, b₂; then U, c. */
export function documentedBlocks(shape: NetShape): DocumentedBlock[] {
  const { vocab: V, window: N, width: d, hidden: m, layers: L } = shape;
  const dims: [string, number, number][] = [
    ["tokenEmbed", V, d],
    ["posEmbed", N, d],
  ];
  for (let l = 0; l < L; l++) {
    dims.push(
      [`layer${l}.query`, d, d],
      [`layer${l}.key`, d, d],
      [`layer${l}.value`, d, d],
      [`layer${l}.out`, d, d],
      [`layer${l}.mlpIn`, m, d],
      [`layer${l}.mlpInBias`, m, 1],
      [`layer${l}.mlpOut`, d, m],
      [`layer${l}.mlpOutBias`, d, 1],
    );
  }
  dims.push(["unembed", V, d], ["unembedBias", V, 1]);
  let offset = 0;
  return dims.map(([name, rows, cols]) => {
    const b = { name, rows, cols, offset };
    offset += rows * cols;
    return b;
  });
}

interface LayerWeights {
  query: Matrix;
  key: Matrix;
  value: Matrix;
  out: Matrix;
  mlpIn: Matrix;
  mlpInBias: number[];
  mlpOut: Matrix;
  mlpOutBias: number[];
}

interface Weights {
  tokenEmbed: Matrix;
  posEmbed: Matrix;
  layers: LayerWeights[];
  unembed: Matrix;
  unembedBias: number[];
}

const column = (v: number[]): Matrix => v.map((x) => [x]);
const zeros = (rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
const transpose = (A: Matrix): Matrix => (A.length ? A[0].map((_, c) => A.map((row) => row[c])) : []);

/** A·B for an n × k and a k × p matrix. */
function matmul(A: Matrix, B: Matrix): Matrix {
  const p = B.length ? B[0].length : 0;
  return A.map((row) => {
    const out = new Array<number>(p).fill(0);
    row.forEach((a, k) => B[k].forEach((b, j) => (out[j] += a * b)));
    return out;
  });
}

const plus = (A: Matrix, B: Matrix): Matrix => A.map((row, i) => row.map((x, j) => x + B[i][j]));
const plusRow = (A: Matrix, b: number[]): Matrix => A.map((row) => row.map((x, j) => x + b[j]));
const columnSums = (A: Matrix): number[] => transpose(A).map((col) => col.reduce((s, x) => s + x, 0));

/** ln Σⱼ e^{xⱼ}, shifted by the largest entry (−∞ entries contribute 0). */
function logSumExp(x: number[]): number {
  const top = Math.max(...x);
  return top + Math.log(x.reduce((s, v) => s + Math.exp(v - top), 0));
}

function unpack(shape: NetShape, theta: Float64Array): Weights {
  const blocks = documentedBlocks(shape);
  const size = blocks.reduce((s, b) => s + b.rows * b.cols, 0);
  if (theta.length !== size) throw new RangeError(`documented network: θ has ${theta.length} entries, needs ${size}`);
  const read = new Map<string, Matrix>();
  for (const b of blocks)
    read.set(
      b.name,
      Array.from({ length: b.rows }, (_, r) =>
        Array.from(theta.subarray(b.offset + r * b.cols, b.offset + (r + 1) * b.cols)),
      ),
    );
  const get = (name: string): Matrix => read.get(name) as Matrix;
  const vec = (name: string): number[] => get(name).map((row) => row[0]);
  return {
    tokenEmbed: get("tokenEmbed"),
    posEmbed: get("posEmbed"),
    layers: Array.from({ length: shape.layers }, (_, l) => ({
      query: get(`layer${l}.query`),
      key: get(`layer${l}.key`),
      value: get(`layer${l}.value`),
      out: get(`layer${l}.out`),
      mlpIn: get(`layer${l}.mlpIn`),
      mlpInBias: vec(`layer${l}.mlpInBias`),
      mlpOut: get(`layer${l}.mlpOut`),
      mlpOutBias: vec(`layer${l}.mlpOutBias`),
    })),
    unembed: get("unembed"),
    unembedBias: vec("unembedBias"),
  };
}

/** What one layer computed, every matrix N rows (one per position). */
interface LayerValues {
  X: Matrix;
  Q: Matrix;
  K: Matrix;
  V: Matrix;
  /** The attention weights, zero above the diagonal when masked. */
  A: Matrix;
  /** M = A·V. */
  M: Matrix;
  /** H = X + M·Woᵀ. */
  H: Matrix;
  /** T = tanh(H·W₁ᵀ + b₁). */
  T: Matrix;
}

/** The documented forward pass: every layer's values, the last layer's output, the logits and the policy. */
export interface DocumentedForward {
  weights: Weights;
  layers: LayerValues[];
  output: Matrix;
  logits: number[];
  policy: number[];
}

export interface ForwardOptions {
  /** The causal mask (default true); false lets every position attend to every other, a control. */
  mask?: boolean;
}

/**
 * The forward pass of the contract: x⁰ᵢ = E[sᵢ] + P[i]; per layer Q = X Wqᵀ, K = X Wkᵀ, V = X Wvᵀ,
 * A = row-softmax(Q Kᵀ/√d with −∞ at j > i), H = X + (A V) Woᵀ, X' = H + tanh(H W₁ᵀ + b₁) W₂ᵀ + b₂;
 * logits = U x^L_{N−1} + c and πθ = softmax(logits).
 */
export function documentedForward(
  shape: NetShape,
  theta: Float64Array,
  window: ArrayLike<number>,
  o: ForwardOptions = {},
): DocumentedForward {
  const w = unpack(shape, theta);
  const { window: N, width: d, vocab: Vocab } = shape;
  if (window.length !== N)
    throw new RangeError(`documented network: the window has ${window.length} tokens, needs ${N}`);
  const tokens = Array.from(window);
  if (tokens.some((t) => !Number.isInteger(t) || t < 0 || t >= Vocab))
    throw new RangeError(`documented network: the window ${tokens} holds a token outside 0 … ${Vocab - 1}`);
  const mask = o.mask ?? true;
  let X: Matrix = tokens.map((s, i) => w.tokenEmbed[s].map((e, c) => e + w.posEmbed[i][c]));
  const layers: LayerValues[] = [];
  for (const lw of w.layers) {
    const Q = matmul(X, transpose(lw.query));
    const K = matmul(X, transpose(lw.key));
    const V = matmul(X, transpose(lw.value));
    const S = matmul(Q, transpose(K)).map((row, i) =>
      row.map((s, j) => (mask && j > i ? -Infinity : s / Math.sqrt(d))),
    );
    const A = S.map((row) => {
      const lse = logSumExp(row);
      return row.map((s) => Math.exp(s - lse));
    });
    const M = matmul(A, V);
    const H = plus(X, matmul(M, transpose(lw.out)));
    const T = plusRow(matmul(H, transpose(lw.mlpIn)), lw.mlpInBias).map((row) => row.map(Math.tanh));
    layers.push({ X, Q, K, V, A, M, H, T });
    X = plusRow(plus(H, matmul(T, transpose(lw.mlpOut))), lw.mlpOutBias);
  }
  const logits = matmul([X[N - 1]], transpose(w.unembed))[0].map((z, a) => z + w.unembedBias[a]);
  const lse = logSumExp(logits);
  return { weights: w, layers, output: X, logits, policy: logits.map((z) => Math.exp(z - lse)) };
}

/** πθ(· | window) by the documented forward pass. */
export function documentedNetPolicy(
  shape: NetShape,
  theta: Float64Array,
  window: ArrayLike<number>,
  o: ForwardOptions = {},
): Float64Array {
  return Float64Array.from(documentedForward(shape, theta, window, o).policy);
}

/** ln πθ(token | window) = logit − ln Σ e^logits, by the documented forward pass. */
export function documentedNetLogProb(
  shape: NetShape,
  theta: Float64Array,
  window: ArrayLike<number>,
  token: number,
): number {
  const { logits } = documentedForward(shape, theta, window);
  return logits[token] - logSumExp(logits);
}

/** The backward passes the tool can take: the right one and three tempting mistakes (see the module comment). */
export const BACKWARD_MISTAKES = [
  "none",
  "attention-transposed",
  "softmax-jacobian-transposed",
  "no-tanh-derivative",
] as const;
export type BackwardMistake = (typeof BACKWARD_MISTAKES)[number];

/**
 * ∇θ ln πθ(token | window) by the chain rule in matrix form (or with one deliberate `mistake`), packed in the
 * contract's layout. Each step reverses one line of `documentedForward`; dY is ∂ ln π/∂Y.
 */
export function documentedNetTokenScore(
  shape: NetShape,
  theta: Float64Array,
  window: ArrayLike<number>,
  token: number,
  mistake: BackwardMistake = "none",
): Float64Array {
  const f = documentedForward(shape, theta, window);
  const { window: N, width: d } = shape;
  const w = f.weights;
  const grads = new Map<string, Matrix>();
  // logits = U x_{N−1} + c: ∂ ln π(token)/∂logits = 1_token − π
  const dz = f.policy.map((p, a) => (a === token ? 1 : 0) - p);
  grads.set("unembed", matmul(column(dz), [f.output[N - 1]]));
  grads.set("unembedBias", column(dz));
  let dX = zeros(N, d);
  dX[N - 1] = matmul([dz], w.unembed)[0];
  for (let l = shape.layers - 1; l >= 0; l--) {
    const lw = w.layers[l];
    const { X, Q, K, V, A, M, H, T } = f.layers[l];
    // X' = H + T W₂ᵀ + b₂, T = tanh(H W₁ᵀ + b₁)
    grads.set(`layer${l}.mlpOut`, matmul(transpose(dX), T));
    grads.set(`layer${l}.mlpOutBias`, column(columnSums(dX)));
    const dT = matmul(dX, lw.mlpOut);
    const dPre = mistake === "no-tanh-derivative" ? dT : dT.map((row, i) => row.map((g, r) => g * (1 - T[i][r] ** 2)));
    grads.set(`layer${l}.mlpIn`, matmul(transpose(dPre), H));
    grads.set(`layer${l}.mlpInBias`, column(columnSums(dPre)));
    const dH = plus(dX, matmul(dPre, lw.mlpIn));
    // H = X + M Woᵀ
    grads.set(`layer${l}.out`, matmul(transpose(dH), M));
    const dM = matmul(dH, lw.out);
    // M = A V
    const dA = matmul(dM, transpose(V));
    const dV = matmul(mistake === "attention-transposed" ? A : transpose(A), dM);
    // A = row-softmax(S): dSᵢⱼ = aᵢⱼ(dAᵢⱼ − Σₖ aᵢₖ dAᵢₖ), the sum along row i (along column j for the mistake)
    const rowDots = A.map((row, i) => row.reduce((s, a, k) => s + a * dA[i][k], 0));
    const colDots = transpose(A).map((col, j) => col.reduce((s, a, k) => s + a * dA[k][j], 0));
    const dS = A.map((row, i) =>
      row.map(
        (a, j) =>
          (a * (dA[i][j] - (mistake === "softmax-jacobian-transposed" ? colDots[j] : rowDots[i]))) / Math.sqrt(d),
      ),
    );
    // S = Q Kᵀ/√d (the 1/√d already in dS), Q = X Wqᵀ, K = X Wkᵀ, V = X Wvᵀ
    const dQ = matmul(dS, K);
    const dK = matmul(transpose(dS), Q);
    grads.set(`layer${l}.query`, matmul(transpose(dQ), X));
    grads.set(`layer${l}.key`, matmul(transpose(dK), X));
    grads.set(`layer${l}.value`, matmul(transpose(dV), X));
    dX = plus(plus(dH, matmul(dQ, lw.query)), plus(matmul(dK, lw.key), matmul(dV, lw.value)));
  }
  // x⁰ᵢ = E[sᵢ] + P[i]
  const dE = zeros(shape.vocab, d);
  Array.from(window).forEach((s, i) => dX[i].forEach((g, c) => (dE[s][c] += g)));
  grads.set("tokenEmbed", dE);
  grads.set("posEmbed", dX);
  const out = new Float64Array(documentedBlocks(shape).reduce((s, b) => s + b.rows * b.cols, 0));
  for (const b of documentedBlocks(shape)) {
    const G = grads.get(b.name) as Matrix;
    G.forEach((row, r) => row.forEach((g, c) => (out[b.offset + r * b.cols + c] = g)));
  }
  return out;
}
