/**
 * The 10-armed testbed (q*(a) ~ N(4, 1), rewards N(q*(a), 1)) with the gradient bandit: the Gibbs
 * policy (2) trained by REINFORCE with the running-average baseline (13), B_0 = 0. A tight loop over
 * preallocated arrays, for the benchmark; its steps equal `reinforceBaselineStep` up to rounding.
 */
import type { Rng } from "../contract/random.ts";

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
 * Run the testbed. Randomness: three 32-bit words drawn from `rng` seed an sfc32 generator inlined in
 * the loop (the same sequence as `fastStream(rng)`, without a function call per draw); per run the
 * arms' values, per step one uniform for the action and one Box–Muller pair for every two rewards.
 */
export function runTestbed(rng: Rng, o: TestbedOptions = TESTBED): TestbedResult {
  const k = o.arms;
  const theta = new Float64Array(k);
  const e = new Float64Array(k);
  const q = new Float64Array(k);
  const byStep = new Float64Array(o.steps);
  const alpha = o.stepSize;
  // sfc32 state as int32 locals (arithmetic mod 2^32, as in src/contract/random.ts fastStream)
  let sa = (rng() * 4294967296) | 0;
  let sb = (rng() * 4294967296) | 0;
  let sc = (rng() * 4294967296) | 0;
  let sd = 1;
  let t32 = 0;
  for (let i = 0; i < 12; i++) {
    t32 = (((sa + sb) | 0) + sd) | 0;
    sd = (sd + 1) | 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) | 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + t32) | 0;
  }
  let spare = 0;
  let hasSpare = false;
  for (let run = 0; run < o.runs; run++) {
    let best = 0;
    for (let a = 0; a < k; a++) {
      // q*(a) ~ N(qMean, qSd²), from the same Box–Muller pairs as the rewards (as in scripts/tools/bench/testbed.c)
      let z: number;
      if (hasSpare) {
        hasSpare = false;
        z = spare;
      } else {
        let u: number;
        do {
          t32 = (((sa + sb) | 0) + sd) | 0;
          sd = (sd + 1) | 0;
          sa = sb ^ (sb >>> 9);
          sb = (sc + (sc << 3)) | 0;
          sc = (sc << 21) | (sc >>> 11);
          sc = (sc + t32) | 0;
          u = (t32 >>> 0) / 4294967296;
        } while (u <= 0);
        t32 = (((sa + sb) | 0) + sd) | 0;
        sd = (sd + 1) | 0;
        sa = sb ^ (sb >>> 9);
        sb = (sc + (sc << 3)) | 0;
        sc = (sc << 21) | (sc >>> 11);
        sc = (sc + t32) | 0;
        const v = 2 * Math.PI * ((t32 >>> 0) / 4294967296);
        const m = Math.sqrt(-2 * Math.log(u));
        spare = m * Math.sin(v);
        hasSpare = true;
        z = m * Math.cos(v);
      }
      q[a] = o.qMean + o.qSd * z;
      if (q[a] > q[best]) best = a;
      theta[a] = 0;
    }
    const qBest = q[best];
    let b = 0; // B_0 = 0
    for (let t = 0; t < o.steps; t++) {
      // Eq. (2), stably: e_a = exp(θ_a − max θ), π = e / Σe
      let mx = theta[0];
      for (let a = 1; a < k; a++) if (theta[a] > mx) mx = theta[a];
      let s = 0;
      for (let a = 0; a < k; a++) {
        const x = Math.exp(theta[a] - mx);
        e[a] = x;
        s += x;
      }
      t32 = (((sa + sb) | 0) + sd) | 0;
      sd = (sd + 1) | 0;
      sa = sb ^ (sb >>> 9);
      sb = (sc + (sc << 3)) | 0;
      sc = (sc << 21) | (sc >>> 11);
      sc = (sc + t32) | 0;
      const u = ((t32 >>> 0) / 4294967296) * s;
      let act = k - 1;
      let acc = 0;
      for (let a = 0; a < k - 1; a++) {
        acc += e[a];
        if (u < acc) {
          act = a;
          break;
        }
      }
      let z: number;
      if (hasSpare) {
        hasSpare = false;
        z = spare;
      } else {
        let u1: number;
        do {
          t32 = (((sa + sb) | 0) + sd) | 0;
          sd = (sd + 1) | 0;
          sa = sb ^ (sb >>> 9);
          sb = (sc + (sc << 3)) | 0;
          sc = (sc << 21) | (sc >>> 11);
          sc = (sc + t32) | 0;
          u1 = (t32 >>> 0) / 4294967296;
        } while (u1 <= 0);
        t32 = (((sa + sb) | 0) + sd) | 0;
        sd = (sd + 1) | 0;
        sa = sb ^ (sb >>> 9);
        sb = (sc + (sc << 3)) | 0;
        sc = (sc << 21) | (sc >>> 11);
        sc = (sc + t32) | 0;
        const v = 2 * Math.PI * ((t32 >>> 0) / 4294967296);
        const m = Math.sqrt(-2 * Math.log(u1));
        spare = m * Math.sin(v);
        hasSpare = true;
        z = m * Math.cos(v);
      }
      const r = q[act] + z;
      // Eq. (13) with the score (5): θ_b −= α(R − B)π_b for all b, then θ_A += α(R − B)
      const g = alpha * (r - b);
      const c = g / s;
      for (let a = 0; a < k; a++) theta[a] -= c * e[a];
      theta[act] += g;
      b += (r - b) / (t + 1);
      if (q[act] === qBest) byStep[t]++;
    }
  }
  return { optimalAtEnd: o.steps > 0 ? byStep[o.steps - 1] : 0, optimalByStep: byStep, steps: o.steps, runs: o.runs, lastTheta: Float64Array.from(theta), lastQ: Float64Array.from(q) };
}
