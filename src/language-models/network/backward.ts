/**
 * Backpropagation through the network of shape.ts: given a forward trace and ∂f/∂logits, add c·∇θ f to g.
 * Each step is the chain rule of one line of shape.ts's formulas, taken in reverse order.
 */
import type { NetTrace } from "./forward.ts";

/**
 * Backward through y = W x for a rows × cols block W of θ at `w`: the weight gradient g[W] += dy xᵀ and the
 * input gradient dx += Wᵀ dy, with dy read at dyAt and x, dx at xAt.
 */
function linearBackward(
  theta: Float64Array,
  g: Float64Array,
  w: number,
  [rows, cols]: [number, number],
  dy: Float64Array,
  dyAt: number,
  x: Float64Array,
  dx: Float64Array,
  xAt: number,
): void {
  for (let r = 0; r < rows; r++) {
    const e = dy[dyAt + r];
    if (e === 0) continue;
    const row = w + r * cols;
    for (let c = 0; c < cols; c++) {
      g[row + c] += e * x[xAt + c];
      dx[xAt + c] += theta[row + c] * e;
    }
  }
}

/**
 * g += ∇θ f for a function f of the logits, given dLogits = ∂f/∂logits (already scaled as wanted) and the
 * trace of the forward pass at θ.
 */
export function netBackward(theta: Float64Array, trace: NetTrace, dLogits: ArrayLike<number>, g: Float64Array): void {
  const { shape, layout } = trace;
  const { vocab: V, window: N, width: d, hidden: m } = shape;
  const dz = Float64Array.from(dLogits);
  for (let a = 0; a < V; a++) g[layout.unembedBias + a] += dz[a];
  // only the newest position feeds the logits
  let dx: Float64Array = new Float64Array(N * d);
  linearBackward(theta, g, layout.unembed, [V, d], dz, 0, trace.output, dx, (N - 1) * d);
  const scale = 1 / Math.sqrt(d);
  for (let l = shape.layers - 1; l >= 0; l--) {
    const o = layout.layers[l];
    const t = trace.layers[l];
    // x' = h + W₂ u + b₂, u = tanh(W₁ h + b₁)
    const dh = Float64Array.from(dx);
    const dPre = new Float64Array(N * m);
    for (let i = 0; i < N; i++) {
      for (let c = 0; c < d; c++) g[o.mlpOutBias + c] += dx[i * d + c];
      linearBackward(theta, g, o.mlpOut, [d, m], dx, i * d, t.activation, dPre, i * m);
      for (let r = 0; r < m; r++) {
        const u = t.activation[i * m + r];
        dPre[i * m + r] *= 1 - u * u;
        g[o.mlpInBias + r] += dPre[i * m + r];
      }
      linearBackward(theta, g, o.mlpIn, [m, d], dPre, i * m, t.residual, dh, i * d);
    }
    // h = x + Wo·mixed
    const dx0 = Float64Array.from(dh);
    const dMixed = new Float64Array(N * d);
    for (let i = 0; i < N; i++) {
      linearBackward(theta, g, o.out, [d, d], dh, i * d, t.mixed, dMixed, i * d);
    }
    // mixedᵢ = Σ_{j≤i} aᵢⱼ vⱼ, aᵢ = softmax of the scores sᵢⱼ = qᵢ·kⱼ/√d over j ≤ i
    const dq = new Float64Array(N * d);
    const dk = new Float64Array(N * d);
    const dv = new Float64Array(N * d);
    const dA = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let weighted = 0;
      for (let j = 0; j <= i; j++) {
        const a = t.attention[i * N + j];
        let s = 0;
        for (let c = 0; c < d; c++) {
          s += dMixed[i * d + c] * t.value[j * d + c];
          dv[j * d + c] += a * dMixed[i * d + c];
        }
        dA[j] = s;
        weighted += a * s;
      }
      for (let j = 0; j <= i; j++) {
        // the softmax's Jacobian: ∂aᵢⱼ/∂sᵢₖ = aᵢⱼ(δⱼₖ − aᵢₖ)
        const dS = t.attention[i * N + j] * (dA[j] - weighted) * scale;
        if (dS === 0) continue;
        for (let c = 0; c < d; c++) {
          dq[i * d + c] += dS * t.key[j * d + c];
          dk[j * d + c] += dS * t.query[i * d + c];
        }
      }
    }
    for (let i = 0; i < N; i++) {
      linearBackward(theta, g, o.query, [d, d], dq, i * d, t.input, dx0, i * d);
      linearBackward(theta, g, o.key, [d, d], dk, i * d, t.input, dx0, i * d);
      linearBackward(theta, g, o.value, [d, d], dv, i * d, t.input, dx0, i * d);
    }
    dx = dx0;
  }
  // x⁰ᵢ = E[sᵢ] + P[i]
  for (let i = 0; i < N; i++) {
    const tok = layout.tokenEmbed + trace.window[i] * d;
    const pos = layout.posEmbed + i * d;
    for (let c = 0; c < d; c++) {
      g[tok + c] += dx[i * d + c];
      g[pos + c] += dx[i * d + c];
    }
  }
}
