/** Chapter 4's benchmark: REINFORCE training episodes per second on the chapter's reverse task. */
import { TRAINING, trainingConfig, trainingTask } from "../../../measure/language-models/experiments.ts";
import { trainLm } from "../../../src/language-models/train.ts";
import { substream } from "../../../src/contract/random.ts";
import { median, type BenchEntry } from "./types.ts";

const EPISODES = 200_000;

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
];
