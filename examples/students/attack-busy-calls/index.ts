// Attack: every function is correct but burns about 2 ms of CPU per call, so that the thousands of calls of a Monte Carlo check overrun the submission's total time limit; the grader must stop at its deadline (inside a batch of calls too) and still report every check.
import type { Rng } from "pgbook/contract";
import * as ok from "./correct.ts";
export * from "./correct.ts";

function burn(): void {
  const t0 = performance.now();
  while (performance.now() - t0 < 2) {
    /* busy */
  }
}

export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => (burn(), ok.gibbsPolicy(theta));
export const gibbsScore: typeof ok.gibbsScore = (theta, a) => (burn(), ok.gibbsScore(theta, a));
export const gibbsPolicyGradient: typeof ok.gibbsPolicyGradient = (theta, a) => (burn(), ok.gibbsPolicyGradient(theta, a));
export const sampleAction = (theta: Float64Array, rng: Rng): number => (burn(), ok.sampleAction(theta, rng));
export const reinforceStep: typeof ok.reinforceStep = (theta, a, reward, stepSize) => (burn(), ok.reinforceStep(theta, a, reward, stepSize));
export const componentwiseStep: typeof ok.componentwiseStep = (theta, a, reward, stepSize) => (burn(), ok.componentwiseStep(theta, a, reward, stepSize));
export const reinforceBaselineStep: typeof ok.reinforceBaselineStep = (theta, a, reward, baseline, stepSize) => (burn(), ok.reinforceBaselineStep(theta, a, reward, baseline, stepSize));
export const runningAverageBaseline: typeof ok.runningAverageBaseline = (rewards) => (burn(), ok.runningAverageBaseline(rewards));
export const updateRunningAverage: typeof ok.updateRunningAverage = (previous, t, reward) => (burn(), ok.updateRunningAverage(previous, t, reward));
export const averageReward: typeof ok.averageReward = (theta, r) => (burn(), ok.averageReward(theta, r));
export const exactPolicyGradient: typeof ok.exactPolicyGradient = (theta, r) => (burn(), ok.exactPolicyGradient(theta, r));
