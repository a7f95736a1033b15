/**
 * A REINFORCE run on a bandit: the loop behind Figures 1 and 2. The loop (seeding, reward draws,
 * recording) is the book's; each step calls an `Engine` (the implementation under test in the specs,
 * the reference in the figures), so the same seeded runs can be replayed with any implementation.
 */
import type { BanditEngine } from "../../src/contract/chapter1.ts";
import { substream, type Rng, type RngState, type Seed } from "../../src/contract/random.ts";
import { drawReward, numActions, type Bandit } from "./bandit.ts";

/** The functions a run calls at each step. */
export type Engine = BanditEngine;

export interface RunOptions {
  bandit: Bandit;
  steps: number;
  stepSize: number;
  /** "none": update (1); "running-average": update (13) with B_t the running average, B_0 = 0. */
  baseline: "none" | "running-average";
  /** Initial scores (default all zero). */
  theta0?: Float64Array;
  /** The action whose probability is recorded (usually the optimal one). */
  watch: number;
}

export interface Run {
  /** π_{θ_t}(watch) for t = 0, …, steps. */
  prob: Float64Array;
  /** scores[a][t] = θ_{t,a} for t = 0, …, steps. */
  scores: Float64Array[];
  /** Number of times each action was taken. */
  counts: Float64Array;
}

/**
 * What a run drew along the way, beside its record: A_t for t < steps, B_t for t ≤ steps, and the
 * state of the action stream before each step's draw (t ≤ steps). With θ_0, the record's θ_t and the
 * seed, each step can be recomputed on its own (the grader's verification of runs made elsewhere).
 */
export interface RunTrace {
  actions: Float64Array;
  baselines: Float64Array;
  actionStates: RngState[];
}

/**
 * The update at step t, once A_t and R_{t+1} are drawn: θ_{t+1} and B_{t+1} from θ_t, A_t, R_{t+1} and
 * B_t (the book's is `bookUpdate`; a spec may pass a deliberately wrong one to see its checks fail).
 */
export type StepUpdate = (
  theta: Float64Array,
  a: number,
  r: number,
  b: number,
  t: number,
) => { theta: Float64Array; b: number };

/** The book's update: θ by (1) or (13) with B_t, then R_{t+1} folded into the running average B_{t+1}. */
export function bookUpdate(o: RunOptions, engine: Engine): StepUpdate {
  return (theta, a, r, b, t) => {
    const next =
      o.baseline === "none"
        ? engine.reinforceStep(theta, a, r, o.stepSize)
        : engine.reinforceBaselineStep(theta, a, r, b, o.stepSize);
    return { theta: next, b: engine.updateRunningAverage(b, t + 1, r) };
  };
}

/** One run, the book's: `runLoop` with `bookUpdate` (and its draws kept in `trace` when one is given). */
export function runReinforce(o: RunOptions, seed: Seed, engine: Engine, trace?: RunTrace): Run {
  return runLoop(o, seed, engine, bookUpdate(o, engine), trace);
}

/** An empty trace for a run of `steps` steps, to pass to `runReinforce`. */
export function emptyTrace(steps: number): RunTrace {
  return { actions: new Float64Array(steps), baselines: new Float64Array(steps + 1), actionStates: [] };
}

/**
 * One run's loop: at each step t, record π_{θ_t}(watch) and θ_t, draw A_t ~ π_{θ_t} from the run's
 * action stream and R_{t+1} from its reward stream, then apply `update` (B_0 = 0). A `trace` is
 * filled with the run's draws.
 */
export function runLoop(
  o: RunOptions,
  seed: Seed,
  engine: Pick<Engine, "gibbsPolicy" | "sampleAction">,
  update: StepUpdate,
  trace?: RunTrace,
): Run {
  const k = o.theta0?.length ?? numActions(o.bandit);
  const actRng = substream(seed, "actions");
  const rewRng = substream(seed, "rewards");
  let theta: Float64Array = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(k);
  const prob = new Float64Array(o.steps + 1);
  const scores = Array.from({ length: k }, () => new Float64Array(o.steps + 1));
  const counts = new Float64Array(k);
  let b = 0; // B_0 = 0
  for (let t = 0; ; t++) {
    prob[t] = engine.gibbsPolicy(theta)[o.watch];
    for (let a = 0; a < k; a++) scores[a][t] = theta[a];
    if (trace) {
      trace.baselines[t] = b;
      trace.actionStates[t] = actRng.state!();
    }
    if (t === o.steps) break;
    const a = engine.sampleAction(theta, actRng);
    if (trace) trace.actions[t] = a;
    const r = drawReward(o.bandit, a, rewRng);
    counts[a]++;
    ({ theta, b } = update(theta, a, r, b, t));
  }
  return { prob, scores, counts };
}

/**
 * An engine called in batches: `call(fn, argsList)` returns `engine[fn](...args)` for each argument
 * list, in order (under the grader's sandbox, one round trip per batch instead of one per call).
 */
export type CallMany = <K extends keyof Engine>(fn: K, argsList: Parameters<Engine[K]>[]) => ReturnType<Engine[K]>[];

/** A run of `runReinforceMany` in progress: its options, streams, current θ and B, and its record. */
interface Running {
  o: RunOptions;
  k: number;
  actRng: Rng;
  rewRng: Rng;
  theta: Float64Array;
  run: Run;
  b: number;
}

/**
 * Independent runs stepped together: at each step one batched call per engine function over every
 * run still going. Each run has its own streams and makes the same calls with the same arguments as
 * `runReinforce(o, seed, engine)`, so the runs are exactly those of `runReinforce`.
 */
export function runReinforceMany(specs: { o: RunOptions; seed: Seed }[], call: CallMany): Run[] {
  const st = specs.map(({ o, seed }): Running => {
    const k = o.theta0?.length ?? numActions(o.bandit);
    return {
      o,
      k,
      actRng: substream(seed, "actions"),
      rewRng: substream(seed, "rewards"),
      theta: o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(k),
      run: {
        prob: new Float64Array(o.steps + 1),
        scores: Array.from({ length: k }, () => new Float64Array(o.steps + 1)),
        counts: new Float64Array(k),
      },
      b: 0, // B_0 = 0
    };
  });
  for (let t = 0; ; t++) {
    const live = st.filter((s) => t <= s.o.steps);
    if (live.length === 0) break;
    const probs = call(
      "gibbsPolicy",
      live.map((s) => [s.theta]),
    );
    live.forEach((s, i) => {
      s.run.prob[t] = probs[i][s.o.watch];
      for (let a = 0; a < s.k; a++) s.run.scores[a][t] = s.theta[a];
    });
    const go = live.filter((s) => t < s.o.steps);
    if (go.length === 0) continue;
    const acts = call(
      "sampleAction",
      go.map((s) => [s.theta, s.actRng]),
    );
    const rewards = go.map((s, i) => drawReward(s.o.bandit, acts[i], s.rewRng));
    go.forEach((s, i) => s.run.counts[acts[i]]++);
    const plain = go.map((_, i) => i).filter((i) => go[i].o.baseline === "none");
    const based = go.map((_, i) => i).filter((i) => go[i].o.baseline !== "none");
    if (plain.length) {
      const th = call(
        "reinforceStep",
        plain.map((i) => [go[i].theta, acts[i], rewards[i], go[i].o.stepSize]),
      );
      plain.forEach((i, j) => (go[i].theta = th[j]));
    }
    if (based.length) {
      const th = call(
        "reinforceBaselineStep",
        based.map((i) => [go[i].theta, acts[i], rewards[i], go[i].b, go[i].o.stepSize]),
      );
      based.forEach((i, j) => (go[i].theta = th[j]));
    }
    const bs = call(
      "updateRunningAverage",
      go.map((s, i) => [s.b, t + 1, rewards[i]]),
    );
    go.forEach((s, i) => (s.b = bs[i]));
  }
  return st.map((s) => s.run);
}
