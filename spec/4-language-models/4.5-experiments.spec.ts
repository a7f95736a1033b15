/**
 * Chapter 4, "Training on a verifiable task" (notes §3.2): the book's tasks, experiments and learning-curve
 * figures as the chapter states them — settings, prompts and verifiers, curves that average held-out success.
 */
import { describe, expect, it } from "vitest";
import { TRAINING, trainingConfig, trainingTask } from "../../measure/language-models/experiments.ts";
import { END, FIRST_SYMBOL, PAD, SEP, reverseTask, copyTask } from "../../measure/language-models/tasks.ts";
import { claim } from "../support/claim.ts";
import {
  chapterSettings,
  everySettingChanged,
  expectChapterSettings,
  uncaughtChanges,
} from "../support/figure-settings.ts";

/**
 * The learning-curve figures' own design: seeded runs per baseline, each spending `budget` episodes, held-out
 * success measured every `every` episodes. scripts/site/figures/ch4.ts draws the figures from these numbers (the
 * facts recorded below), with the training settings of TRAINING.
 */
const CURVE_FIGURES = { runs: 8, budget: 40_000, every: 1000 } as const;

describe("4.5 Training on a verifiable task: the experiments as stated", () => {
  const curveSettings = () => ({
    groupSize: TRAINING.groupSize,
    stepSize: TRAINING.stepSize,
    runs: CURVE_FIGURES.runs,
    budget: CURVE_FIGURES.budget,
    every: CURVE_FIGURES.every,
  });

  it("[sec 3.2] the learning-curve figures' settings are the chapter's: the `::: figure lm-curves-pm1` and `lm-curves-01` lines state G, α, the runs, the budget and the interval the figures are drawn with", (ctx) => {
    claim(ctx, "exact", {
      facts: {
        "ch4.curves.runs": CURVE_FIGURES.runs,
        "ch4.curves.budget": CURVE_FIGURES.budget,
        "ch4.curves.every": CURVE_FIGURES.every,
      },
    });
    // the figures' runs are trainLm runs of the chapter's configuration, budget and interval aside
    const cfg = trainingConfig(trainingTask(), "rloo", CURVE_FIGURES.budget, false);
    expect([cfg.groupSize, cfg.stepSize, cfg.episodes]).toEqual([
      TRAINING.groupSize,
      TRAINING.stepSize,
      CURVE_FIGURES.budget,
    ]);
    expectChapterSettings(ctx, "04-language-models.md", "lm-curves-pm1", curveSettings());
    expectChapterSettings(ctx, "04-language-models.md", "lm-curves-01", curveSettings());
  });

  it("[sec 3.2] negative control: the settings check catches a change of any setting of the learning-curve figures", (ctx) => {
    claim(ctx, "exact", { control: true });
    for (const id of ["lm-curves-pm1", "lm-curves-01"]) {
      const stated = chapterSettings(ctx, "04-language-models.md", id);
      if (!stated) return;
      expect(uncaughtChanges(stated.settings, everySettingChanged(stated.settings)), id).toEqual([]);
    }
  });

  it("[sec 3.2] the tasks as data: token names, prompts in lexicographic order with every fifth from the third held out, the verifier on wrong lengths and malformed responses, the size guard", (ctx) => {
    claim(ctx, "exact");
    const task = reverseTask(7, 2);
    expect(task.tokenNames).toEqual(["⟨end⟩", "⟨sep⟩", "⟨pad⟩", "0", "1", "2", "3", "4", "5", "6"]);
    expect(task.model).toEqual({ vocab: 10, window: 4 });
    expect(task.length).toBe(3);
    // the 49 prompts [⟨pad⟩, x₁, x₂, ⟨sep⟩] in lexicographic order; positions 2, 7, 12, …, 47 are held out
    const all = Array.from({ length: 49 }, (_, i) => [
      PAD,
      FIRST_SYMBOL + Math.floor(i / 7),
      FIRST_SYMBOL + (i % 7),
      SEP,
    ]);
    const held = [2, 7, 12, 17, 22, 27, 32, 37, 42, 47];
    expect(task.heldOut).toEqual(held.map((i) => all[i]));
    expect(task.train).toEqual(all.filter((_, i) => !held.includes(i)));
    // copying 2 of 3 symbols: no padding, window 3; the held-out prompts are positions 2 and 7 of the 9
    const copy = copyTask(3, 2);
    expect(copy.model).toEqual({ vocab: 6, window: 3 });
    expect(copy.heldOut).toEqual([
      [3, 5, SEP],
      [5, 4, SEP],
    ]);
    expect(copy.train).toHaveLength(7);
    expect(copy.answer([3, 5, SEP])).toEqual([3, 5, END]);
    expect(task.answer([PAD, 3, 5, SEP])).toEqual([5, 3, END]);
    // a response of the wrong length is not the answer, even when the answer is a prefix of it (fail reward 0 here)
    const p = [PAD, 3, 5, SEP];
    expect(task.reward(p, [5, 3, END])).toBe(1);
    expect(task.reward(p, [5, 3, END, END])).toBe(0);
    expect(task.reward(p, [5, 3])).toBe(0);
    // format credit only for k symbols then END: an END, SEP or PAD among the first k tokens is malformed
    const credited = reverseTask(7, 2, { formatCredit: 0.25 });
    expect(credited.reward(p, [3, 5, END])).toBe(0.25);
    expect(credited.reward(p, [SEP, 5, END])).toBe(0);
    expect(credited.reward(p, [5, PAD, END])).toBe(0);
    expect(credited.reward(p, [END, END, END])).toBe(0);
    expect(credited.reward(p, [5, 3, 3])).toBe(0);
    // the guard: at least 2 symbols and 1 digit; one digit of two symbols is allowed (2 prompts, none held out)
    expect(() => reverseTask(1, 2)).toThrow(RangeError);
    expect(() => copyTask(3, 0)).toThrow(RangeError);
    expect(reverseTask(2, 1).train).toEqual([
      [3, SEP],
      [4, SEP],
    ]);
  });
});
