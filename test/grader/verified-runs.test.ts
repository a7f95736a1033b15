/**
 * The verification of runs made inside the sandbox (scripts/grader/sandbox/verified-runs.ts), in
 * this process: the loop is a function here that computes the runs and traces the honest way, or
 * forges one part of them, and `many` calls the reference functions directly. Each forgery below is
 * one a submission could send; each must be refused, and the honest runs must come back unchanged.
 */
import { describe, expect, it } from "vitest";
import type { RunSpec } from "../../measure/bandits/experiments.ts";
import {
  emptyTrace,
  runReinforce,
  type CallMany,
  type Engine,
  type Run,
  type RunTrace,
} from "../../measure/bandits/run.ts";
import { derive } from "../../src/contract/random.ts";
import * as reference from "../../src/index.ts";
import {
  opaqueSeed,
  replayCount,
  verificationKey,
  verifiedBanditRuns,
  type RunLoop,
} from "../../scripts/grader/sandbox/verified-runs.ts";

const engine = reference as unknown as Engine;
const direct = ((fn: keyof Engine, argsList: unknown[][]) =>
  argsList.map((args) => (engine[fn] as (...a: unknown[]) => unknown)(...args))) as unknown as CallMany;
const KEY = verificationKey("verified-runs-test");

/** 10 runs of each kind on Figure 2's bandit, 60 steps: replayCount(10) = 10, so every run is picked. */
function specs(): RunSpec[] {
  const bandit = { kind: "bernoulli" as const, p: [0.96, 0.94] };
  return (["none", "running-average"] as const).flatMap((baseline) =>
    Array.from({ length: 10 }, (_, i) => ({
      o: { bandit, steps: 60, stepSize: 0.25, baseline, watch: 0 },
      seed: derive("verified-runs", baseline, i),
    })),
  );
}

type Forge = { runs?: (runs: Run[]) => void; traces?: (traces: RunTrace[]) => void; step?: number };

/** A loop computing the runs and their traces honestly, then applying `forge` to what it reports. */
function loopWith(forge: Forge = {}): RunLoop {
  return (kind, ss) => {
    const list = ss as RunSpec[];
    const o = (s: RunSpec) => (forge.step ? { ...s.o, stepSize: forge.step } : s.o);
    if (kind === "bandit-reinforce") {
      const runs = list.map((s) => runReinforce(o(s), s.seed, engine));
      forge.runs?.(runs);
      return runs;
    }
    const traces = list.map((s) => {
      const t = emptyTrace(s.o.steps);
      runReinforce(o(s), s.seed, engine, t);
      return t;
    });
    forge.traces?.(traces);
    return traces;
  };
}

const verify = (forge?: Forge) => verifiedBanditRuns(loopWith(forge), direct, specs(), "test", KEY);

describe("runs made inside the sandbox, verified step by step", () => {
  it("every run is picked in this design (so a forgery of one run is always among them)", () => {
    expect(replayCount(10)).toBe(10);
  });

  it("honest runs and traces pass and come back as the runs of the opaque seeds", () => {
    const got = verify();
    const want = specs().map((s) => runReinforce(s.o, opaqueSeed(KEY, s.seed), engine));
    expect(got).toEqual(want);
  });

  it("a run computed with another step size, its trace consistent with it, is refused at its first update", () => {
    expect(() => verify({ step: 0.3 })).toThrow(/step 0: the update gives θ\[\d\] = .*, the run has/);
  });

  it.each<[string, Forge, RegExp]>([
    [
      "a final π raised",
      { runs: (rs) => (rs[3].prob[60] = Math.min(1, rs[3].prob[60] + 1e-9)) },
      /run 3 .*step 60: π\(watched action\)/,
    ],
    ["θ at one step changed", { runs: (rs) => (rs[5].scores[0][30] += 1e-12) }, /run 5 .*step (29|30)/],
    ["θ_0 other than the spec's", { runs: (rs) => (rs[0].scores[1][0] = 0.5) }, /run 0 .*θ\[1\] at step 0/],
    ["the counts", { runs: (rs) => (rs[2].counts[0] -= 1) }, /run 2 .*action 0 was taken/],
    ["an action of the trace", { traces: (ts) => (ts[1].actions[10] = 1 - ts[1].actions[10]) }, /run 1 /],
    [
      "a baseline of the trace",
      { traces: (ts) => (ts[14].baselines[7] += 0.125) },
      /run 14 .*step (6|7): (the running average gives|the update gives)/,
    ],
    ["B_0 other than 0", { traces: (ts) => (ts[13].baselines[0] = 0.5) }, /run 13 .*B at step 0 is 0.5/],
    [
      "the first stream state",
      { traces: (ts) => (ts[4].actionStates[0] = ts[4].actionStates[1]) },
      /run 4 .*action stream at step 0 is not the run's own/,
    ],
    [
      "a later stream state",
      { traces: (ts) => (ts[6].actionStates[20] = ts[6].actionStates[21]) },
      /run 6 .*step (19|20): (sampleAction leaves the action stream|sampleAction gives)/,
    ],
    [
      "a stream state that restores no stream",
      { traces: (ts) => (ts[7].actionStates[12] = { kind: "alea", s: null }) },
      /run 7 .*step 12: the trace's action stream state is not the state of a stream/,
    ],
    [
      "a stream state of no known kind",
      { traces: (ts) => (ts[7].actionStates[12] = { kind: "mt", s: [1] } as unknown as RunTrace["actionStates"][0]) },
      /run 7 .*step 12: the trace's action stream state is not the state of a stream/,
    ],
    ["a trace cut short", { traces: (ts) => (ts[8].actionStates.length = 30) }, /trace of run 8 .* is malformed/],
    ["an action outside the bandit", { traces: (ts) => (ts[9].actions[3] = 2) }, /run 9 .*the action at step 3 is 2/],
  ])("a forgery is refused: %s", (_, forge, message) => {
    expect(() => verify(forge)).toThrow(message);
  });
});
