/** Chapter 3 (notes §3.1): finite-horizon problems, exact returns and values, (28)–(30) and their estimators. */
export type { Episode, EpisodicEstimator, EpisodicProblem, TimeValues, TrainOptions, TrainResult } from "./types.ts";
export { problemErrors, problemShape, terminalMask, validateProblem } from "./problem.ts";
export { episodicPolicy, episodicScore } from "./policy.ts";
export { expectedUpdate, policyTable, stateDistributions, timeIndexedValues, totalReturn } from "./exact.ts";
export { sampleEpisode } from "./sample.ts";
export {
  reinforceBaseline,
  reinforceFullReturn,
  reinforceRewardToGo,
  reinforceValueBaseline,
  rewardsToGo,
  update28,
  update30,
  updateRunningBaseline,
  weightedScores,
  zeroBaseline,
} from "./estimators.ts";
export { trainEpisodic } from "./train.ts";

import type { Chapter3 } from "../contract/chapter3.ts";
import { episodicPolicy, episodicScore } from "./policy.ts";
import { expectedUpdate, stateDistributions, timeIndexedValues, totalReturn } from "./exact.ts";
import { sampleEpisode } from "./sample.ts";
import {
  reinforceBaseline,
  reinforceFullReturn,
  reinforceRewardToGo,
  reinforceValueBaseline,
  update28,
  update30,
  updateRunningBaseline,
} from "./estimators.ts";
import { trainEpisodic } from "./train.ts";

/** The reference implementation of chapter 3's contract (a type-level check that it satisfies it). */
export const chapter3Reference = {
  episodicPolicy,
  episodicScore,
  sampleEpisode,
  stateDistributions,
  totalReturn,
  timeIndexedValues,
  expectedUpdate,
  update28,
  reinforceRewardToGo,
  reinforceFullReturn,
  update30,
  reinforceValueBaseline,
  reinforceBaseline,
  updateRunningBaseline,
  trainEpisodic,
} satisfies Chapter3;
