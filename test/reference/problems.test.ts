/**
 * The one validation style of src/core/problems.ts, and the two validators that use it
 * (validateMdp, problemErrors / validateProblem): every problem found is reported, each as "path: problem".
 */
import { describe, expect, it } from "vitest";
import { collectProblems, InputError, problemText } from "../../src/core/problems.ts";
import { MdpInputError, validateMdp } from "../../src/average-return/validate.ts";
import { problemErrors, validateProblem } from "../../src/total-return/problem.ts";
import type { EpisodicProblem } from "../../src/total-return/types.ts";

describe("InputError(problems, heading?)", () => {
  it("lists one problem as 'path: problem', several on one line separated by '; ', and under a heading one per line", () => {
    const a = { path: "$.P[0][1]", problem: "negative probability -0.5" };
    const b = { path: "$.r", problem: "expected 2 entries, got 1" };
    expect(problemText(a)).toBe("$.P[0][1]: negative probability -0.5");
    expect(new InputError([a]).message).toBe("$.P[0][1]: negative probability -0.5");
    expect(new InputError([a, b]).message).toBe("$.P[0][1]: negative probability -0.5; $.r: expected 2 entries, got 1");
    expect(new InputError([a, b], "invalid input").message).toBe(
      "invalid input:\n  $.P[0][1]: negative probability -0.5\n  $.r: expected 2 entries, got 1",
    );
    const e = new InputError([a, b]);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.path).toBe("$.P[0][1]");
    expect(e.problems).toEqual([a, b]);
    expect(() => new InputError([])).toThrow(/at least one problem/);
  });

  it("collectProblems records problems in order, and add returns undefined so a check can end with it", () => {
    const { problems, add } = collectProblems();
    expect(add("$.x", "bad")).toBeUndefined();
    add("$.y", "worse");
    expect(problems).toEqual([
      { path: "$.x", problem: "bad" },
      { path: "$.y", problem: "worse" },
    ]);
  });
});

describe("validateMdp reports every problem of the data at once", () => {
  it("lists a bad row, a negative entry and a bad reward in one MdpInputError, the first one's path as its path", () => {
    const input = {
      P: [
        [
          [0.5, 0.4],
          [1, -0.5],
        ],
        [
          [0, 1],
          [0, 1],
        ],
      ],
      r: [
        [0, 0],
        [0, "x"],
      ],
    };
    let err: unknown;
    try {
      validateMdp(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MdpInputError);
    const e = err as MdpInputError;
    expect(e.path).toBe("$.P[0][0]");
    expect(e.message).toBe(
      '$.P[0][0]: probabilities sum to 0.9, not 1 (state 0, action 0); $.P[0][1][1]: negative probability -0.5; $.r[1][1]: expected a finite number, got the string "x"',
    );
    // one line: the command line prints the first line of a message
    expect(e.message.split("\n")).toHaveLength(1);
  });

  it("keeps the single-problem message and the constructor (path, problem) of the command line", () => {
    expect(() => validateMdp({ P: [[[1.5, -0.5]], [[0, 1]]], r: [[0], [0]] })).toThrow(
      /^\$\.P\[0\]\[0\]\[1\]: negative probability -0\.5$/,
    );
    const e = new MdpInputError("$.policy.kind", 'expected "tabular" or "log-linear"');
    expect([e.name, e.path, e.message]).toEqual([
      "MdpInputError",
      "$.policy.kind",
      '$.policy.kind: expected "tabular" or "log-linear"',
    ]);
    // both fields missing: both named; no shape yet, so nothing further is checked
    expect(() => validateMdp({})).toThrow(
      '$: missing field "P" (transition probabilities P[s][a][s\']); $: missing field "r" (rewards r[s][a])',
    );
  });

  it("runs the unichain test only on well-formed data", () => {
    // two absorbing states and a bad reward: the reward is the problem reported, not the closed classes
    expect(() => validateMdp({ P: [[[1, 0]], [[0, 1]]], r: [[0], [null]] })).toThrow(
      /^\$\.r\[1\]\[0\]: expected a finite number, got null$/,
    );
    expect(() => validateMdp({ P: [[[1, 0]], [[0, 1]]], r: [[0], [0]] })).toThrow(/^\$\.P: not unichain/);
  });
});

describe("problemErrors and validateProblem: the same problems, as text and as one InputError", () => {
  const bad = (): EpisodicProblem => ({
    mdp: { P: [[[0.5, 0.4]], [[0, 1]]], r: [[0], [0]] },
    horizon: 0,
    initial: [1, 0],
  });
  it("give the texts of the same problems, in the same order", () => {
    const texts = problemErrors(bad());
    expect(texts).toEqual([
      "$.mdp.P[0][0]: must sum to 1, sums to 0.9",
      "$.horizon: must be a positive integer, got 0",
    ]);
    let err: unknown;
    try {
      validateProblem(bad());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as InputError).problems.map(problemText)).toEqual(texts);
    expect((err as Error).message).toBe(`invalid episodic problem:\n  ${texts.join("\n  ")}`);
  });
});
