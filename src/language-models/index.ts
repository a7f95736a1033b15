/** Chapter 4's public API: REINFORCE for a small autoregressive language model (notes §3.2). */
export { lmParamCount, lmLogits, lmPolicy, nextWindow, tokenScore, weightIndex, type LmModel } from "./model.ts";
export { sequenceLogProb, sequenceScore, sampleSequence, windowsAlong } from "./sequence.ts";
export { groupAdvantages, GROUP_BASELINES, type GroupBaseline } from "./advantages.ts";
export { groupGradient } from "./estimate.ts";
export { trainLm, heldOutSuccess, type LmTrainConfig, type LmTrainResult } from "./train.ts";
export type { VerifiableTask } from "./task.ts";
export { netLayout, netParamCount, type NetShape, type NetLayout, type Block } from "./network/shape.ts";
export { netForward, netPolicy, type NetTrace } from "./network/forward.ts";
export { netBackward } from "./network/backward.ts";
export { netTokenScore, netSequenceLogProb, netSequenceScore, netSampleSequence } from "./network/score.ts";
export { initNetwork } from "./network/init.ts";
export { pretrain, type PretrainConfig, type PretrainResult, type Example } from "./network/pretrain.ts";
export { netReinforce, netSuccess, type NetReinforceConfig, type NetReinforceResult } from "./network/reinforce.ts";

import type { Chapter4 } from "../contract/chapter4.ts";
import { lmParamCount, lmPolicy, nextWindow, tokenScore } from "./model.ts";
import { sampleSequence, sequenceLogProb, sequenceScore } from "./sequence.ts";
import { groupAdvantages } from "./advantages.ts";
import { groupGradient } from "./estimate.ts";
import { trainLm } from "./train.ts";
import { netParamCount } from "./network/shape.ts";
import { netPolicy } from "./network/forward.ts";
import { netSequenceLogProb, netSequenceScore, netTokenScore } from "./network/score.ts";

/** The reference implementation of chapter 4's contract (a type-level check that it satisfies it). */
export const chapter4Reference = {
  lmParamCount,
  lmPolicy,
  nextWindow,
  tokenScore,
  sequenceLogProb,
  sequenceScore,
  sampleSequence,
  groupAdvantages,
  groupGradient,
  trainLm,
  netParamCount,
  netPolicy,
  netTokenScore,
  netSequenceLogProb,
  netSequenceScore,
} satisfies Chapter4;
