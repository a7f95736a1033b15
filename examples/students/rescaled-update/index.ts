// Mistake: the REINFORCE step of eq. (1) is taken with twice the step size.
export * from "./correct.ts";
import { gibbsScore } from "./correct.ts";

export function reinforceStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const s = gibbsScore(theta, a);
  return theta.map((t, i) => t + 2 * stepSize * reward * s[i]);
}
