/**
 * Your implementation of pgbook's contract. Each function's documentation (the equation it must
 * satisfy) is in the contract: src/contract/chapterN.ts of the book. Replace a stub's body with your
 * code; delete a stub you do not attempt (its checks then count as "not attempted").
 * Grade yourself: npm run grade -- starter   (or the folder you copied this file to).
 * Randomness: use only the `rng` argument a function receives, never Math.random.
 */
import type { Contract } from "pgbook/contract";

function notImplemented(name: string): never {
  throw new Error(`not implemented yet: ${name}`);
}

// Chapter 1
export const gibbsPolicy: Contract["gibbsPolicy"] = () => notImplemented("gibbsPolicy");
export const gibbsScore: Contract["gibbsScore"] = () => notImplemented("gibbsScore");
export const gibbsPolicyGradient: Contract["gibbsPolicyGradient"] = () => notImplemented("gibbsPolicyGradient");
export const sampleAction: Contract["sampleAction"] = () => notImplemented("sampleAction");
export const reinforceStep: Contract["reinforceStep"] = () => notImplemented("reinforceStep");
export const componentwiseStep: Contract["componentwiseStep"] = () => notImplemented("componentwiseStep");
export const reinforceBaselineStep: Contract["reinforceBaselineStep"] = () => notImplemented("reinforceBaselineStep");
export const runningAverageBaseline: Contract["runningAverageBaseline"] = () => notImplemented("runningAverageBaseline");
export const updateRunningAverage: Contract["updateRunningAverage"] = () => notImplemented("updateRunningAverage");
export const averageReward: Contract["averageReward"] = () => notImplemented("averageReward");
export const exactPolicyGradient: Contract["exactPolicyGradient"] = () => notImplemented("exactPolicyGradient");

// Chapter 2
export const validateMdp: Contract["validateMdp"] = () => notImplemented("validateMdp");
export const policyProbs: Contract["policyProbs"] = () => notImplemented("policyProbs");
export const policyScore: Contract["policyScore"] = () => notImplemented("policyScore");
export const stationaryDistribution: Contract["stationaryDistribution"] = () => notImplemented("stationaryDistribution");
export const stateActionDistribution: Contract["stateActionDistribution"] = () => notImplemented("stateActionDistribution");
export const gain: Contract["gain"] = () => notImplemented("gain");
export const relativeValues: Contract["relativeValues"] = () => notImplemented("relativeValues");
export const policyGradient: Contract["policyGradient"] = () => notImplemented("policyGradient");
export const gainReinforceStep: Contract["gainReinforceStep"] = () => notImplemented("gainReinforceStep");
export const baselinedGainStep: Contract["baselinedGainStep"] = () => notImplemented("baselinedGainStep");
export const expectedGainUpdate: Contract["expectedGainUpdate"] = () => notImplemented("expectedGainUpdate");
export const trajectoryAverageReward: Contract["trajectoryAverageReward"] = () => notImplemented("trajectoryAverageReward");
export const sampleRollout: Contract["sampleRollout"] = () => notImplemented("sampleRollout");
export const expectedRollout: Contract["expectedRollout"] = () => notImplemented("expectedRollout");
export const tdError: Contract["tdError"] = () => notImplemented("tdError");
export const criticStep: Contract["criticStep"] = () => notImplemented("criticStep");
export const actorStep: Contract["actorStep"] = () => notImplemented("actorStep");
export const runActorCritic: Contract["runActorCritic"] = () => notImplemented("runActorCritic");
export const linearTdFixedPoint: Contract["linearTdFixedPoint"] = () => notImplemented("linearTdFixedPoint");

// Chapter 3
export const episodicPolicy: Contract["episodicPolicy"] = () => notImplemented("episodicPolicy");
export const episodicScore: Contract["episodicScore"] = () => notImplemented("episodicScore");
export const sampleEpisode: Contract["sampleEpisode"] = () => notImplemented("sampleEpisode");
export const stateDistributions: Contract["stateDistributions"] = () => notImplemented("stateDistributions");
export const totalReturn: Contract["totalReturn"] = () => notImplemented("totalReturn");
export const timeIndexedValues: Contract["timeIndexedValues"] = () => notImplemented("timeIndexedValues");
export const expectedUpdate: Contract["expectedUpdate"] = () => notImplemented("expectedUpdate");
export const update28: Contract["update28"] = () => notImplemented("update28");
export const reinforceRewardToGo: Contract["reinforceRewardToGo"] = () => notImplemented("reinforceRewardToGo");
export const reinforceFullReturn: Contract["reinforceFullReturn"] = () => notImplemented("reinforceFullReturn");
export const update30: Contract["update30"] = () => notImplemented("update30");
export const reinforceValueBaseline: Contract["reinforceValueBaseline"] = () => notImplemented("reinforceValueBaseline");
export const reinforceBaseline: Contract["reinforceBaseline"] = () => notImplemented("reinforceBaseline");
export const updateRunningBaseline: Contract["updateRunningBaseline"] = () => notImplemented("updateRunningBaseline");
export const trainEpisodic: Contract["trainEpisodic"] = () => notImplemented("trainEpisodic");

// Chapter 4
export const lmParamCount: Contract["lmParamCount"] = () => notImplemented("lmParamCount");
export const lmPolicy: Contract["lmPolicy"] = () => notImplemented("lmPolicy");
export const nextWindow: Contract["nextWindow"] = () => notImplemented("nextWindow");
export const tokenScore: Contract["tokenScore"] = () => notImplemented("tokenScore");
export const sequenceLogProb: Contract["sequenceLogProb"] = () => notImplemented("sequenceLogProb");
export const sequenceScore: Contract["sequenceScore"] = () => notImplemented("sequenceScore");
export const sampleSequence: Contract["sampleSequence"] = () => notImplemented("sampleSequence");
export const groupAdvantages: Contract["groupAdvantages"] = () => notImplemented("groupAdvantages");
export const groupGradient: Contract["groupGradient"] = () => notImplemented("groupGradient");
export const trainLm: Contract["trainLm"] = () => notImplemented("trainLm");
export const netParamCount: Contract["netParamCount"] = () => notImplemented("netParamCount");
export const netPolicy: Contract["netPolicy"] = () => notImplemented("netPolicy");
export const netTokenScore: Contract["netTokenScore"] = () => notImplemented("netTokenScore");
export const netSequenceLogProb: Contract["netSequenceLogProb"] = () => notImplemented("netSequenceLogProb");
export const netSequenceScore: Contract["netSequenceScore"] = () => notImplemented("netSequenceScore");
