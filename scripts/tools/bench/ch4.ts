/**
 * Chapter 4's benchmarks: REINFORCE training episodes per second on the tabular chapter's reverse task,
 * and the neural policy at the chapter's size (NETWORK.shape, 4,683 parameters): one token's forward and
 * backward pass (netForward + addNetTokenScore, what a training token costs) and the forward pass alone,
 * each against the same pass in C (scripts/tools/bench/network.c, checked to compute the same sums), and
 * netReinforce's episodes per second on the chapter's task.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { TRAINING, trainingConfig, trainingTask } from "../../../measure/language-models/experiments.ts";
import { NETWORK, networkTask, reinforceConfig } from "../../../measure/language-models/network-experiments.ts";
import { sortTask } from "../../../measure/language-models/sort-task.ts";
import { substream } from "../../../src/contract/random.ts";
import { initNetwork } from "../../../src/language-models/network/init.ts";
import { netForward } from "../../../src/language-models/network/forward.ts";
import { netReinforce, netSuccess } from "../../../src/language-models/network/reinforce.ts";
import { addNetTokenScore } from "../../../src/language-models/network/score.ts";
import { windowsAlong } from "../../../src/language-models/sequence.ts";
import { trainLm } from "../../../src/language-models/train.ts";
import { NO_COMPILER, compileC } from "./c.ts";
import { type NetWorkload, compareChecksums, networkInput, runNetworkC, tsChecksum } from "./network-c.ts";
import { median, type BenchEntry, type BenchRow } from "./types.ts";

const EPISODES = 200_000;

/** Passes over the workload's windows per timed repetition: one in TypeScript, more in C (it is faster). */
const TS_PASSES = 1;
const C_PASSES = 5;

/** The network's training row: episodes per run, the brief's optimizer settings (not the tuned ones). */
/**
 * The training row: plain REINFORCE on ±1 verdicts, so that every update has a gradient (from θ₀ a correct
 * response is rare, and under 0/1 verdicts or RLOO most updates would only sample); G and the rate are the
 * chapter's.
 */
const NET_TRAINING = { episodes: 2000, groupSize: NETWORK.reinforce.groupSize, stepSize: NETWORK.stepSize.none };

const shapeLabel = () => {
  const s = NETWORK.shape;
  return `V ${s.vocab}, N ${s.window}, d ${s.width}, m ${s.hidden}, L ${s.layers}`;
};

/** θ₀ of the chapter's network (its own substream), and every training prompt's windows along its answer. */
function networkWorkload(seed: string): NetWorkload {
  const task = networkTask();
  const windows: number[][] = [];
  const tokens: number[] = [];
  for (const prompt of task.train) {
    const answer = task.answer(prompt);
    const ws = windowsAlong(prompt, answer);
    for (let t = 0; t < answer.length; t++) {
      windows.push(ws[t]);
      tokens.push(answer[t]);
    }
  }
  const theta = initNetwork(NETWORK.shape, substream(seed, "bench", "network", "theta"));
  return { shape: NETWORK.shape, theta, windows, tokens };
}

/** A row timing one pass per token, forward and backward or forward only, in TypeScript and in C. */
function passEntry(mode: "backward" | "forward", name: string): BenchEntry {
  return {
    chapter: "4",
    name,
    run(ctx): BenchRow {
      const w = networkWorkload(ctx.seed);
      const { shape, theta, windows, tokens } = w;
      const g = new Float64Array(theta.length);
      let sink = 0;
      const pass = () => {
        for (let i = 0; i < windows.length; i++) {
          const trace = netForward(shape, theta, windows[i]);
          if (mode === "backward") addNetTokenScore(theta, trace, tokens[i], 1, g);
          else sink += trace.policy[tokens[i]];
        }
      };
      const exe = compileC(ctx.cc, ctx.tmpDir, "network");
      const input = path.join(ctx.tmpDir, "network-input.txt");
      if (exe) writeFileSync(input, networkInput(w));
      const reference = tsChecksum(w); // the checksum C must reproduce; also the JIT's warm-up
      pass();
      // JS and C repetitions alternate, so both see the same load on a shared machine
      const jsTimes: number[] = [];
      const cTimes: number[] = [];
      let check: ReturnType<typeof compareChecksums> | undefined;
      for (let r = 0; r < ctx.repeats; r++) {
        const t0 = performance.now();
        for (let p = 0; p < TS_PASSES; p++) pass();
        jsTimes.push((performance.now() - t0) / 1000);
        if (exe) {
          const out = runNetworkC(exe, input, mode, C_PASSES, theta.length);
          cTimes.push(out.seconds);
          const c = compareChecksums(reference, out);
          if (!check || c.relativeDifference > check.relativeDifference || !c.ok) check = c;
        }
      }
      if (!Number.isFinite(sink)) throw new Error(`${name}: the forward passes' probabilities sum to ${sink}`);
      const tokensTs = TS_PASSES * windows.length;
      const js = tokensTs / median(jsTimes);
      const facts: Record<string, number | string> = {
        params: theta.length,
        windowsPerPass: windows.length,
        jsSecondsMedian: median(jsTimes),
      };
      let c: number | undefined;
      let ratio: number | undefined;
      if (exe && check) {
        c = (C_PASSES * windows.length) / median(cTimes);
        facts.cSecondsMedian = median(cTimes);
        facts.cPasses = C_PASSES;
        facts.checksum = check.verdict;
        // a C program that computes something else has no ratio to the reference
        if (check.ok) ratio = js / c;
        else console.error(`[bench] ${name}: ${check.verdict}`);
      } else facts.c = NO_COMPILER;
      return { chapter: "4", name, unit: "tokens/s", js, c, ratio, facts };
    },
  };
}

export const entries: BenchEntry[] = [
  {
    chapter: "4",
    name: "LM REINFORCE training (reverse 2 of 7, RLOO, G = 4)",
    run({ repeats, seed }) {
      const task = trainingTask();
      const rates: number[] = [];
      let finalSuccess = 0;
      for (let r = 0; r < repeats; r++) {
        // no target: every run spends the whole budget (held-out success measured every 10,000 episodes)
        const cfg = { ...trainingConfig(task, "rloo", EPISODES, false), evalEvery: 10_000 };
        const t0 = performance.now();
        const res = trainLm(cfg, substream(seed, "bench", "ch4", r));
        rates.push(EPISODES / ((performance.now() - t0) / 1000));
        finalSuccess = res.success[res.success.length - 1];
      }
      return {
        chapter: "4",
        name: "LM REINFORCE training (reverse 2 of 7, RLOO, G = 4)",
        unit: "episodes/s",
        js: median(rates),
        facts: {
          episodesPerRun: EPISODES,
          tokensPerEpisode: task.length,
          vocab: task.model.vocab,
          window: task.model.window,
          groupSize: TRAINING.groupSize,
          finalHeldOutSuccess: finalSuccess,
        },
      };
    },
  },
  passEntry("backward", `network forward+backward per token (${shapeLabel()})`),
  passEntry("forward", `network forward only per token (${shapeLabel()})`),
  {
    chapter: "4",
    name: `network REINFORCE training from θ₀ (${networkTask().name}, ±1 verdicts, Adam, G = ${NET_TRAINING.groupSize})`,
    run({ repeats, seed }) {
      const task = sortTask(NETWORK.symbols, NETWORK.shape.window, -1, "reverse");
      const theta0 = networkWorkload(seed).theta;
      // the verdicts in the order netReinforce asks for them (G per update), to count the updates with a
      // gradient: with ±1 verdicts and no baseline every advantage is ±1, so every update has one
      const verdicts: number[] = [];
      const counted = {
        ...task,
        reward: (p: ArrayLike<number>, t: ArrayLike<number>) => {
          const v = task.reward(p, t);
          verdicts.push(v);
          return v;
        },
      };
      const G = NET_TRAINING.groupSize;
      // held-out success is measured at the start and at the end only (evalEvery = the budget)
      const cfg = reinforceConfig("none", counted, {
        ...NET_TRAINING,
        evalEvery: NET_TRAINING.episodes,
        target: undefined,
      });
      const rates: number[] = [];
      const seconds: number[] = [];
      let res: ReturnType<typeof netReinforce> | undefined;
      for (let r = 0; r < repeats; r++) {
        verdicts.length = 0;
        const t0 = performance.now();
        res = netReinforce(cfg, theta0, substream(seed, "bench", "network", "reinforce", r));
        seconds.push((performance.now() - t0) / 1000);
        rates.push(NET_TRAINING.episodes / seconds[r]);
      }
      if (!res || verdicts.length !== NET_TRAINING.episodes)
        throw new Error(`network training: ${verdicts.length} verdicts for ${NET_TRAINING.episodes} episodes`);
      let withGradient = 0;
      for (let i = 0; i < verdicts.length; i += G) if (verdicts.slice(i, i + G).some((v) => v !== 0)) withGradient++;
      const t0 = performance.now();
      netSuccess(NETWORK.shape, task, res.theta);
      const evalSeconds = (performance.now() - t0) / 1000;
      return {
        chapter: "4",
        name: this.name,
        unit: "episodes/s",
        js: median(rates),
        facts: {
          episodesPerRun: NET_TRAINING.episodes,
          stepSize: NET_TRAINING.stepSize,
          tokensPerEpisode: task.length,
          updatesWithGradient: `${withGradient}/${verdicts.length / G}`,
          evaluations: res.episodes.length,
          evalShare: (res.episodes.length * evalSeconds) / median(seconds),
          finalHeldOutSuccess: res.success[res.success.length - 1],
        },
      };
    },
  },
];
