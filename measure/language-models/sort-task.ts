/**
 * The network chapter's task: sort three distinct symbols. The prompt window is [PAD × (N − 4), x₁, x₂,
 * x₃, SEP] and the one accepted response is the three symbols in increasing order, then END (T = 4).
 * Easy to check, hard to guess: of the (V)⁴ responses one is accepted, and even among the six orderings
 * of the prompt's own symbols only one.
 *
 * Held-out prompts are held out by their *set* of symbols: every fifth set (in dictionary order of the
 * sorted answer, offset 2) is kept out of training with all six of its orderings, so a held-out prompt
 * is never seen in any order, in either stage.
 */
import type { Rng } from "../../src/contract/random.ts";
import type { Example } from "../../src/language-models/network/pretrain.ts";
import { END, FIRST_SYMBOL, PAD, SEP, type VerifiableTask } from "./tasks.ts";

/** The sort task over `symbols` symbols in a window of `window` tokens (R_T = 1 or `failReward`). */
export function sortTask(
  symbols: number,
  window = 8,
  failReward = 0,
  kind: "sort" | "reverse" = "sort",
): VerifiableTask {
  if (symbols < 3) throw new RangeError(`sort: need at least 3 symbols, got ${symbols}`);
  if (window < 8) throw new RangeError(`sort: the window must hold the prompt and the response (8), got ${window}`);
  const sets: number[][] = [];
  for (let a = 0; a < symbols; a++)
    for (let b = a + 1; b < symbols; b++) for (let c = b + 1; c < symbols; c++) sets.push([a, b, c]);
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const pad = new Array<number>(window - 4).fill(PAD);
  const promptsOf = (set: number[]) => orders.map((o) => [...pad, ...o.map((i) => FIRST_SYMBOL + set[i]), SEP]);
  const train = sets.filter((_, i) => i % 5 !== 2).flatMap(promptsOf);
  const heldOut = sets.filter((_, i) => i % 5 === 2).flatMap(promptsOf);
  const answer = (prompt: ArrayLike<number>) => {
    const xs = Array.from(prompt).slice(window - 4, window - 1);
    return [...(kind === "sort" ? xs.sort((x, y) => x - y) : xs.reverse()), END];
  };
  return {
    name: `${kind} 3 of ${symbols}`,
    model: { vocab: symbols + 3, window },
    length: 4,
    train,
    heldOut,
    answer,
    reward(prompt, tokens) {
      const want = answer(prompt);
      if (tokens.length !== want.length) return failReward;
      for (let t = 0; t < want.length; t++) if (tokens[t] !== want[t]) return failReward;
      return 1;
    },
    failReward,
    formatCredit: failReward,
    tokenNames: ["⟨end⟩", "⟨sep⟩", "⟨pad⟩", ...Array.from({ length: symbols }, (_, i) => String(i))],
  };
}

/**
 * The pretraining corpus, a related distribution: a training prompt followed by its sorted symbols with
 * probability `sortedShare`, otherwise by a uniformly random ordering of them (which may happen to be
 * sorted), then END. Text that usually restates the prompt's symbols and only sometimes sorts them.
 */
export function sortCorpus(task: VerifiableTask, sortedShare: number): (rng: Rng) => Example {
  const N = task.model.window;
  return (rng) => {
    const prompt = task.train[Math.floor(rng() * task.train.length)];
    if (rng() < sortedShare) return { prompt, tokens: task.answer(prompt) };
    const xs = prompt.slice(N - 4, N - 1);
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return { prompt, tokens: [...xs, END] };
  };
}
