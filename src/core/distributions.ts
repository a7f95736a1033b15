/**
 * The finite distributions every chapter computes and draws from, written once: the softmax of a
 * score vector, its logarithm, and the inverse-CDF draw of an index from one uniform.
 *
 * The arithmetic is fixed, because seeded experiments, figures and the grader's replays depend on
 * it bit for bit: the maximum is found by a strict `>` scan from −∞, the exponentials are summed left
 * to right, and the partial sums of `sampleIndex` are accumulated left to right in float64.
 */
import { expNonPositive } from "./exp.ts";

/** The largest entry of z (−∞ for an empty z; NaN entries are skipped by the strict comparison). */
function maxOf(z: ArrayLike<number>): number {
  let m = -Infinity;
  const n = z.length;
  for (let i = 0; i < n; i++) if (z[i] > m) m = z[i];
  return m;
}

/**
 * The unnormalized softmax: out_i = exp(z_i − max z), and the return value is Σ_i out_i (summed left
 * to right). Subtracting the maximum keeps every term in [0, 1] and the largest at 1, so nothing overflows
 * and the sum is at least 1. `out` may be z.
 */
export function softmaxWeights(z: ArrayLike<number>, out: Float64Array): number {
  const m = maxOf(z);
  const n = z.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = expNonPositive(z[i] - m);
    out[i] = e;
    s += e;
  }
  return s;
}

/** softmax(z)_i = exp(z_i − max z) / Σ_j exp(z_j − max z), written into `out` (which may be z); returns out. */
export function softmaxInto(z: ArrayLike<number>, out: Float64Array): Float64Array {
  const s = softmaxWeights(z, out);
  const n = z.length;
  for (let i = 0; i < n; i++) out[i] /= s;
  return out;
}

/** ln softmax(z)_i = (z_i − m) − ln Σ_j exp(z_j − m) with m = max z: a log-probability that never overflows. */
export function logSoftmaxAt(z: ArrayLike<number>, i: number): number {
  const m = maxOf(z);
  const n = z.length;
  let s = 0;
  for (let j = 0; j < n; j++) s += expNonPositive(z[j] - m);
  return z[i] - m - Math.log(s);
}

/**
 * Draw an index from the weights p[offset], …, p[offset + n − 1] with one uniform u ∈ [0, 1) (or
 * u ∈ [0, Σ p) for unnormalized weights); returns 0 … n − 1, or −1 when n = 0.
 *
 * The convention, one for the whole book (every sampler of src/ draws through this function): with
 * partial sums c_0 = 0, c_{i+1} = c_i + p_i accumulated left to right in float64, index i is drawn for
 * u in the half-open interval [c_i, c_{i+1}). So u = 0 draws the first index of positive weight, and
 * an index of weight 0 (an empty interval) is never drawn. Rounding is absorbed by the last index of
 * positive weight: it is drawn for every u ≥ c_{n−1} too, as when the weights sum to 1 − 1e-16.
 */
export function sampleIndex(p: ArrayLike<number>, u: number, offset = 0, n = p.length - offset): number {
  let last = n - 1;
  let acc = 0;
  for (let i = 0; i < last; i++) {
    acc += p[offset + i];
    if (u < acc) return i;
  }
  // u ≥ c_{n−1}: past the others' intervals; trailing zero weights are skipped
  while (last > 0 && p[offset + last] <= 0) last--;
  return last;
}
