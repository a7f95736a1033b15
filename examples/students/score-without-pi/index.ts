// Mistake: the score drops the −πθ term of eq. (5) and returns the one-hot vector 1ₐ alone.
export * from "./correct.ts";

export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  const g = new Float64Array(theta.length);
  g[a] = 1;
  return g;
}
