/**
 * The book's experiment loop run inside the sandbox (one round trip for all the runs of a figure)
 * and verified by replaying runs call by call: a correct submission gives exactly its in-process
 * runs; a submission that behaves differently inside the loop is caught by the replay; failures in
 * the loop (hang, throw, mutation, Math.random) are reported naming the function; a long loop that
 * keeps making progress is not cut off by the per-call time limit.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSpec } from "../../measure/bandits/experiments.ts";
import { runReinforceMany, type CallMany, type Engine, type Run } from "../../measure/bandits/run.ts";
import { derive } from "../../src/contract/random.ts";
import { RUN_BANDITS } from "../../spec/support/impl-provider.ts";
import { connectSandbox } from "../../scripts/grader/sandbox/client.ts";
import { opaqueSeed, verificationKey } from "../../scripts/grader/sandbox/verified-runs.ts";
import { masterSeed } from "../../measure/seed.ts";

const FIX = path.resolve(import.meta.dirname, "fixtures/loop");
const CORRECT = path.resolve(import.meta.dirname, "../../examples/students/correct/index.ts");

/** Figure 2's bandit, shortened: 20 runs of each kind, 300 steps. */
function specs(runs = 20, steps = 300): RunSpec[] {
  const bandit = { kind: "bernoulli" as const, p: [0.96, 0.94] };
  const one = (baseline: "none" | "running-average", i: number): RunSpec => ({
    o: { bandit, steps, stepSize: 0.25, baseline, watch: 0 },
    seed: derive("loop-test", i),
  });
  return [
    ...Array.from({ length: runs }, (_, i) => one("none", i)),
    ...Array.from({ length: runs }, (_, i) => one("running-average", i)),
  ];
}

type Sandbox = Record<string | symbol, unknown>;

/** A sandbox over `file`, opened the way the grader's provider opens it (connectSandbox). */
function sandbox(file: string, timeoutMs = 3000, deadline?: number): Sandbox {
  process.env.PGBOOK_CALL_TIMEOUT_MS = String(timeoutMs);
  if (deadline) process.env.PGBOOK_SANDBOX_DEADLINE = String(deadline);
  try {
    return connectSandbox(file);
  } finally {
    delete process.env.PGBOOK_CALL_TIMEOUT_MS;
    delete process.env.PGBOOK_SANDBOX_DEADLINE;
  }
}

/** The bandit runs the way the seam asks a provided implementation for them: `[RUN_BANDITS](specs, label)`. */
function runBandits(box: Sandbox, s: RunSpec[], label = "test"): Run[] {
  const own = box[RUN_BANDITS];
  if (typeof own !== "function") throw new Error("the sandbox offers no [RUN_BANDITS]");
  return (own as (s: RunSpec[], l: string) => Run[])(s, label);
}

describe("experiment loops inside the sandbox", () => {
  it("a correct submission: the loop's runs equal the same runs stepped in-process, number for number", async () => {
    const box = sandbox(CORRECT);
    const got = runBandits(box, specs());
    // the same runs stepped in this process, one call at a time, with the module imported directly
    const mod = (await import(CORRECT)) as unknown as Engine;
    const inProcess = ((fn: keyof Engine, argsList: unknown[][]) =>
      argsList.map((args) => (mod[fn] as (...a: unknown[]) => unknown)(...args))) as unknown as CallMany;
    // the sandbox runs each spec under its opaque seed (the child never sees the real one)
    const key = verificationKey(masterSeed());
    const want = runReinforceMany(
      specs().map((s) => ({ ...s, seed: opaqueSeed(key, s.seed) })),
      inProcess,
    );
    expect(got).toHaveLength(want.length);
    got.forEach((r, i) => {
      expect(r.prob).toEqual(want[i].prob);
      expect(r.scores).toEqual(want[i].scores);
      expect(r.counts).toEqual(want[i].counts);
    });
  });

  it("a submission that acts differently inside the loop is caught by the call-by-call replay", () => {
    expect(() => runBandits(sandbox(path.join(FIX, "tamper.ts")), specs())).toThrow(
      /differs from its steps recomputed call by call/,
    );
  });

  it("a loop that outlasts the per-call limit but keeps making progress finishes", () => {
    // 20 runs × 301 steps × 0.5 ms per policy evaluation ≈ 3 s of policy evaluations: more than the 1 s limit
    const t0 = Date.now();
    const runs = runBandits(sandbox(path.join(FIX, "slow.ts"), 1000), specs(10));
    expect(runs).toHaveLength(20);
    expect(Date.now() - t0).toBeGreaterThan(1000);
  });

  it("progress does not extend a loop past the submission's total time limit", () => {
    // 40 runs of the slow policy: about 12 s of policy evaluations, each progress frame restarting
    // the 30 s call limit; the submission has 6 s (starting the sandbox takes some of them)
    const deadline = Date.now() + 6000;
    const box = sandbox(path.join(FIX, "slow.ts"), 30_000, deadline);
    // the watchdog stops the loop when the submission's time is up, during the call, naming the function
    expect(() => runBandits(box, specs(40))).toThrow(
      /pgbook-sandbox\[deadline\]: gibbsPolicy was stopped: the submission's total time limit was used up/,
    );
    // stopped at the deadline (the watchdog polls every 25 ms), not when the loop or a call limit ended
    expect(Date.now() - deadline).toBeLessThan(2500);
  });

  it("a hang inside the loop is stopped at the per-call limit and named", () => {
    const t0 = Date.now();
    expect(() => runBandits(sandbox(path.join(FIX, "hang-late.ts"), 1000), specs())).toThrow(
      /pgbook-sandbox\[timeout\]: sampleAction did not return within 1000 ms/,
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it("a throw, a modified argument and Math.random inside the loop are reported naming the function", () => {
    const message = (file: string) => {
      try {
        runBandits(sandbox(path.join(FIX, file)), specs());
      } catch (e) {
        return `${(e as Error).message}\n${(e as Error).stack}`;
      }
      return "no error";
    };
    expect(message("throw.ts")).toMatch(
      /pgbook-sandbox\[throw\]: updateRunningAverage threw RangeError: running average <b>overflow<\/b>/,
    );
    expect(message("mutate.ts")).toMatch(/pgbook-sandbox\[mutation\]: reinforceStep modified its argument 1/);
    expect(message("random.ts")).toMatch(/pgbook-sandbox\[math-random\]: sampleAction called Math.random/);
  });
});
