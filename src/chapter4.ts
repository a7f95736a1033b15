/** Chapter 4's public API: REINFORCE for a small autoregressive language model (notes §3.2). */
export { lmParamCount, lmLogits, lmPolicy, nextWindow, tokenScore, weightIndex, type LmModel } from "./lm/model.ts";
export { sequenceLogProb, sequenceScore, sampleSequence, windowsAlong } from "./lm/sequence.ts";
export { groupAdvantages, GROUP_BASELINES, type GroupBaseline } from "./lm/advantages.ts";
export { groupGradient } from "./lm/estimate.ts";
export { trainLm, heldOutSuccess, type LmTrainConfig, type LmTrainResult } from "./lm/train.ts";
export { copyTask, reverseTask, TRAINING_TASK, END, SEP, PAD, FIRST_SYMBOL, type VerifiableTask, type TaskOptions } from "./lm/tasks.ts";
