/**
 * The testbed's loop rebuilt from the reference's own steps (gibbsPolicy, reinforceBaselineStep,
 * updateRunningAverage) and fastStream, for the unit tests of the benchmark's engine (src/bandits/testbed.ts).
 * It consumes the draws in the engine's order: per run, k normals for q*, then per step one uniform for the
 * action (inverse CDF over π) and one normal for the reward (Box–Muller pairs, the second value kept).
 */
import type { TestbedOptions } from "../../src/bandits/testbed.ts";
import { gibbsPolicy } from "../../src/bandits/gibbs.ts";
import { reinforceBaselineStep, updateRunningAverage } from "../../src/bandits/reinforce.ts";
import { fastStream, type Rng } from "../../src/contract/random.ts";

export interface TestbedReplay {
  /** byStep[t]: the number of runs whose action at step t has the largest q*. */
  byStep: Float64Array;
  /** θ after the last step of the last run. */
  lastTheta: Float64Array;
  /** q* of the last run. */
  lastQ: Float64Array;
}

/** Standard normals from `rng` by Box–Muller, each pair's second value kept for the next call. */
function boxMuller(rng: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    let u = rng();
    while (u <= 0) u = rng();
    const v = 2 * Math.PI * rng();
    const m = Math.sqrt(-2 * Math.log(u));
    spare = m * Math.sin(v);
    return m * Math.cos(v);
  };
}

/** The runs of the testbed on fastStream(source), each from θ = 0 and B_0 = 0, stepped by update (13). */
export function replayTestbed(source: Rng, o: TestbedOptions): TestbedReplay {
  const rng = fastStream(source);
  const normal = boxMuller(rng);
  const byStep = new Float64Array(o.steps);
  let theta: Float64Array = new Float64Array(o.arms);
  let q = new Float64Array(o.arms);
  for (let run = 0; run < o.runs; run++) {
    q = Float64Array.from({ length: o.arms }, () => o.qMean + o.qSd * normal());
    const best = Math.max(...q);
    theta = new Float64Array(o.arms);
    let b = 0;
    for (let t = 0; t < o.steps; t++) {
      const p = gibbsPolicy(theta);
      const u = rng();
      let a = o.arms - 1;
      let acc = 0;
      for (let j = 0; j < o.arms - 1; j++) {
        acc += p[j];
        if (u < acc) {
          a = j;
          break;
        }
      }
      const r = q[a] + normal();
      theta = reinforceBaselineStep(theta, a, r, b, o.stepSize);
      b = updateRunningAverage(b, t + 1, r);
      if (q[a] === best) byStep[t]++;
    }
  }
  return { byStep, lastTheta: theta, lastQ: q };
}
