/**
 * The chapter's experiments on the training task: learning curves for each baseline and the paired
 * comparison of budgets (episodes needed to reach the target held-out success). Seeds derive from a
 * master seed by label; the two arms of a pair share one stream (common random numbers: the same θ_0,
 * the same prompts and the same uniforms, since both arms draw the same number of uniforms per update).
 */
import { substream, type Seed } from "../../src/contract/random.ts";
import type { GroupBaseline } from "../../src/language-models/advantages.ts";
import { reverseTask, TRAINING_TASK, type VerifiableTask } from "./tasks.ts";
import type { LmTrainConfig, LmTrainResult } from "../../src/language-models/train.ts";

/** The chapter's training task: reverse 2 of 7 symbols, R_T = ±1 (or the 0/1 verdict when `zeroOne`). */
export function trainingTask(zeroOne = false): VerifiableTask {
  return reverseTask(TRAINING_TASK.symbols, TRAINING_TASK.digits, {
    failReward: zeroOne ? 0 : TRAINING_TASK.failReward,
  });
}

/** The chapter's training settings (G = 4, α = 0.4, θ_0 ~ N(0, 0.1²), target 95%, budget 60,000 episodes). */
export const TRAINING = {
  groupSize: 4,
  stepSize: 0.4,
  initScale: 0.1,
  target: 0.95,
  budget: 60_000,
  evalEvery: 100,
} as const;

export type Trainer = (config: LmTrainConfig, rng: ReturnType<typeof substream>) => LmTrainResult;

/** The configuration of one run under a baseline, with a given budget. */
export function trainingConfig(
  task: VerifiableTask,
  baseline: GroupBaseline,
  episodes: number = TRAINING.budget,
  stop = true,
): LmTrainConfig {
  return {
    task,
    baseline,
    groupSize: TRAINING.groupSize,
    stepSize: TRAINING.stepSize,
    initScale: TRAINING.initScale,
    episodes,
    evalEvery: TRAINING.evalEvery,
    ...(stop ? { target: TRAINING.target } : {}),
  };
}

export interface PairOutcome {
  /** Episodes the baseline run needed (null: not within the budget). */
  withBaseline: number | null;
  /** Episodes the plain run needed, searched only up to the baseline's count (null: not reached by then). */
  without: number | null;
  /** The baseline run needed strictly fewer episodes. */
  win: boolean;
}

/**
 * One pair: the baseline run first, then the plain run with the same stream and a budget capped at
 * the baseline's count (enough to decide which needed fewer; ties count as no win).
 */
export function pairedRun(
  seed: Seed,
  i: number,
  baseline: GroupBaseline,
  train: Trainer,
  task = trainingTask(),
): PairOutcome {
  const a = train(trainingConfig(task, baseline), substream(seed, "pair", i)).episodesToTarget;
  if (a === null) return { withBaseline: null, without: null, win: false };
  const b = train(trainingConfig(task, "none", a), substream(seed, "pair", i)).episodesToTarget;
  return { withBaseline: a, without: b, win: b === null };
}

export interface Curves {
  episodes: number[];
  /** Mean held-out success over runs at each point, per baseline. */
  mean: Record<string, number[]>;
  /** The fraction of runs that reached the target by each point, per baseline. */
  reached: Record<string, number[]>;
}

/** Learning curves over `runs` seeds for each baseline, each run spending the whole budget. */
export function learningCurves(
  train: Trainer,
  seed: Seed,
  runs: number,
  baselines: readonly GroupBaseline[],
  budget: number = TRAINING.budget,
  every = 1000,
  zeroOne = false,
): Curves {
  const task = trainingTask(zeroOne);
  const episodes: number[] = [];
  for (let e = 0; e <= budget; e += every) episodes.push(e);
  const mean: Record<string, number[]> = {};
  const reached: Record<string, number[]> = {};
  for (const b of baselines) {
    const m = new Array<number>(episodes.length).fill(0);
    const r = new Array<number>(episodes.length).fill(0);
    for (let i = 0; i < runs; i++) {
      const res = train(
        { ...trainingConfig(task, b, budget, false), evalEvery: every },
        substream(seed, "curve", zeroOne ? "01" : "pm1", b, i),
      );
      let hit = false;
      for (let k = 0; k < episodes.length; k++) {
        const s = res.success[Math.min(k, res.success.length - 1)];
        if (s >= TRAINING.target) hit = true;
        m[k] += s / runs;
        r[k] += (hit ? 1 : 0) / runs;
      }
    }
    mean[b] = m;
    reached[b] = r;
  }
  return { episodes, mean, reached };
}
