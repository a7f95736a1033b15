/**
 * The shape of the book's neural policy (notes §3.2, Figure 3): a decoder-only transformer in miniature.
 *
 * A window S_t of N tokens enters as x⁰ᵢ = E[sᵢ] + P[i] (token plus position embedding, width d). Each of
 * L layers applies causal single-head self-attention and a tanh MLP, both with residual connections:
 *
 *   qᵢ = Wq xᵢ, kᵢ = Wk xᵢ, vᵢ = Wv xᵢ,  aᵢⱼ = softmax_{j ≤ i}(qᵢ·kⱼ/√d),  hᵢ = xᵢ + Wo Σ_{j≤i} aᵢⱼ vⱼ,
 *   x'ᵢ = hᵢ + W₂ tanh(W₁ hᵢ + b₁) + b₂,
 *
 * and the newest position's final state gives the logits U x^L_{N−1} + c, whose softmax is πθ(· | S_t).
 * θ is one Float64Array; `netLayout` says where each block lives. A matrix W with `rows` outputs and
 * `cols` inputs is stored row-major: W[r][c] = θ[offset + r·cols + c].
 */

/** Vocabulary V, window N, width d, MLP width m, number of layers L. */
export interface NetShape {
  vocab: number;
  window: number;
  width: number;
  hidden: number;
  layers: number;
}

/** One parameter block: its name, where it starts in θ, and its rows × cols (cols = 1 for a vector). */
export interface Block {
  name: string;
  offset: number;
  rows: number;
  cols: number;
}

/** The blocks of one layer, as offsets into θ. */
export interface LayerOffsets {
  query: number;
  key: number;
  value: number;
  out: number;
  mlpIn: number;
  mlpInBias: number;
  mlpOut: number;
  mlpOutBias: number;
}

/** Where every block of θ lives. */
export interface NetLayout {
  tokenEmbed: number;
  posEmbed: number;
  layers: LayerOffsets[];
  unembed: number;
  unembedBias: number;
  size: number;
  blocks: Block[];
}

/** The block names of one layer, in the order they are stored. */
export const LAYER_BLOCKS = ["query", "key", "value", "out", "mlpIn", "mlpInBias", "mlpOut", "mlpOutBias"] as const;

/** Check a shape: positive integers, V ≥ 2. Throws a RangeError naming the field. */
export function checkShape(shape: NetShape): void {
  for (const key of ["vocab", "window", "width", "hidden", "layers"] as const) {
    const v = shape[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`shape.${key} must be a positive integer, got ${v}`);
  }
  if (shape.vocab < 2) throw new RangeError(`shape.vocab must be at least 2, got ${shape.vocab}`);
}

/** The layout of θ for a shape (blocks in the order of the module comment). */
export function netLayout(shape: NetShape): NetLayout {
  checkShape(shape);
  const { vocab: V, window: N, width: d, hidden: m } = shape;
  const blocks: Block[] = [];
  let at = 0;
  const take = (name: string, rows: number, cols: number): number => {
    blocks.push({ name, offset: at, rows, cols });
    at += rows * cols;
    return at - rows * cols;
  };
  const tokenEmbed = take("tokenEmbed", V, d);
  const posEmbed = take("posEmbed", N, d);
  const layers: LayerOffsets[] = [];
  for (let l = 0; l < shape.layers; l++) {
    const dims: Record<(typeof LAYER_BLOCKS)[number], [number, number]> = {
      query: [d, d],
      key: [d, d],
      value: [d, d],
      out: [d, d],
      mlpIn: [m, d],
      mlpInBias: [m, 1],
      mlpOut: [d, m],
      mlpOutBias: [d, 1],
    };
    const o = {} as LayerOffsets;
    for (const b of LAYER_BLOCKS) o[b] = take(`layer${l}.${b}`, ...dims[b]);
    layers.push(o);
  }
  const unembed = take("unembed", V, d);
  const unembedBias = take("unembedBias", V, 1);
  return { tokenEmbed, posEmbed, layers, unembed, unembedBias, size: at, blocks };
}

/** The number of parameters of a shape. */
export function netParamCount(shape: NetShape): number {
  return netLayout(shape).size;
}
