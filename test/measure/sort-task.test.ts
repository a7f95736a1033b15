/**
 * Unit tests of the network chapter's task and its pretraining corpus (measure/language-models/sort-task.ts):
 * the prompts' layout and count, the held-out split by set, the verifier's exact-match rule, and the
 * corpus's draws replayed by hand from a scripted stream.
 */
import { describe, expect, it } from "vitest";
import { sortCorpus, sortTask } from "../../measure/language-models/sort-task.ts";
import { END, FIRST_SYMBOL, PAD, SEP } from "../../measure/language-models/tasks.ts";

/** A stream that returns the given draws in order and counts how many were taken. */
function scripted(draws: number[]): { rng: () => number; taken: () => number } {
  let i = 0;
  return {
    rng: () => {
      if (i >= draws.length) throw new Error(`the script has only ${draws.length} draws`);
      return draws[i++];
    },
    taken: () => i,
  };
}

describe("the sort task", () => {
  it("refuses fewer than three symbols and a window too short for prompt and response", () => {
    expect(() => sortTask(2)).toThrow(/at least 3 symbols, got 2/);
    expect(() => sortTask(5, 7)).toThrow(/must hold the prompt and the response \(8\), got 7/);
    // the smallest task allowed: one set of three (set 0, kept for training), so nothing is held out
    const t = sortTask(3);
    expect(t.train).toHaveLength(6);
    expect(t.heldOut).toHaveLength(0);
    // four sets of three out of four symbols: set 2 is held out
    expect(sortTask(4, 8).train).toHaveLength(18);
    expect(sortTask(4, 8).heldOut).toHaveLength(6);
  });

  it("has one prompt per ordering of each set of three symbols, laid out PAD…PAD x₁ x₂ x₃ SEP", () => {
    const t = sortTask(8, 10);
    // C(8, 3) = 56 sets, six orderings each; sets 2, 7, 12, …, 52 (11 of them) are held out
    expect(t.train.length + t.heldOut.length).toBe(56 * 6);
    expect(t.heldOut).toHaveLength(11 * 6);
    expect(t.model).toEqual({ vocab: 11, window: 10 });
    expect(t.length).toBe(4);
    for (const p of [...t.train, ...t.heldOut]) {
      expect(p).toHaveLength(10);
      expect(p.slice(0, 6)).toEqual([PAD, PAD, PAD, PAD, PAD, PAD]);
      expect(p[9]).toBe(SEP);
      const xs = p.slice(6, 9);
      expect(new Set(xs).size).toBe(3);
      for (const x of xs) {
        expect(x).toBeGreaterThanOrEqual(FIRST_SYMBOL);
        expect(x).toBeLessThan(t.model.vocab);
      }
    }
    // the first set is {0, 1, 2}: its six orderings, in the order listed
    expect(t.train.slice(0, 6).map((p) => p.slice(6, 9).map((x) => x - FIRST_SYMBOL))).toEqual([
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]);
    // the third set in dictionary order is {0, 1, 4}: the first held out
    expect(t.heldOut[0].slice(6, 9)).toEqual([0, 1, 4].map((x) => x + FIRST_SYMBOL));
  });

  it("names its tokens: end, separator, padding, then the symbols 0 … n−1", () => {
    expect(sortTask(4).tokenNames).toEqual(["⟨end⟩", "⟨sep⟩", "⟨pad⟩", "0", "1", "2", "3"]);
    expect(sortTask(4).tokenNames[END]).toBe("⟨end⟩");
  });

  it("accepts exactly the sorted (or reversed) symbols followed by END, nothing shorter or longer", () => {
    const t = sortTask(6, 8, -1);
    const p = [PAD, PAD, PAD, PAD, 7, 4, 6, SEP];
    expect(t.answer(p)).toEqual([4, 6, 7, END]);
    expect(sortTask(6, 8, 0, "reverse").answer(p)).toEqual([6, 4, 7, END]);
    expect(t.reward(p, [4, 6, 7, END])).toBe(1);
    expect(t.reward(p, [4, 6, 7, END, END])).toBe(-1);
    expect(t.reward(p, [4, 6, 7])).toBe(-1);
    expect(t.reward(p, [4, 7, 6, END])).toBe(-1);
    expect(t.failReward).toBe(-1);
    expect(t.formatCredit).toBe(-1);
  });
});

describe("the pretraining corpus", () => {
  const t = sortTask(6);
  it("with the sorted share drawn, is a training prompt and its answer (two draws)", () => {
    // prompt index ⌊0.5·|train|⌋, then 0.1 < 0.3: the sorted answer
    const s = scripted([0.5, 0.1]);
    const ex = sortCorpus(t, 0.3)(s.rng);
    expect(ex.prompt).toBe(t.train[Math.floor(0.5 * t.train.length)]);
    expect(ex.tokens).toEqual(t.answer(ex.prompt));
    expect(s.taken()).toBe(2);
  });

  it("otherwise shuffles the prompt's symbols by Fisher–Yates, two more draws (replayed by hand)", () => {
    // prompt 0 (symbols 3 4 5), u = 0 is not below a share of 0, then j = ⌊0·3⌋ = 0 and j = ⌊0.99·2⌋ = 1:
    // [3, 4, 5] → swap 2↔0 → [5, 4, 3] → swap 1↔1 → [5, 4, 3]
    const s = scripted([0, 0, 0, 0.99]);
    const ex = sortCorpus(t, 0)(s.rng);
    expect(ex.prompt).toBe(t.train[0]);
    expect(ex.tokens).toEqual([5, 4, 3, END]);
    expect(s.taken()).toBe(4);
    // j = 0 then j = 0: [3, 4, 5] → [5, 4, 3] → [4, 5, 3]
    const s2 = scripted([0, 0.5, 0, 0]);
    expect(sortCorpus(t, 0.5)(s2.rng).tokens).toEqual([4, 5, 3, END]);
    // the prompt itself is left as it was
    expect(t.train[0].slice(4, 7)).toEqual([3, 4, 5]);
  });

  it("reaches every training prompt", () => {
    const draw = sortCorpus(t, 0);
    const seen = new Set<number[]>();
    const n = t.train.length;
    for (let i = 0; i < n; i++) seen.add(draw(scripted([(i + 0.5) / n, 0.9, 0.5, 0.5]).rng).prompt);
    expect(seen.size).toBe(n);
  });
});
