/**
 * The 10-armed testbed (q*(a) ~ N(4, 1), rewards N(q*(a), 1)) with the gradient bandit: the Gibbs
 * policy (2) trained by REINFORCE with the running-average baseline (13), B_0 = 0. A tight loop over
 * preallocated arrays, for the benchmark; its steps equal `reinforceBaselineStep` up to rounding.
 */
import type { Rng } from "../contract/random.ts";
import { sampleIndex, softmaxWeights } from "../core/distributions.ts";
import { sfc32Next, sfc32State } from "../core/sfc32.ts";

export interface TestbedOptions {
  arms: number;
  runs: number;
  steps: number;
  stepSize: number;
  /** Mean and sd of the arms' true values q*(a). */
  qMean: number;
  qSd: number;
}

export const TESTBED: TestbedOptions = { arms: 10, runs: 2000, steps: 1000, stepSize: 0.1, qMean: 4, qSd: 1 };

export interface TestbedResult {
  /** Runs whose action at the last step was an optimal arm. */
  optimalAtEnd: number;
  /** optimalByStep[t] = number of runs that chose an optimal arm at step t. */
  optimalByStep: Float64Array;
  steps: number;
  runs: number;
  /** θ and q* of the last run at its end (for checking the loop against the reference update). */
  lastTheta: Float64Array;
  lastQ: Float64Array;
}

/**
 * Run the testbed. Randomness: three 32-bit words drawn from `rng` seed an sfc32 generator (the same
 * sequence as `fastStream(rng)`, stepped directly on its state); per run the arms' values, per step
 * one uniform for the action and one Box–Muller pair for every two rewards.
 */
export function runTestbed(rng: Rng, o: TestbedOptions = TESTBED): TestbedResult {
  // The primitives as locals: run under tsx (CommonJS output), each call of an imported function
  // looks it up on the module object, which costs this loop about 15 % (npm run bench -- --only testbed).
  const next = sfc32Next;
  const weights = softmaxWeights;
  const draw = sampleIndex;
  const k = o.arms;
  const theta = new Float64Array(k);
  const e = new Float64Array(k);
  const q = new Float64Array(k);
  const byStep = new Float64Array(o.steps);
  const alpha = o.stepSize;
  const g32 = sfc32State(rng() * 4294967296, rng() * 4294967296, rng() * 4294967296);
  const kept = new Float64Array(2); // Box–Muller: [the pair's second value, 1 while it is unused]
  for (let run = 0; run < o.runs; run++) {
    let best = 0;
    for (let a = 0; a < k; a++) {
      q[a] = o.qMean + o.qSd * normal(next, g32, kept); // q*(a) ~ N(qMean, qSd²), from the same pairs as the rewards
      if (q[a] > q[best]) best = a;
      theta[a] = 0;
    }
    const qBest = q[best];
    let b = 0; // B_0 = 0
    for (let t = 0; t < o.steps; t++) {
      // Eq. (2), unnormalized: e_a = exp(θ_a − max θ), π = e / s; A ~ π by sampleIndex at u·s
      const s = weights(theta, e);
      const act = draw(e, next(g32) * s);
      const r = q[act] + normal(next, g32, kept);
      // Eq. (13) with the score (5): θ_b −= α(R − B)π_b for all b, then θ_A += α(R − B)
      const g = alpha * (r - b);
      const c = g / s;
      for (let a = 0; a < k; a++) theta[a] -= c * e[a];
      theta[act] += g;
      b += (r - b) / (t + 1);
      if (q[act] === qBest) byStep[t]++;
    }
  }
  return {
    optimalAtEnd: o.steps > 0 ? byStep[o.steps - 1] : 0,
    optimalByStep: byStep,
    steps: o.steps,
    runs: o.runs,
    lastTheta: Float64Array.from(theta),
    lastQ: Float64Array.from(q),
  };
}

/**
 * The next N(0, 1) draw by Box–Muller pairs from the sfc32 state g (as in scripts/tools/bench/testbed.c):
 * a fresh pair returns m·cos v and keeps m·sin v in kept[0] (kept[1] = 1) for the next call. `next` is
 * sfc32Next, passed in for the reason above; a closure over the loop's state instead costs it a few per cent.
 */
function normal(next: (g: Int32Array) => number, g: Int32Array, kept: Float64Array): number {
  if (kept[1] === 1) {
    kept[1] = 0;
    return kept[0];
  }
  let u: number;
  do u = next(g);
  while (u <= 0);
  const v = 2 * Math.PI * next(g);
  const m = Math.sqrt(-2 * Math.log(u));
  kept[0] = m * Math.sin(v);
  kept[1] = 1;
  return m * Math.cos(v);
}
