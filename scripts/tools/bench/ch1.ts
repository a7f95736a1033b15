/**
 * Chapter 1's benchmark: the REINFORCE engine on the 10-armed testbed (q*(a) ~ N(4, 1), rewards
 * N(q*(a), 1), Gibbs policy, running-average baseline with B_0 = 0, step size 0.1, 2000 runs × 1000
 * steps), against the same workload in C (scripts/tools/bench/testbed.c) seeded with the same generator words.
 */
import { execFileSync } from "node:child_process";
import { TESTBED, runTestbed } from "../../../src/bandits/testbed.ts";
import { derive, stream } from "../../../src/contract/random.ts";
import { NO_COMPILER, compileC } from "./c.ts";
import { median, type BenchEntry } from "./types.ts";

/** Three 32-bit words from the book's seed tree; they seed sfc32 in both languages. */
function seedWords(seed: string): [number, number, number] {
  const s = stream(derive(seed, "bench", "testbed"));
  return [(s() * 4294967296) >>> 0, (s() * 4294967296) >>> 0, (s() * 4294967296) >>> 0];
}

/** A stream that replays the seed words; runTestbed reads them back exactly and seeds its sfc32 with them. */
function words(w: [number, number, number]) {
  let i = 0;
  return () => w[i++ % 3] / 4294967296;
}

export const entries: BenchEntry[] = [
  {
    chapter: "1",
    name: "10-armed testbed, REINFORCE + running-average baseline",
    goal: { of: "ratio", op: "≥", value: 0.7 },
    run(ctx) {
      const o = TESTBED;
      const steps = o.runs * o.steps;
      const seedWords3 = seedWords(ctx.seed);
      const exe = compileC(ctx.cc, ctx.tmpDir, "testbed");
      runTestbed(words(seedWords3), { ...o, runs: 200 }); // warm-up (JIT)
      // JS and C repetitions alternate, so both see the same load on a shared machine
      const jsTimes: number[] = [];
      const cTimes: number[] = [];
      let optimalJs = 0;
      let optimalC = 0;
      for (let r = 0; r < ctx.repeats; r++) {
        const t0 = performance.now();
        optimalJs = runTestbed(words(seedWords3), o).optimalAtEnd;
        jsTimes.push((performance.now() - t0) / 1000);
        if (exe) {
          const out = execFileSync(
            exe,
            [...seedWords3.map(String), String(o.runs), String(o.steps), String(o.stepSize), "1"],
            { encoding: "utf8" },
          );
          const [secs, opt] = out.trim().split(" ").map(Number);
          cTimes.push(secs);
          optimalC = opt;
        }
      }
      const js = steps / median(jsTimes);
      const c = exe ? steps / median(cTimes) : undefined;
      const facts: Record<string, number | string> = {
        runs: o.runs,
        stepsPerRun: o.steps,
        stepSize: o.stepSize,
        optimalPctJs: (100 * optimalJs) / o.runs,
        jsSecondsMedian: median(jsTimes),
      };
      if (exe) {
        facts.optimalPctC = (100 * optimalC) / o.runs;
        facts.cSecondsMedian = median(cTimes);
      } else facts.c = NO_COMPILER;
      return { chapter: "1", name: this.name, unit: "steps/s", js, c, ratio: c ? js / c : undefined, facts };
    },
  },
];
