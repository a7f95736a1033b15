// Partial: only the Gibbs policy is written; every other check is "not attempted".
export function gibbsPolicy(theta: Float64Array): Float64Array {
  const m = Math.max(...theta);
  const e = theta.map((t) => Math.exp(t - m));
  const z = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / z);
}
