// Mistake: the policy shifts θ in place (θ − max θ) instead of working on a copy.
export * from "./correct.ts";

export function gibbsPolicy(theta: Float64Array): Float64Array {
  let max = -Infinity;
  for (const t of theta) max = Math.max(max, t);
  for (let i = 0; i < theta.length; i++) theta[i] -= max;
  const e = theta.map(Math.exp);
  const z = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / z);
}
