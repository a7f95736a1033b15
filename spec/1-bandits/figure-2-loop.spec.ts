/**
 * The loop behind Figures 1 and 2 (measure/bandits/run.ts), replayed exactly. The actions are scripted
 * (a sampleAction that reads a list) and every arm pays a fixed reward, so a run is a known sequence
 * A_0, R_1, A_1, R_2, …; its iterates are computed here by hand from (1), (5) and (13):
 *
 *   π_t = Gibbs(θ_t),  θ_{t+1} = θ_t + α (R_{t+1} − B_t)(1_{A_t} − π_t),
 *   B_0 = 0,  B_t = (R_1 + … + R_t)/t,
 *
 * so B_t, the baseline of step t, holds the rewards before R_{t+1} (which joins it only after the step).
 * Both loops of run.ts (one run at a time, and runs stepped together) must reproduce every θ_t, every
 * π_t and every B_t passed to the step. A loop that folds R_{t+1} into B before the step, written here
 * on purpose, must fail the same comparison.
 */
import { describe, expect, it } from "vitest";
import type { Bandit } from "../../measure/bandits/bandit.ts";
import {
  runLoop,
  runReinforce,
  runReinforceMany,
  type CallMany,
  type Engine,
  type Run,
  type RunOptions,
} from "../../measure/bandits/run.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { claim } from "../support/claim.ts";
import { describeMismatch, mismatch, type Tolerance } from "../../measure/close.ts";
import { callManyOf, impl } from "../support/impl.ts";

/** Arm a pays REWARD[a] with probability 1 (a discrete law with one value: drawReward returns it). */
const REWARD = [1.5, -0.5];
const BANDIT: Bandit = { kind: "discrete", values: REWARD.map((r) => [r]), probs: REWARD.map(() => [1]) };
const SCRIPT = [0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0];
const ALPHA = 0.4;
const THETA0 = [0.3, -0.2];

interface Trajectory {
  theta: number[][];
  prob0: number[];
  /** B_t as passed to the step at t. */
  b: number[];
}

/** The hand-computed trajectory of the script: (1) when `baselined` is false (B ≡ 0), (13) with the running average otherwise. */
function byHand(script: number[], baselined: boolean): Trajectory {
  const theta = [THETA0.slice()];
  const prob0: number[] = [];
  const b: number[] = [];
  let sum = 0;
  for (let t = 0; t <= script.length; t++) {
    const [x, y] = theta[t];
    const pi0 = 1 / (1 + Math.exp(y - x)); // (2) for two actions
    prob0.push(pi0);
    if (t === script.length) break;
    const a = script[t];
    const r = REWARD[a];
    const bt = baselined && t > 0 ? sum / t : 0; // B_t = mean(R_1..R_t), B_0 = 0
    b.push(bt);
    const g = [(a === 0 ? 1 : 0) - pi0, (a === 1 ? 1 : 0) - (1 - pi0)]; // (5)
    theta.push([x + ALPHA * (r - bt) * g[0], y + ALPHA * (r - bt) * g[1]]);
    sum += r; // R_{t+1} joins the average after the step
  }
  return { theta, prob0, b };
}

/**
 * The tolerance at step t: each of the t steps (and averages) is accurate to the contract's ACCURACY,
 * and an error in θ grows by at most 1 + α·max|R − B| per step (the Gibbs map's Jacobian has norm ≤ 1/2,
 * times the score's coefficient α(R − B) with |R − B| ≤ 2).
 */
const tolAt = (t: number): Tolerance => {
  const grow = (t + 1) * (1 + 2 * ALPHA) ** t;
  return { rel: ACCURACY.rel * grow, abs: ACCURACY.abs * grow + ACCURACY.rel * grow };
};

/** Every place where a run differs from the hand-computed trajectory: θ_t, π_t(0), B_t and the action counts. */
function differences(run: Run, bs: number[], want: Trajectory, script: number[]): string[] {
  const out: string[] = [];
  for (let t = 0; t < want.theta.length; t++) {
    const got = run.scores.map((s) => s[t]);
    const m = mismatch(got, want.theta[t], tolAt(t));
    if (m) out.push(describeMismatch(`θ_${t}`, m, tolAt(t)));
    const p = mismatch(run.prob[t], want.prob0[t], tolAt(t));
    if (p) out.push(describeMismatch(`π_${t}(0)`, p, tolAt(t)));
  }
  if (bs.length !== want.b.length)
    out.push(`the step was called with ${bs.length} baselines, expected ${want.b.length}`);
  for (let t = 0; t < Math.min(bs.length, want.b.length); t++) {
    const m = mismatch(bs[t], want.b[t], tolAt(t));
    if (m) out.push(describeMismatch(`B_${t} (the baseline of step ${t})`, m, tolAt(t)));
  }
  const counts = [0, 1].map((a) => script.filter((x) => x === a).length);
  if (run.counts[0] !== counts[0] || run.counts[1] !== counts[1])
    out.push(`action counts ${Array.from(run.counts)}, expected ${counts}`);
  return out;
}

/** Fail with the first differences, each naming the iterate, both values and the tolerance. */
function expectNone(bad: string[]): void {
  if (bad.length)
    throw new Error(
      `${bad.length} differences from the hand-computed run; the first:\n  ${bad.slice(0, 6).join("\n  ")}`,
    );
}

/** The implementation under test, with the scripted sampler and a record of the baselines passed to (13). */
function scriptedEngine(script: number[]): { engine: Engine; bs: number[] } {
  const bs: number[] = [];
  let t = 0;
  const engine: Engine = {
    gibbsPolicy: (theta) => impl.gibbsPolicy(theta),
    sampleAction: () => script[t++],
    reinforceStep: (theta, a, r, alpha) => {
      bs.push(0); // (1) is (13) with B = 0
      return impl.reinforceStep(theta, a, r, alpha);
    },
    reinforceBaselineStep: (theta, a, r, b, alpha) => {
      bs.push(b);
      return impl.reinforceBaselineStep(theta, a, r, b, alpha);
    },
    updateRunningAverage: (b, n, r) => impl.updateRunningAverage(b, n, r),
  };
  return { engine, bs };
}

const options = (steps: number, baseline: RunOptions["baseline"]): RunOptions => ({
  bandit: BANDIT,
  steps,
  stepSize: ALPHA,
  baseline,
  theta0: Float64Array.from(THETA0),
  watch: 0,
});
const USES = ["gibbsPolicy", "reinforceStep", "reinforceBaselineStep", "updateRunningAverage"];

/**
 * The loop of runReinforce (runLoop) with one line moved: R_{t+1} folded into B before the step, so the step
 * at t uses B = mean(R_1..R_{t+1}), which includes the reward being reinforced. Not the book's loop.
 */
function reorderedLoop(o: RunOptions, seed: string, engine: Engine): Run {
  return runLoop(o, seed, engine, (theta, a, r, b, t) => {
    const moved = engine.updateRunningAverage(b, t + 1, r); // moved up: B now includes R_{t+1}
    return { theta: engine.reinforceBaselineStep(theta, a, r, moved, o.stepSize), b: moved };
  });
}

describe("1.4 The Figure 2 loop, replayed exactly on a scripted run", () => {
  it("[fig 2] [eq 13] runReinforce with the running-average baseline gives every θ_t, π_t and B_t of the hand-computed run: B_t = mean(R_1…R_t), B_0 = 0, R_{t+1} added after the step", (ctx) => {
    claim(ctx, "exact", { implements: USES });
    const { engine, bs } = scriptedEngine(SCRIPT);
    const run = runReinforce(options(SCRIPT.length, "running-average"), "scripted", engine);
    const want = byHand(SCRIPT, true);
    // the script makes B move: B_1 = 1.5, B_2 = 0.5, B_3 = 1/6, …
    expect(new Set(want.b.map((x) => x.toFixed(6))).size).toBeGreaterThan(SCRIPT.length / 2);
    expectNone(differences(run, bs, want, SCRIPT));
  });

  it("[fig 1] [fig 2] [eq 1] [eq 13] runReinforceMany, stepping runs with and without the baseline together, gives each the hand-computed run", (ctx) => {
    claim(ctx, "exact", { implements: USES });
    const scripts = [SCRIPT, SCRIPT.map((a) => 1 - a), SCRIPT.slice(0, 7)];
    const kinds: RunOptions["baseline"][] = ["running-average", "none", "running-average"];
    const steps = scripts.map(() => 0);
    const bs: number[][] = scripts.map(() => []);
    // Each batched call lists the runs still going, in order; a run is told by its action stream (one
    // object per run), and the runs sampled last are those whose step comes next.
    const rngs: unknown[] = [];
    let sampled: number[] = [];
    const call = (fn: keyof Engine, argsList: unknown[][]): unknown[] => {
      if (fn === "sampleAction") {
        sampled = argsList.map((args) => (rngs.includes(args[1]) ? rngs.indexOf(args[1]) : rngs.push(args[1]) - 1));
        return sampled.map((i) => scripts[i][steps[i]++]);
      }
      if (fn === "reinforceStep" || fn === "reinforceBaselineStep") {
        const mine = sampled.filter((i) => (kinds[i] === "none") === (fn === "reinforceStep"));
        argsList.forEach((args, j) => bs[mine[j]].push(fn === "reinforceStep" ? 0 : (args[3] as number)));
      }
      return callManyOf(impl, fn, argsList as never);
    };
    // distinct seeds, so the runs' streams (and their turns) are told apart
    const runs = runReinforceMany(
      scripts.map((s, i) => ({ o: options(s.length, kinds[i]), seed: `scripted-${i}` })),
      call as unknown as CallMany,
    );
    const bad = runs.flatMap((r, i) =>
      differences(r, bs[i], byHand(scripts[i], kinds[i] !== "none"), scripts[i]).map(
        (d) => `run ${i} (${kinds[i]}): ${d}`,
      ),
    );
    expectNone(bad);
  });

  it("[fig 2] [eq 13] negative control: a loop that adds R_{t+1} to the average before the step fails the same comparison, from B_0 on", (ctx) => {
    claim(ctx, "exact", { implements: USES, control: true });
    const { engine, bs } = scriptedEngine(SCRIPT);
    const run = reorderedLoop(options(SCRIPT.length, "running-average"), "scripted", engine);
    const bad = differences(run, bs, byHand(SCRIPT, true), SCRIPT);
    // B_0 is R_1 = 1.5 instead of 0, and every θ_t after the first step is off
    expect(bad.some((d) => d.startsWith("B_0 "))).toBe(true);
    expect(bad.filter((d) => d.startsWith("θ_")).length).toBe(SCRIPT.length);
  });
});
