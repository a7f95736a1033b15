// Mistake: the baseline depends on the action taken (B = B + 1/2 when A = 0), which biases eq. (13).
export * from "./correct.ts";
import { gibbsScore } from "./correct.ts";

export function reinforceBaselineStep(theta: Float64Array, a: number, reward: number, baseline: number, stepSize: number): Float64Array {
  const b = a === 0 ? baseline + 0.5 : baseline;
  const s = gibbsScore(theta, a);
  return theta.map((t, i) => t + stepSize * (reward - b) * s[i]);
}
