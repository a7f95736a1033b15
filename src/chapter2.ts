/** Chapter 2's public API: average-reward MDPs, the policy gradient theorem, rollouts, TD actor-critic. */
export * from "./mdp/types.ts";
export * from "./mdp/validate.ts";
export * from "./mdp/policy.ts";
export * from "./mdp/exact.ts";
export * from "./mdp/updates.ts";
export * from "./mdp/optimal.ts";
export * from "./mdp/simulate.ts";
export * from "./mdp/rollout.ts";
export * from "./mdp/td.ts";
export * from "./mdp/examples.ts";
export * from "./mdp/experiments.ts";
export { solve } from "./mdp/linalg.ts";

import type { Chapter2 } from "./contract/chapter2.ts";
import { validateMdp } from "./mdp/validate.ts";
import { policyProbs, policyScore } from "./mdp/policy.ts";
import { gain, policyGradient, relativeValues, stateActionDistribution, stationaryDistribution } from "./mdp/exact.ts";
import { baselinedGainStep, expectedGainUpdate, gainReinforceStep } from "./mdp/updates.ts";
import { trajectoryAverageReward } from "./mdp/simulate.ts";
import { expectedRollout, sampleRollout } from "./mdp/rollout.ts";
import { actorStep, criticStep, linearTdFixedPoint, runActorCritic, tdError } from "./mdp/td.ts";

/** The reference implementation of chapter 2's contract (a type-level check that it satisfies it). */
export const chapter2Reference = {
  validateMdp,
  policyProbs,
  policyScore,
  stationaryDistribution,
  stateActionDistribution,
  gain,
  relativeValues,
  policyGradient,
  gainReinforceStep,
  baselinedGainStep,
  expectedGainUpdate,
  trajectoryAverageReward,
  sampleRollout,
  expectedRollout,
  tdError,
  criticStep,
  actorStep,
  runActorCritic,
  linearTdFixedPoint,
} satisfies Chapter2;
