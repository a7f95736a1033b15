/**
 * measure/bandits/run.ts without initial scores: θ₀ defaults to zeros over every arm of the bandit, in
 * the single loop and in the batched one, which must make exactly the single loop's runs.
 */
import { describe, expect, it } from "vitest";
import { runReinforce, runReinforceMany, type CallMany, type RunOptions } from "../../measure/bandits/run.ts";
import { referenceEngine } from "../../src/bandits/index.ts";

const engine = referenceEngine;
/** The batched caller over the reference engine: each argument list called in turn. */
const many = ((fn, argsList) =>
  argsList.map((args) => (engine[fn] as (...a: unknown[]) => unknown)(...args))) as CallMany;

const o = (steps: number, baseline: RunOptions["baseline"]): RunOptions => ({
  bandit: { kind: "bernoulli", p: [0.2, 0.5, 0.9] },
  steps,
  stepSize: 0.1,
  baseline,
  watch: 2,
});

describe("runs without theta0", () => {
  it("start from θ₀ = 0 over all three arms, so π_θ₀(watch) = 1/3", () => {
    for (const run of [
      runReinforce(o(5, "none"), "s", engine),
      runReinforceMany([{ o: o(5, "none"), seed: "s" }], many)[0],
    ]) {
      expect(run.scores).toHaveLength(3);
      expect(run.scores.map((s) => s[0])).toEqual([0, 0, 0]);
      expect(run.prob[0]).toBeCloseTo(1 / 3, 15);
      expect(run.counts).toHaveLength(3);
      expect(run.counts.reduce((a, b) => a + b, 0)).toBe(5);
    }
  });

  it("batched with runs of other lengths and kinds, give each the single loop's run exactly", () => {
    const specs = [
      { o: o(12, "running-average"), seed: "a" },
      { o: o(3, "none"), seed: "b" },
      { o: o(0, "none"), seed: "c" },
    ];
    const batched = runReinforceMany(specs, many);
    specs.forEach(({ o: opts, seed }, i) => expect(batched[i]).toEqual(runReinforce(opts, seed, engine)));
  });
});
