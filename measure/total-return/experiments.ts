/**
 * The chapter's experiments, shared by its checks and its figures so that a figure shows exactly the
 * runs a check makes its claim about: exact variances of the estimators on the small examples, and
 * learning curves of episodic REINFORCE on stop-or-play.
 */
import { substream, type Rng, type Seed } from "../../src/contract/random.ts";
import { enumerateEpisodes, exactMoments } from "./enumerate.ts";
import type { Chapter3 } from "../../src/contract/chapter3.ts";
import { problemShape } from "../../src/core/shapes.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "./examples.ts";
import type { EpisodicEstimator, EpisodicProblem, TrainOptions, TrainResult } from "../../src/total-return/types.ts";

/** The functions of an implementation that the variance figure needs. */
export type VarianceEstimators = Pick<
  Chapter3,
  "episodicPolicy" | "reinforceFullReturn" | "reinforceRewardToGo" | "reinforceValueBaseline" | "update28" | "update30"
>;

/** The estimators compared in the variance figure, in the order shown. */
export function varianceEstimators(
  impl: VarianceEstimators,
): Record<
  string,
  (p: EpisodicProblem, theta: Float64Array, ep: Parameters<Chapter3["reinforceFullReturn"]>[2]) => ArrayLike<number>
> {
  return {
    "full return": impl.reinforceFullReturn,
    "reward-to-go (29)": impl.reinforceRewardToGo,
    "reward-to-go − V_t (30)": impl.reinforceValueBaseline,
    "exact Q_t (28)": impl.update28,
    "exact Q_t − V_t (30)": impl.update30,
  };
}

/** Exact total variance E‖ĝ − ∇J‖² of each estimator of `impl` at θ = 0 on the three examples, by enumeration. */
export function varianceTable(impl: VarianceEstimators): { example: string; estimator: string; variance: number }[] {
  const examples: [string, EpisodicProblem][] = [
    ["repeated choice (T = 3)", repeatedChoice(3)],
    ["stop or play (T = 4)", stopOrPlay(4)],
    ["checked answer (T = 3)", checkedAnswer()],
  ];
  const out: { example: string; estimator: string; variance: number }[] = [];
  for (const [example, p] of examples) {
    const theta = new Float64Array(problemShape(p).d);
    const pi = Array.from({ length: p.mdp.P.length }, (_, s) => impl.episodicPolicy(p, theta, s));
    const list = enumerateEpisodes(p, pi);
    for (const [estimator, f] of Object.entries(varianceEstimators(impl)))
      out.push({ example, estimator, variance: exactMoments(list, (ep) => f(p, theta, ep)).totalVariance });
  }
  return out;
}

/** The learning experiment: stop-or-play with T = 8, constant step size 1, 300 episodes per run, θ₀ = 0. */
export const LEARNING = { horizon: 8, episodes: 300, stepSize: 1, runs: 500 } as const;

/** The learning problem (stop-or-play, T = 8). */
export function learningProblem(): EpisodicProblem {
  return stopOrPlay(LEARNING.horizon);
}

/** The stream of run i of a learner: derived from the experiment's seed, the estimator and i. */
export function learningStream(seed: Seed, estimator: EpisodicEstimator, i: number): Rng {
  return substream(seed, "ch3-learning", estimator, i);
}

/**
 * The learning curves J(θ_ℓ), ℓ = 0, …, L, of `runs` seeded runs of one learner. `train` is the
 * implementation to run (the specs pass the one under test, the figures the reference); `settings` are the
 * experiment's own unless a live figure's reader chose others.
 */
export function learningCurves(
  seed: Seed,
  estimator: EpisodicEstimator,
  runs: number,
  train: (p: EpisodicProblem, o: TrainOptions, rng: Rng) => TrainResult,
  settings: { episodes: number; stepSize: number } = LEARNING,
): Float64Array[] {
  const p = learningProblem();
  const { episodes, stepSize } = settings;
  return Array.from(
    { length: runs },
    (_, i) => train(p, { estimator, episodes, stepSize }, learningStream(seed, estimator, i)).J,
  );
}

/** A run "collapses" when its final J is below 2: it learned to stop (nearly) at once instead of playing. */
export function collapsed(J: number): boolean {
  return J < 2;
}
