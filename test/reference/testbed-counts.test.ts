/**
 * The benchmark's testbed engine (src/bandits/testbed.ts) over several runs: its counts of optimal actions
 * step by step, and its last θ when the scores reach hundreds, against the testbed's loop rebuilt from the
 * reference's own steps (testbed-replay.ts). A unit test of the reference's bench code, not a claim of the
 * book (test/reference/testbed.test.ts checks one run).
 */
import { describe, expect, it } from "vitest";
import { runTestbed, TESTBED } from "../../src/bandits/testbed.ts";
import { stream } from "../../src/contract/random.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { expectClose } from "../../measure/close.ts";
import { replayTestbed } from "./testbed-replay.ts";

describe("the testbed engine: optimal-action counts over several runs", () => {
  it("optimalByStep counts, run by run, the steps whose action has the largest q*; optimalAtEnd is the last count", () => {
    const o = { ...TESTBED, arms: 5, runs: 6, steps: 120 };
    const res = runTestbed(stream("counts"), o);
    const ref = replayTestbed(stream("counts"), o);
    // the action at each step can differ only if a uniform lands within rounding of a CDF boundary
    expect(Array.from(res.optimalByStep)).toEqual(Array.from(ref.byStep));
    expect(res.optimalAtEnd).toBe(ref.byStep[o.steps - 1]);
    expect(res.optimalAtEnd).toBeGreaterThan(0);
    expect(runTestbed(stream("counts"), { ...o, steps: 0 }).optimalAtEnd).toBe(0);
  });

  it("with a large step size the scores reach hundreds and the engine stays finite and equal to the replay", () => {
    const o = { ...TESTBED, arms: 4, runs: 2, steps: 200, stepSize: 200 };
    const res = runTestbed(stream("large"), o);
    const ref = replayTestbed(stream("large"), o);
    const spread = Math.max(...ref.lastTheta) - Math.min(...ref.lastTheta);
    expect(spread).toBeGreaterThan(800); // e^{800} overflows: only the max-shifted softmax survives this
    for (let a = 0; a < o.arms; a++) expect(Number.isFinite(res.lastTheta[a])).toBe(true);
    // the contract allows ACCURACY on each step's θ'; the tolerance lets those errors add up over the steps
    // (the policy is saturated here, so a step barely moves them): the engine's last θ against the replay's
    expectClose(
      res.lastTheta,
      ref.lastTheta,
      { rel: o.steps * ACCURACY.rel, abs: o.steps * ACCURACY.abs },
      "runTestbed's last θ against the replay",
    );
    expect(Array.from(res.optimalByStep)).toEqual(Array.from(ref.byStep));
  });
});
