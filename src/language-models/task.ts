/** What a verifiable task hands the learner (notes §3.2): prompts, a verifier and the answer it accepts. */
import type { LmModel } from "./model.ts";

/** A task whose reward a program checks: the environment of Chapter 4 (the book's tasks: measure/language-models/tasks.ts). */
export interface VerifiableTask {
  name: string;
  /** The vocabulary and window the task is posed in. */
  model: LmModel;
  /** T, the number of tokens generated per episode. */
  length: number;
  /** Prompt windows S_0 used for training, and held-out ones used only to measure success. */
  train: number[][];
  heldOut: number[][];
  /**
   * The verifier: R_T = 1 when the response A_0 … A_{T−1} solves the prompt, else the task's fail
   * reward (0 unless asked for); a wrong but well-formed response (k symbols, then END) earns the
   * format credit instead, when the task has one.
   */
  reward(prompt: ArrayLike<number>, tokens: ArrayLike<number>): number;
  /** The one response the verifier accepts (used only to measure success exactly, never in training). */
  answer(prompt: ArrayLike<number>): number[];
  /** The reward of a wrong response, and of a well-formed wrong response. */
  failReward: number;
  formatCredit: number;
  /** Display names of the tokens. */
  tokenNames: string[];
}
