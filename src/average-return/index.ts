/** Chapter 2's public API: average-reward MDPs, the policy gradient theorem, rollouts, TD actor-critic. */
export * from "./types.ts";
export * from "./validate.ts";
export * from "./policy.ts";
export * from "./exact.ts";
export * from "./updates.ts";
export * from "./simulate.ts";
export * from "./rollout.ts";
export * from "./td.ts";
export { solve } from "../core/linalg.ts";

import type { Chapter2 } from "../contract/chapter2.ts";
import { validateMdp } from "./validate.ts";
import { policyProbs, policyScore } from "./policy.ts";
import { gain, policyGradient, relativeValues, stateActionDistribution, stationaryDistribution } from "./exact.ts";
import { baselinedGainStep, expectedGainUpdate, gainReinforceStep } from "./updates.ts";
import { trajectoryAverageReward } from "./simulate.ts";
import { expectedRollout, sampleRollout } from "./rollout.ts";
import { actorStep, criticStep, linearTdFixedPoint, runActorCritic, tdError } from "./td.ts";

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
