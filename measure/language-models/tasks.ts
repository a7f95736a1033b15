/**
 * Verifiable tasks (§3.2): a prompt generator and a verifier that returns the terminal reward R_T.
 * Hard to produce, easy to check — the verifier compares the response with what the prompt asks.
 *
 * Token ids shared by the tasks: 0 = END (the end token), 1 = SEP (ends the prompt), 2 = PAD
 * (fills the window before the prompt), 3 … V−1 = the symbols the prompt is written in.
 */
import type { VerifiableTask } from "../../src/language-models/task.ts";

export type { VerifiableTask };

export const END = 0;
export const SEP = 1;
export const PAD = 2;
export const FIRST_SYMBOL = 3;

/**
 * The chapter's training task: reverse two symbols out of seven (V = 10 tokens, window N = 4, T = 3),
 * the verdict written R_T = +1 (correct) or −1 (wrong). A baseline makes learning blind to how the
 * verdict is written; plain REINFORCE is not (see the chapter).
 */
export const TRAINING_TASK = { symbols: 7, digits: 2, failReward: -1 } as const;

function tokenNames(symbols: number): string[] {
  return ["⟨end⟩", "⟨sep⟩", "⟨pad⟩", ...Array.from({ length: symbols }, (_, i) => String(i))];
}

/** Every string of `length` symbols, in lexicographic order. */
function strings(symbols: number, length: number): number[][] {
  let out: number[][] = [[]];
  for (let j = 0; j < length; j++)
    out = out.flatMap((s) => Array.from({ length: symbols }, (_, x) => [...s, FIRST_SYMBOL + x]));
  return out;
}

/**
 * Options of a task: `failReward` is the reward of a wrong response (default 0, so R_T ∈ {0, 1});
 * `formatCredit`, when given, is the reward of a wrong but well-formed response (k symbols, then END).
 */
export interface TaskOptions {
  failReward?: number;
  formatCredit?: number;
}

function makeTask(
  name: string,
  symbols: number,
  digits: number,
  window: number,
  respond: (xs: number[]) => number[],
  options: TaskOptions,
): VerifiableTask {
  const failReward = options.failReward ?? 0;
  const formatCredit = options.formatCredit ?? failReward;
  if (symbols < 2 || digits < 1) throw new RangeError(`${name}: need at least 2 symbols and 1 digit`);
  const model = { vocab: symbols + 3, window };
  const padding = new Array<number>(window - digits - 1).fill(PAD);
  const prompts = strings(symbols, digits).map((xs) => [...padding, ...xs, SEP]);
  // A fixed, task-blind split: every fifth prompt in lexicographic order (offset 2) is held out.
  const train = prompts.filter((_, i) => i % 5 !== 2);
  const heldOut = prompts.filter((_, i) => i % 5 === 2);
  const answer = (prompt: ArrayLike<number>) => [
    ...respond(Array.from(prompt).slice(window - digits - 1, window - 1)),
    END,
  ];
  return {
    name,
    model,
    length: digits + 1,
    train,
    heldOut,
    answer,
    reward(prompt, tokens) {
      const want = answer(prompt);
      if (tokens.length !== want.length) return 0;
      let correct = true;
      let wellFormed = tokens[want.length - 1] === END;
      for (let t = 0; t < want.length; t++) {
        if (tokens[t] !== want[t]) correct = false;
        if (t < want.length - 1 && tokens[t] < FIRST_SYMBOL) wellFormed = false;
      }
      return correct ? 1 : wellFormed ? formatCredit : failReward;
    },
    failReward,
    formatCredit,
    tokenNames: tokenNames(symbols),
  };
}

/**
 * Reverse a string of `digits` symbols: prompt window [PAD…, x₁ … x_k, SEP] of N = 2k tokens, answer
 * x_k … x₁ END (T = k + 1). N = 2k is the shortest window in which x₁ is still visible when it is due.
 */
export function reverseTask(symbols: number, digits: number, options: TaskOptions = {}): VerifiableTask {
  return makeTask(
    `reverse ${digits} of ${symbols}`,
    symbols,
    digits,
    2 * digits,
    (xs) => xs.slice().reverse(),
    options,
  );
}

/** Copy a string of `digits` symbols: prompt window [x₁ … x_k, SEP] of N = k + 1 tokens, answer x₁ … x_k END. */
export function copyTask(symbols: number, digits: number, options: TaskOptions = {}): VerifiableTask {
  return makeTask(`copy ${digits} of ${symbols}`, symbols, digits, digits + 1, (xs) => xs.slice(), options);
}
