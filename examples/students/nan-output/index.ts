// Mistake: the policy overflows for large scores (no max subtraction): e^1000 = Infinity, ∞/∞ = NaN.
export * from "./correct.ts";

export function gibbsPolicy(theta: Float64Array): Float64Array {
  const e = theta.map(Math.exp);
  const z = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / z);
}
