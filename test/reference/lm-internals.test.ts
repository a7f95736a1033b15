/**
 * Internals of Chapter 4's log-linear model that its claims do not reach: the layout of θ, the shape
 * checks, the group baselines at their edges, and the refusal of mismatched inputs. Expected values are
 * worked out in the comments.
 */
import { describe, expect, it } from "vitest";
import { groupAdvantages, type GroupBaseline } from "../../src/language-models/advantages.ts";
import { groupGradient } from "../../src/language-models/estimate.ts";
import { lmLogits, lmParamCount, weightIndex } from "../../src/language-models/model.ts";
import { windowsAlong } from "../../src/language-models/sequence.ts";

const model = { vocab: 3, window: 2 };

describe("the layout of θ", () => {
  it("has V + N·V² entries, W[i][v][a] at V + (i·V + v)·V + a", () => {
    // 3 + 2·9 = 21; W[1][2][0] at 3 + (1·3 + 2)·3 + 0 = 18, W[0][0][2] at 3 + 0 + 2 = 5, W[1][2][2] last, 20
    expect(lmParamCount(model)).toBe(21);
    expect(weightIndex(model, 1, 2, 0)).toBe(18);
    expect(weightIndex(model, 0, 0, 2)).toBe(5);
    expect(weightIndex(model, 1, 2, 2)).toBe(20);
    // the logits read exactly those entries: θ = index, window (2, 1) → b[a] + W[0][2][a] + W[1][1][a]
    const theta = Float64Array.from({ length: 21 }, (_, i) => i);
    const want = [0, 1, 2].map((a) => a + weightIndex(model, 0, 2, a) + weightIndex(model, 1, 1, a));
    expect(Array.from(lmLogits(model, theta, [2, 1]))).toEqual(want);
  });

  it("refuses a θ or a window of the wrong length, naming both sizes", () => {
    expect(() => lmLogits(model, new Float64Array(20), [0, 0])).toThrow("θ has 20 entries, the model needs 21");
    expect(() => lmLogits(model, new Float64Array(21), [0])).toThrow("the window has 1 tokens, the model reads 2");
  });
});

describe("windowsAlong(prompt, tokens)", () => {
  it("visits S_0 … S_T, one window per token appended, and no more", () => {
    // S_0 = (0, 1); appending 2 then 0 drops the oldest token each time
    expect(windowsAlong([0, 1], [2, 0])).toEqual([
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(windowsAlong([0, 1], [])).toEqual([[0, 1]]);
  });
});

describe("groupAdvantages(rewards, baseline, running)", () => {
  it('"none" is the reward itself, whatever the running average', () => {
    expect(Array.from(groupAdvantages([1, 0], "none", 0.5))).toEqual([1, 0]);
  });

  it('"rloo" needs two responses', () => {
    expect(() => groupAdvantages([1], "rloo")).toThrow(/at least 2/);
    // r − mean of the others: (1 − 0, 0 − 1)
    expect(Array.from(groupAdvantages([1, 0], "rloo"))).toEqual([1, -1]);
  });

  it('"normalized" gives 0 to a group equal up to rounding, at the scale of its rewards', () => {
    // rewards 2²⁰ and 2²⁰ + 2⁻³⁰: sd = 2⁻³¹ ≈ 4.7e-10, far below 1e-12·2²⁰ ≈ 1.05e-6: rounding, no update
    expect(Array.from(groupAdvantages([2 ** 20, 2 ** 20 + 2 ** -30], "normalized"))).toEqual([0, 0]);
    // the same spread at reward scale 1 is a real difference: sd 2⁻³¹ > 1e-12, so (−1, +1)
    expect(Array.from(groupAdvantages([1, 1 + 2 ** -30], "normalized"))).toEqual([-1, 1]);
  });

  it("refuses a baseline it does not know", () => {
    expect(() => groupAdvantages([1], "median" as GroupBaseline)).toThrow(/unknown baseline median/);
  });
});

describe("groupGradient", () => {
  it("refuses responses and advantages of different counts", () => {
    expect(() => groupGradient(model, new Float64Array(21), [0, 0], [[1], [2]], [1])).toThrow(
      "2 responses but 1 advantages",
    );
  });
});
