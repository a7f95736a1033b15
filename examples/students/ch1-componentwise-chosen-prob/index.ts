// Mistake: eq. (6) moves every other action b by −α·R·πθ(A), the chosen action's probability, instead of −α·R·πθ(b).
export * from "./correct.ts";
import { gibbsPolicy } from "./correct.ts";

export function componentwiseStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const p = gibbsPolicy(theta);
  return theta.map((t, b) => (b === a ? t + stepSize * (1 - p[a]) * reward : t - stepSize * p[a] * reward));
}
