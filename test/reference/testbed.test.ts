/** The benchmark's 10-armed testbed engine (src/bandits/testbed.ts) is update (13) in a tight loop. */
import { describe, expect, it } from "vitest";
import { runTestbed, TESTBED } from "../../src/bandits/testbed.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { expectClose } from "../../measure/close.ts";
import { replayTestbed } from "./testbed-replay.ts";

describe("the 10-armed testbed engine of the benchmark", () => {
  it("runTestbed takes the same steps as reinforceBaselineStep with the running average (B_0 = 0)", () => {
    const words = [123456789, 362436069, 521288629];
    const replay = () => {
      let i = 0;
      return () => words[i++ % 3] / 4294967296;
    };
    const o = { ...TESTBED, runs: 1, steps: 300 };
    const res = runTestbed(replay(), o);
    // the same draws from fastStream, consumed in the same order: k normals for q*, then per step one
    // uniform for the action and one normal for the reward (Box–Muller pairs, the second value kept)
    const ref = replayTestbed(replay(), o);
    expect(Array.from(res.lastQ)).toEqual(Array.from(ref.lastQ));
    // the contract allows ACCURACY on each step's θ'; the tolerance lets those errors add up over the 300
    // steps (a step's map θ ↦ θ' is within α|R − B|/2 of the identity in Lipschitz constant, so they
    // barely grow): the implementation's replay against the engine's last θ
    expectClose(
      ref.lastTheta,
      res.lastTheta,
      { rel: o.steps * ACCURACY.rel, abs: o.steps * ACCURACY.abs },
      "the replay's last θ against runTestbed's",
    );
    expect(res.optimalByStep.length).toBe(300);
  });
});
