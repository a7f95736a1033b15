/** Chapter 1's public API: bandits, the Gibbs policy and REINFORCE (notes §1). */
import type { Chapter1 } from "./contract/chapter1.ts";
import { componentwiseStep, gibbsPolicy, gibbsPolicyGradient, gibbsScore, sampleAction } from "./gibbs.ts";
import { averageReward, exactPolicyGradient } from "./bandit/exact.ts";
import { reinforceBaselineStep, reinforceStep, runningAverageBaseline, updateRunningAverage } from "./bandit/reinforce.ts";

export * from "./gibbs.ts";
export * from "./bandit/bandit.ts";
export * from "./bandit/reinforce.ts";
export * from "./bandit/exact.ts";
export * from "./bandit/run.ts";
export * from "./bandit/experiments.ts";

/** The reference implementation of chapter 1's contract (a type-level check that it satisfies it). */
export const chapter1Reference = {
  gibbsPolicy,
  gibbsScore,
  gibbsPolicyGradient,
  sampleAction,
  reinforceStep,
  componentwiseStep,
  reinforceBaselineStep,
  runningAverageBaseline,
  updateRunningAverage,
  averageReward,
  exactPolicyGradient,
} satisfies Chapter1;
