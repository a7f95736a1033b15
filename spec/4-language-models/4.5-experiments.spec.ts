/**
 * Chapter 4, "Training on a verifiable task" (notes §3.2): the book's tasks, experiments and learning-curve
 * figures as the chapter states them — settings, prompts and verifiers, curves that average held-out success.
 */
import { describe, expect, it } from "vitest";
import type { LmTrainConfig } from "../../src/contract/chapter4.ts";
import { exactSuccess } from "../../measure/language-models/exact.ts";
import {
  learningCurves,
  pairedRun,
  TRAINING,
  trainingConfig,
  trainingTask,
} from "../../measure/language-models/experiments.ts";
import { END, FIRST_SYMBOL, PAD, SEP, reverseTask, copyTask } from "../../measure/language-models/tasks.ts";
import { gaussian, substream } from "../../src/contract/random.ts";
import { claim } from "../support/claim.ts";
import { impl } from "../support/impl.ts";
import {
  chapterSettings,
  everySettingChanged,
  expectChapterSettings,
  uncaughtChanges,
} from "../support/figure-settings.ts";
import { documentedPolicy } from "./tools.ts";

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

  it("[sec 3.2] the experiments' settings and curves: the ±1 verdict, the target only when stopping, and learning curves that average the runs' held-out success from θ_0 on", (ctx) => {
    claim(ctx, "exact");
    const pm = trainingTask();
    const p = pm.heldOut[0];
    expect(pm.failReward).toBe(-1);
    expect(pm.reward(p, [END, END, END])).toBe(-1);
    expect(trainingTask(true).failReward).toBe(0);
    expect(trainingTask(true).reward(p, [END, END, END])).toBe(0);
    expect(trainingConfig(pm, "rloo")).toEqual({
      task: pm,
      baseline: "rloo",
      groupSize: 4,
      stepSize: 0.4,
      initScale: 0.1,
      episodes: 60_000,
      evalEvery: 100,
      target: 0.95,
    });
    expect("target" in trainingConfig(pm, "rloo", 100, false)).toBe(false);
    // the first point of a curve is the mean over runs of the held-out success at θ_0, whose d = V + N·V² entries
    // are the run's first N(0, 0.1²) draws from its stream ("curve", "pm1", baseline, i) (the reference draw order)
    const d = pm.model.vocab + pm.model.window * pm.model.vocab ** 2;
    const success0 = (i: number) => {
      const rng = substream("spec", "curve", "pm1", "rloo", i);
      const theta = Float64Array.from({ length: d }, () => gaussian(rng, 0, TRAINING.initScale));
      return exactSuccess(documentedPolicy(pm.model, theta), pm.heldOut, pm.answer);
    };
    const one = learningCurves(impl.trainLm, "spec", 1, ["rloo"], 12_000, 1000);
    const two = learningCurves(impl.trainLm, "spec", 2, ["rloo"], 12_000, 1000);
    expect(two).toEqual(learningCurves(impl.trainLm, "spec", 2, ["rloo"], 12_000, 1000, false));
    expect(Math.abs(one.mean.rloo[0] - success0(0))).toBeLessThan(1e-12);
    expect(Math.abs(two.mean.rloo[0] - (success0(0) + success0(1)) / 2)).toBeLessThan(1e-12);
    // "reached by k": one run reached the target by point k when its success at some point ≤ k is ≥ 95%
    const reachedBy = (s: number[]) => s.map((_, k) => (Math.max(...s.slice(0, k + 1)) >= TRAINING.target ? 1 : 0));
    expect(one.reached.rloo).toEqual(reachedBy(one.mean.rloo));
    // the second run's curve is 2·mean(two) − mean(one) (up to rounding, never near the 95% line here)
    const second = two.mean.rloo.map((m, k) => 2 * m - one.mean.rloo[k]);
    expect(second.every((s) => Math.abs(s - TRAINING.target) > 1e-9)).toBe(true);
    const both = reachedBy(one.mean.rloo).map((r, k) => (r + reachedBy(second)[k]) / 2);
    expect(two.reached.rloo).toEqual(both);
    // the check has power: some run of these two reaches 95% within 12,000 episodes (and none at θ_0)
    expect(both[0]).toBe(0);
    expect(both.at(-1)).toBeGreaterThan(0);
    // every run spends the whole budget (no stop at the target): a run that reached 95% before the last point goes on
    // learning, so its success still changes after that point
    const goesOn = [one.mean.rloo, second].filter((c) => {
      const h = c.findIndex((s) => s >= TRAINING.target);
      return h >= 0 && h < c.length - 1 && c.slice(h + 1).some((s) => s !== c[h]);
    });
    expect(goesOn.length).toBeGreaterThan(0);
    // a run whose last measurement falls before the last point holds its last value: with G = 4 and points
    // 0, 5, 10, success is measured at 0 and 8 (the first update count ≥ 5), and the point 10 repeats it
    const short = learningCurves(impl.trainLm, "spec", 1, ["none"], 10, 5);
    expect(short.episodes).toEqual([0, 5, 10]);
    expect(short.mean.none[2]).toBe(short.mean.none[1]);
    expect(short.mean.none.every(Number.isFinite)).toBe(true);
  });

  it("[sec 3.2] learning curves and paired runs: shapes, ranges, and the rule that ties are no win", (ctx) => {
    claim(ctx, "exact");
    const c = learningCurves(impl.trainLm, "spec", 1, ["none", "normalized"], 400, 200);
    expect(c.episodes).toEqual([0, 200, 400]);
    for (const b of ["none", "normalized"]) {
      expect(c.mean[b].every((s) => s >= 0 && s <= 1)).toBe(true);
      expect(c.reached[b].every((s, k) => k === 0 || s >= c.reached[b][k - 1])).toBe(true);
    }
    const stub = (n: Record<string, number | null>) => (cfg: LmTrainConfig) => ({
      theta: new Float64Array(0),
      episodes: [0],
      success: [0],
      episodesToTarget: n[cfg.baseline] !== null && n[cfg.baseline]! <= cfg.episodes ? n[cfg.baseline] : null,
    });
    expect(pairedRun("s", 0, "rloo", stub({ rloo: 1000, none: 5000 })).win).toBe(true);
    expect(pairedRun("s", 0, "rloo", stub({ rloo: 1000, none: 1000 })).win).toBe(false);
    expect(pairedRun("s", 0, "rloo", stub({ rloo: null, none: 1000 })).win).toBe(false);
  });
});
