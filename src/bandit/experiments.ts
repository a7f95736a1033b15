/**
 * The experiments behind the notes' Figures 1 and 2: seeded REINFORCE runs on two-armed Bernoulli
 * bandits. The site plots these runs and the [fig 1] / [fig 2] checks make their claims about the same runs.
 */
import { derive, type Seed } from "../random.ts";
import type { Bandit } from "./bandit.ts";
import { referenceEngine, runReinforce, runReinforceMany, type CallMany, type Engine, type Run, type RunOptions } from "./run.ts";

/** The book's default experiment seed. */
export const EXPERIMENT_SEED = 20251117;

export interface ExperimentOptions {
  runs?: number;
  steps?: number;
  stepSize?: number;
  seed?: Seed;
  /** The implementation whose steps are run (default: the reference). */
  engine?: Engine;
  /** The same implementation called in batches (all runs stepped together); overrides `engine`. */
  many?: CallMany;
  /** Something that performs all the runs at once (the grader's sandbox, verified); overrides `many` and `engine`. */
  loop?: (specs: RunSpec[]) => Run[];
}

/** One run of an experiment: its options and its seed. */
export interface RunSpec {
  o: RunOptions;
  seed: Seed;
}

export interface Experiment {
  /** Success probabilities p_a of the arms; action 0 is optimal. */
  armProbabilities: number[];
  runs: number;
  steps: number;
  stepSize: number;
  seed: Seed;
  optimalAction: number;
}

export interface Figure1 extends Experiment {
  /** One entry per run: π_{θ_t}(0) and θ_t for t = 0, …, steps (update (1), θ_0 = 0). */
  results: Run[];
}

export interface Figure2 extends Experiment {
  /** Update (1) without a baseline (the notes' red curve). */
  plain: Run[];
  /** Update (13) with the running-average baseline, B_0 = 0 (the green curve); same seeds as `plain`. */
  baselined: Run[];
}

/** Figure 1 defaults: p = (0.6, 0.4) and step size 0.05 as in the notes; θ_0 = 0, 1500 steps, 200 runs. */
export const FIGURE1 = { armProbabilities: [0.6, 0.4], runs: 200, steps: 1500, stepSize: 0.05 } as const;
/** Figure 2 defaults: p = (0.96, 0.94); the notes give no step size, the book uses 0.25; θ_0 = 0, 4000 steps, 200 runs. */
export const FIGURE2 = { armProbabilities: [0.96, 0.94], runs: 200, steps: 4000, stepSize: 0.25 } as const;

/** Figure 1: plain REINFORCE (1) on the 0.6/0.4 Bernoulli bandit. Run i is seeded by derive(seed, "fig1", i). */
export function figure1Experiment(opts: ExperimentOptions = {}): Figure1 {
  const e = setup(FIGURE1, opts);
  const bandit: Bandit = { kind: "bernoulli", p: [...FIGURE1.armProbabilities] };
  const results = runAll(
    Array.from({ length: e.runs }, (_, i) => ({ o: { bandit, steps: e.steps, stepSize: e.stepSize, baseline: "none" as const, watch: 0 }, seed: derive(e.seed, "fig1", i) })),
    opts,
  );
  return { ...e, results };
}

/** Figure 2: REINFORCE without (1) and with (13) the running-average baseline on the 0.96/0.94 bandit, paired by seed. */
export function figure2Experiment(opts: ExperimentOptions = {}): Figure2 {
  const e = setup(FIGURE2, opts);
  const bandit: Bandit = { kind: "bernoulli", p: [...FIGURE2.armProbabilities] };
  // Both arms of the comparison stepped together; run i of each is seeded by derive(seed, "fig2", i).
  const spec = (baseline: "none" | "running-average", i: number) => ({ o: { bandit, steps: e.steps, stepSize: e.stepSize, baseline, watch: 0 }, seed: derive(e.seed, "fig2", i) });
  const all = runAll([...Array.from({ length: e.runs }, (_, i) => spec("none", i)), ...Array.from({ length: e.runs }, (_, i) => spec("running-average", i))], opts);
  return { ...e, plain: all.slice(0, e.runs), baselined: all.slice(e.runs) };
}

/** The runs one after another with `opts.engine`, or stepped together with `opts.many` or `opts.loop` (the same runs). */
function runAll(specs: RunSpec[], opts: ExperimentOptions): Run[] {
  if (opts.loop) return opts.loop(specs);
  if (opts.many) return runReinforceMany(specs, opts.many);
  const engine = opts.engine ?? referenceEngine;
  return specs.map(({ o, seed }) => runReinforce(o, seed, engine));
}

function setup(d: { armProbabilities: readonly number[]; runs: number; steps: number; stepSize: number }, o: ExperimentOptions): Experiment {
  return {
    armProbabilities: [...d.armProbabilities],
    runs: o.runs ?? d.runs,
    steps: o.steps ?? d.steps,
    stepSize: o.stepSize ?? d.stepSize,
    seed: o.seed ?? EXPERIMENT_SEED,
    optimalAction: 0,
  };
}
