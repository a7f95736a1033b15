// Hostile: the exact gradient allocates memory without bound.
export * from "../correct/index.ts";

export function exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(theta.length + r.length));
}
