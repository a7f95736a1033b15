/**
 * The Chapter 4 experiment harness (measure/language-models/experiments.ts) with the reference trainLm: the
 * training settings, how learning curves average the runs' held-out success, and the paired-run rule. Tests
 * of the harness, not claims of the book (they lean on the reference's draw order), moved out of
 * spec/4-language-models/4.5-experiments.spec.ts.
 */
import { describe, expect, it } from "vitest";
import type { LmTrainConfig } from "../../src/contract/chapter4.ts";
import { trainLm } from "../../src/language-models/train.ts";
import { exactSuccess } from "../../measure/language-models/exact.ts";
import {
  learningCurves,
  pairedRun,
  TRAINING,
  trainingConfig,
  trainingTask,
} from "../../measure/language-models/experiments.ts";
import { END } from "../../measure/language-models/tasks.ts";
import { gaussian, substream } from "../../src/contract/random.ts";
import { documentedPolicy } from "../../spec/4-language-models/tools.ts";

describe("the Chapter 4 experiments' harness", () => {
  it("the experiments' settings and curves: the ±1 verdict, the target only when stopping, and learning curves that average the runs' held-out success from θ_0 on", () => {
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
      return exactSuccess(documentedPolicy(pm.model, theta), pm.heldOut, (q) => pm.answer(q));
    };
    const one = learningCurves(trainLm, "spec", 1, ["rloo"], 12_000, 1000);
    const two = learningCurves(trainLm, "spec", 2, ["rloo"], 12_000, 1000);
    expect(two).toEqual(learningCurves(trainLm, "spec", 2, ["rloo"], 12_000, 1000, false));
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
    const short = learningCurves(trainLm, "spec", 1, ["none"], 10, 5);
    expect(short.episodes).toEqual([0, 5, 10]);
    expect(short.mean.none[2]).toBe(short.mean.none[1]);
    expect(short.mean.none.every(Number.isFinite)).toBe(true);
  });

  it("learning curves and paired runs: shapes, ranges, and the rule that ties are no win", () => {
    const c = learningCurves(trainLm, "spec", 1, ["none", "normalized"], 400, 200);
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
