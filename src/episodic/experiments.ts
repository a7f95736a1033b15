/**
 * The chapter's experiments, shared by its checks and its figures so that a figure shows exactly the
 * runs a check makes its claim about: exact variances of the estimators on the small examples, and
 * learning curves of episodic REINFORCE on stop-or-play.
 */
import { substream, type Rng, type Seed } from "../random.ts";
import { enumerateEpisodes, exactMoments } from "./enumerate.ts";
import { policyTable } from "./exact.ts";
import { reinforceFullReturn, reinforceRewardToGo, reinforceValueBaseline, update28, update30 } from "./estimators.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "./examples.ts";
import { problemShape } from "./problem.ts";
import { trainEpisodic } from "./train.ts";
import type { Episode, EpisodicEstimator, EpisodicProblem, TrainOptions, TrainResult } from "./types.ts";

type Estimator = (p: EpisodicProblem, theta: Float64Array, ep: Episode) => ArrayLike<number>;

/** The estimators compared in the variance figure, in the order shown. */
export const VARIANCE_ESTIMATORS: Record<string, Estimator> = {
  "full return": reinforceFullReturn,
  "reward-to-go (29)": reinforceRewardToGo,
  "reward-to-go − V_t (30)": reinforceValueBaseline,
  "exact Q_t (28)": update28,
  "exact Q_t − V_t (30)": update30,
};

/** Exact total variance E‖ĝ − ∇J‖² of each estimator at θ = 0 on the three examples, by enumeration. */
export function varianceTable(): { example: string; estimator: string; variance: number }[] {
  const examples: [string, EpisodicProblem][] = [
    ["repeated choice (T = 3)", repeatedChoice(3)],
    ["stop or play (T = 4)", stopOrPlay(4)],
    ["checked answer (T = 3)", checkedAnswer()],
  ];
  const out: { example: string; estimator: string; variance: number }[] = [];
  for (const [example, p] of examples) {
    const theta = new Float64Array(problemShape(p).d);
    const list = enumerateEpisodes(p, policyTable(p, theta));
    for (const [estimator, f] of Object.entries(VARIANCE_ESTIMATORS))
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
 * implementation under test (the reference trainEpisodic by default).
 */
export function learningCurves(
  seed: Seed,
  estimator: EpisodicEstimator,
  runs: number = LEARNING.runs,
  train: (p: EpisodicProblem, o: TrainOptions, rng: Rng) => TrainResult = trainEpisodic,
): Float64Array[] {
  const p = learningProblem();
  return Array.from({ length: runs }, (_, i) => train(p, { estimator, episodes: LEARNING.episodes, stepSize: LEARNING.stepSize }, learningStream(seed, estimator, i)).J);
}

/** A run "collapses" when its final J is below 2: it learned to stop (nearly) at once instead of playing. */
export function collapsed(J: number): boolean {
  return J < 2;
}
