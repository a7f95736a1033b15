/** Chapter 4's public API: REINFORCE for a small autoregressive language model (notes §3.2). */
export { lmParamCount, lmLogits, lmPolicy, nextWindow, tokenScore, weightIndex, type LmModel } from "./model.ts";
export { sequenceLogProb, sequenceScore, sampleSequence, windowsAlong } from "./sequence.ts";
export { groupAdvantages, GROUP_BASELINES, type GroupBaseline } from "./advantages.ts";
export { groupGradient } from "./estimate.ts";
export { trainLm, heldOutSuccess, type LmTrainConfig, type LmTrainResult } from "./train.ts";
export type { VerifiableTask } from "./task.ts";

import type { Chapter4 } from "../contract/chapter4.ts";
import { lmParamCount, lmPolicy, nextWindow, tokenScore } from "./model.ts";
import { sampleSequence, sequenceLogProb, sequenceScore } from "./sequence.ts";
import { groupAdvantages } from "./advantages.ts";
import { groupGradient } from "./estimate.ts";
import { trainLm } from "./train.ts";

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
} satisfies Chapter4;
