/** Chapter 1's public API: bandits, the Gibbs policy and REINFORCE (notes §1). */
import type { BanditEngine, Chapter1 } from "../contract/chapter1.ts";
import { componentwiseStep, gibbsPolicy, gibbsPolicyGradient, gibbsScore, sampleAction } from "./gibbs.ts";
import { averageReward, exactPolicyGradient } from "./exact.ts";
import { reinforceBaselineStep, reinforceStep, runningAverageBaseline, updateRunningAverage } from "./reinforce.ts";

export * from "./gibbs.ts";
export * from "./reinforce.ts";
export * from "./exact.ts";
export * from "./testbed.ts";

/** The reference's steps for a bandit run (measure/bandits/run.ts runs the book's loop with them). */
export const referenceEngine: BanditEngine = {
  gibbsPolicy,
  sampleAction,
  reinforceStep,
  reinforceBaselineStep,
  updateRunningAverage,
};

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
