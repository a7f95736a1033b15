/**
 * Chapter 3's benchmarks, in episodes per second: simulating an episode and computing its reward-to-go
 * estimate (29) on a 33-state layered problem (T = 8, 3 actions), and episodic REINFORCE with the V_t
 * baseline (30) on stop-or-play (T = 8), where each update also recomputes J, Q_t and V_t exactly.
 * No C reference.
 */
import { derive, fastStream, stream } from "../../../src/contract/random.ts";
import { reinforceRewardToGo } from "../../../src/total-return/estimators.ts";
import { stopOrPlay } from "../../../measure/total-return/examples.ts";
import { layeredProblem } from "../../../measure/total-return/layered.ts";
import { sampleEpisode } from "../../../src/total-return/sample.ts";
import { trainEpisodic } from "../../../src/total-return/train.ts";
import type { EpisodicProblem } from "../../../src/total-return/types.ts";
import { median, type BenchEntry } from "./types.ts";

/** The layered problem of the chapter's Monte Carlo check (T layers of K states, then an absorbing end), rewards U(0, 1/T). */
function layered(rng: () => number, K = 4, A = 3, T = 8): EpisodicProblem {
  return layeredProblem(rng, K, A, T, () => Array.from({ length: A }, () => rng() / T));
}

function timeIt(repeats: number, work: () => number): { rate: number; check: number } {
  work(); // warm-up (JIT)
  const rates: number[] = [];
  let check = 0;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const n = work();
    rates.push(n / ((performance.now() - t0) / 1000));
    check = n;
  }
  return { rate: median(rates), check };
}

export const entries: BenchEntry[] = [
  {
    chapter: "3",
    name: "episode + reward-to-go estimate (29), 33-state layered problem, T = 8",
    run(ctx) {
      const problem = layered(stream(derive(ctx.seed, "bench", "ch3", "problem")));
      const theta = new Float64Array(problem.mdp.P.length * 3);
      const episodes = 50_000;
      let sink = 0;
      const { rate } = timeIt(ctx.repeats, () => {
        const rng = fastStream(stream(derive(ctx.seed, "bench", "ch3", "episodes")));
        for (let i = 0; i < episodes; i++)
          sink += reinforceRewardToGo(problem, theta, sampleEpisode(problem, theta, rng))[0];
        return episodes;
      });
      return {
        chapter: "3",
        name: this.name,
        unit: "episodes/s",
        js: rate,
        facts: { episodes, states: problem.mdp.P.length, horizon: 8, checksum: +sink.toPrecision(6) },
      };
    },
  },
  {
    chapter: "3",
    name: "episodic REINFORCE with V_t baseline (30), stop-or-play, T = 8 (exact J per update)",
    run(ctx) {
      const problem = stopOrPlay(8);
      const episodes = 20_000;
      let finalJ = 0;
      const { rate } = timeIt(ctx.repeats, () => {
        const res = trainEpisodic(
          problem,
          { estimator: "value-baseline", episodes, stepSize: 1 },
          fastStream(stream(derive(ctx.seed, "bench", "ch3", "train"))),
        );
        finalJ = res.J[episodes];
        return episodes;
      });
      return {
        chapter: "3",
        name: this.name,
        unit: "episodes/s",
        js: rate,
        facts: { episodes, finalJ: +finalJ.toPrecision(6) },
      };
    },
  },
];
