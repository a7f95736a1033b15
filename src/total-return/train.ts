/** Episodic REINFORCE: one simulated episode and one parameter update per iteration ℓ. */
import type { Rng } from "../contract/random.ts";
import { policyTable, timeIndexedValues, totalReturn } from "./exact.ts";
import {
  reinforceBaseline,
  reinforceFullReturn,
  reinforceRewardToGo,
  updateRunningBaseline,
  zeroBaseline,
} from "./estimators.ts";
import { problemShape, terminalMask } from "./problem.ts";
import { sampleWith } from "./sample.ts";
import type { EpisodicProblem, TrainOptions, TrainResult } from "./types.ts";

/**
 * θ_{ℓ+1} = θ_ℓ + α ĝ_ℓ, ĝ_ℓ one of the estimators of (29)–(30) on an episode simulated under π_{θ_ℓ}.
 * Records the exact J(θ_ℓ) for ℓ = 0, …, L. The running baseline starts at B₀ = 0 and is updated after
 * each update, so the baseline an episode sees never depends on that episode.
 */
export function trainEpisodic(p: EpisodicProblem, o: TrainOptions, rng: Rng): TrainResult {
  const { d } = problemShape(p);
  const term = terminalMask(p);
  const theta = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(d);
  const J = new Float64Array(o.episodes + 1);
  let b = zeroBaseline(p);
  J[0] = totalReturn(p, theta);
  for (let l = 0; l < o.episodes; l++) {
    const pi = policyTable(p, theta);
    const ep = sampleWith(p, (s) => pi[s], term, rng);
    let g: Float64Array;
    switch (o.estimator) {
      case "full-return":
        g = reinforceFullReturn(p, theta, ep);
        break;
      case "reward-to-go":
        g = reinforceRewardToGo(p, theta, ep);
        break;
      case "value-baseline":
        g = reinforceBaseline(p, theta, ep, timeIndexedValues(p, theta).V);
        break;
      case "running-baseline":
        g = reinforceBaseline(p, theta, ep, b);
        b = updateRunningBaseline(b, ep, o.baselineStep ?? 0.1);
        break;
      default:
        throw new RangeError(`unknown estimator ${JSON.stringify(o.estimator)}`);
    }
    for (let i = 0; i < d; i++) theta[i] += o.stepSize * g[i];
    J[l + 1] = totalReturn(p, theta);
  }
  return { J, theta };
}
