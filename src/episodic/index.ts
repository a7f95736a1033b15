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
export { enumerateEpisodes, exactExpectation, exactMoments, type ExactMoments, type WeightedEpisode } from "./enumerate.ts";
export { episodicFromJson, episodicReport, exactEpisodicJson, isEpisodicInput, withHorizon, type EpisodicExactOptions, type EpisodicExactResult } from "./json.ts";
export { checkedAnswer, repeatedChoice, stopOrPlay } from "./examples.ts";
export { collapsed, learningCurves, learningProblem, learningStream, LEARNING, VARIANCE_ESTIMATORS, varianceTable } from "./experiments.ts";
