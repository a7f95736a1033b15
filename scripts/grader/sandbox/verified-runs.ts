/**
 * The bandit experiments of Figures 1–2 run inside the sandbox (one round trip for all runs) and
 * verified before anything is judged on them. What crosses into the child is chosen so that it
 * cannot tell which runs will be checked: each run's seed is replaced by an opaque one (a keyed hash
 * of the seed under a key derived from the master seed, which the child never sees), and the runs
 * to replay are drawn from the same key, after the child has reported every run. A submission that
 * fakes d of n runs goes unseen with probability C(n−d, r)/C(n, r) ≤ (1 − d/n)^r for r replayed runs.
 *
 * A picked run is replayed by induction rather than call after call. The child is asked for its
 * draws (the actions A_t, the baselines B_t and the action stream's state before each step); θ_0,
 * B_0 = 0 and the stream's first state are known here, and the rewards R_{t+1} are the book's own
 * draws. Every step is then recomputed on its own by the student's functions — π_{θ_t}(watch),
 * A_t from (θ_t, stream state t) leaving the stream in state t + 1, θ_{t+1} and B_{t+1} — and
 * compared with the reported record, so all the calls are independent and cross in large batches.
 * If every step agrees, the record is, by induction on t, the run the functions give when called one
 * after another: the same guarantee as a replay call by call, at a few round trips in all.
 *
 * The design: a figure claim is a rate over runs ("≥ 90 % of 200 runs reach π > 0.9"), and its check
 * is built to reject a submission whose true rate falls short by the check's detectable deviation,
 * at least 10 percentage points for every figure check. Such a submission must fake at least
 * FAKED_SHARE·n runs to pass, so r = ⌈ln(MISS_RATE)/ln(1 − FAKED_SHARE)⌉ = 66 replays catch it with
 * probability ≥ 1 − MISS_RATE (`replayDesign` states the exact figure); the runs of each kind (with
 * and without a baseline) are a pool of their own, since each kind's rate is a claim of its own.
 */
import { createHmac } from "node:crypto";
import type { CallMany, Run, RunOptions, RunTrace } from "../../../measure/bandits/run.ts";
import type { RunSpec } from "../../../measure/bandits/experiments.ts";
import { drawReward, numActions } from "../../../measure/bandits/bandit.ts";
import { fromState, stream, substream, type Rng } from "../../../src/contract/random.ts";
import { sameData, type RunsRequest } from "./protocol.ts";

/** The share of runs a submission must fake to flip a figure check's verdict, and the chance the replay may miss them. */
export const FAKED_SHARE = 0.1;
export const MISS_RATE = 1e-3;

/** d = ⌈FAKED_SHARE·n⌉ faked runs to catch among n. */
export function fakedRuns(n: number): number {
  return Math.max(1, Math.ceil(FAKED_SHARE * n));
}

/** Replayed runs: the fewest r with C(n−d, r)/C(n, r) ≤ MISS_RATE (at most n). */
export function replayCount(n: number, d = fakedRuns(n), miss = MISS_RATE): number {
  let p = 1;
  for (let r = 1; r <= n; r++) {
    p *= Math.max(0, n - d - (r - 1)) / (n - (r - 1));
    if (p <= miss) return r;
  }
  return n;
}

/** The design of a verification: runs, replayed runs, faked runs to catch and the exact miss probability. */
export function replayDesign(n: number): { runs: number; replayed: number; faked: number; missProbability: number } {
  const r = replayCount(n);
  const d = fakedRuns(n);
  let miss = 1;
  for (let j = 0; j < r; j++) miss *= Math.max(0, n - d - j) / (n - j);
  return { runs: n, replayed: r, faked: d, missProbability: miss };
}

/** The key of a grading's verifications: a keyed hash of the master seed (never sent to the child). */
export function verificationKey(masterSeed: string): Buffer {
  return createHmac("sha256", masterSeed).update("pgbook/verification-key").digest();
}

/** The opaque seed a run gets inside the sandbox. */
export function opaqueSeed(key: Buffer, seed: string | number): string {
  return createHmac("sha256", key)
    .update(`run-seed/${String(seed)}`)
    .digest("hex")
    .slice(0, 32);
}

export type RunLoop = (kind: RunsRequest["kind"], specs: unknown[], fns: string[]) => unknown[];

/**
 * Runs computed inside the sandbox by `loop`, verified: shape first, then `replayCount(n)` runs
 * (drawn with the key) replayed call by call through `many`, every number equal. The returned runs
 * are those of the opaque seeds.
 */
export function verifiedBanditRuns(loop: RunLoop, many: CallMany, specs: RunSpec[], label: string, key: Buffer): Run[] {
  const opaque = specs.map((s) => ({ ...s, seed: opaqueSeed(key, s.seed) }));
  const fns = ["gibbsPolicy", "sampleAction"];
  if (specs.some((s) => s.o.baseline === "none")) fns.push("reinforceStep");
  if (specs.some((s) => s.o.baseline !== "none")) fns.push("reinforceBaselineStep");
  fns.push("updateRunningAverage");
  const runs = loop("bandit-reinforce", opaque, fns) as Run[];
  if (!Array.isArray(runs) || runs.length !== specs.length)
    throw new Error(`the sandbox returned ${Array.isArray(runs) ? runs.length : "no"} runs instead of ${specs.length}`);
  specs.forEach((sp, i) => {
    const r = runs[i];
    const k = r?.scores?.length;
    const ok =
      r &&
      r.prob instanceof Float64Array &&
      r.prob.length === sp.o.steps + 1 &&
      r.counts instanceof Float64Array &&
      Array.isArray(r.scores) &&
      r.counts.length === k &&
      r.scores.every((s) => s instanceof Float64Array && s.length === sp.o.steps + 1);
    if (!ok)
      throw new Error(
        `run ${i} of "${label}" came back from the sandbox malformed (not ${sp.o.steps + 1} steps of π, θ and action counts)`,
      );
  });
  // which runs to replay: for each kind of run (a claim is a rate over the runs of one kind), drawn
  // without replacement by a stream of the key and the label
  const rng = stream(createHmac("sha256", key).update(`replay/${label}`).digest("hex"));
  const picks: number[] = [];
  for (const kind of new Set(specs.map((s) => s.o.baseline))) {
    const pool = specs.flatMap((s, i) => (s.o.baseline === kind ? [i] : []));
    for (let j = replayCount(pool.length); j > 0; j--) picks.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
  }
  picks.sort((a, b) => a - b);
  const traces = loop(
    "bandit-trace",
    picks.map((i) => opaque[i]),
    fns,
  );
  if (!Array.isArray(traces) || traces.length !== picks.length)
    throw new Error(
      `the sandbox returned ${Array.isArray(traces) ? traces.length : "no"} traces instead of ${picks.length}`,
    );
  verifySteps(
    many,
    picks.map((i, j) => ({ index: i, spec: opaque[i], run: runs[i], trace: traces[j] })),
    label,
  );
  return runs;
}

/** Steps recomputed per round of batched calls, over all the picked runs at once (bounds the memory used here). */
const WINDOW = 512;

/** A picked run: its index among the experiment's runs, its (opaque) spec, its reported record and the child's trace of it. */
interface Picked {
  index: number;
  spec: RunSpec;
  run: Run;
  trace: unknown;
}

/** A picked run ready to be recomputed: its trace checked for shape and its rewards drawn here. */
interface Checkable extends Picked {
  o: RunOptions;
  k: number;
  trace: RunTrace;
  rewards: Float64Array;
}

/** θ_t of a record: its scores at step t. */
function thetaAt(run: Run, t: number): Float64Array {
  return Float64Array.from(run.scores, (row) => row[t]);
}

/** The refusal of a picked run whose record or trace its functions do not reproduce (`what`: where and how). */
function differs(label: string, index: number, what: string): never {
  throw new Error(
    `run ${index} of "${label}" computed inside the sandbox differs from its steps recomputed call by call ` +
      `(${what}): the functions must give the same results however they are called`,
  );
}

/** The same numbers, 0 and −0 alike (as the runs are compared everywhere else). */
const same = (x: number, y: number) => Object.is(x, y) || x === y;

/** Check a trace's shape and the run's start (θ_0, B_0 = 0, the stream's first state, the counts), and draw its rewards. */
function checkable(p: Picked, label: string): Checkable {
  const o = p.spec.o;
  const k = o.theta0?.length ?? numActions(o.bandit);
  const T = o.steps;
  const where = `run ${p.index} of "${label}"`;
  const tr = p.trace as Partial<RunTrace> | null;
  if (
    !tr ||
    !(tr.actions instanceof Float64Array) ||
    tr.actions.length !== T ||
    !(tr.baselines instanceof Float64Array) ||
    tr.baselines.length !== T + 1 ||
    !Array.isArray(tr.actionStates) ||
    tr.actionStates.length !== T + 1
  )
    throw new Error(
      `the sandbox's trace of ${where} is malformed (not ${T} actions, ${T + 1} baselines and stream states)`,
    );
  const trace = tr as RunTrace;
  const wrong = (what: string): never => differs(label, p.index, what);
  const theta0 = o.theta0 ?? new Float64Array(k);
  const first = thetaAt(p.run, 0);
  for (let a = 0; a < k; a++)
    if (!same(first[a], theta0[a])) wrong(`θ[${a}] at step 0 is ${first[a]}, not ${theta0[a]}`);
  if (!Object.is(trace.baselines[0], 0)) wrong(`B at step 0 is ${trace.baselines[0]}, not 0`);
  if (!sameData(trace.actionStates[0], substream(p.spec.seed, "actions").state!()))
    wrong("the action stream at step 0 is not the run's own");
  const rewRng = substream(p.spec.seed, "rewards");
  const rewards = new Float64Array(T);
  const counts = new Float64Array(k);
  for (let t = 0; t < T; t++) {
    const a = trace.actions[t];
    if (!(Number.isInteger(a) && a >= 0 && a < k)) wrong(`the action at step ${t} is ${a}`);
    rewards[t] = drawReward(o.bandit, a, rewRng);
    counts[a]++;
  }
  for (let a = 0; a < k; a++)
    if (!same(counts[a], p.run.counts[a])) wrong(`action ${a} was taken ${counts[a]} times, not ${p.run.counts[a]}`);
  return { ...p, o, k, trace, rewards };
}

/**
 * Recompute every step of the picked runs with the functions (through `many`, in batches) and
 * compare with the records and traces: π_{θ_t}(watch) with prob[t]; sampleAction(θ_t, stream at
 * state t) with A_t and state t + 1; the update with θ_{t+1}; the running average with B_{t+1}.
 */
function verifySteps(many: CallMany, picked: Picked[], label: string): void {
  const cs = picked.map((p) => checkable(p, label));
  const wrong = (c: Checkable, t: number, what: string): never => differs(label, c.index, `step ${t}: ${what}`);
  const steps = Math.max(0, ...cs.map((c) => c.o.steps));
  for (let t0 = 0; t0 <= steps; t0 += WINDOW) {
    // the window's steps of every run: (run, t, θ_t), and those with a step after them
    const at: { c: Checkable; t: number; theta: Float64Array }[] = [];
    for (const c of cs)
      for (let t = t0; t < Math.min(t0 + WINDOW, c.o.steps + 1); t++) at.push({ c, t, theta: thetaAt(c.run, t) });
    const moving = at.filter((x) => x.t < x.c.o.steps);
    const probs = many(
      "gibbsPolicy",
      at.map((x) => [x.theta]),
    );
    at.forEach((x, i) => {
      const p = (probs[i] as ArrayLike<number> | null)?.[x.c.o.watch] as number;
      if (!same(p, x.c.run.prob[x.t])) wrong(x.c, x.t, `π(watched action) is ${p}, the run has ${x.c.run.prob[x.t]}`);
    });
    // the trace's states are the child's data: one that restores no stream is refused here, by name
    const streams: Rng[] = moving.map((x) => {
      try {
        const r = fromState(x.c.trace.actionStates[x.t]);
        r.state!();
        return r;
      } catch {
        return wrong(x.c, x.t, "the trace's action stream state is not the state of a stream");
      }
    });
    const acts = many(
      "sampleAction",
      moving.map((x, i) => [x.theta, streams[i]]),
    );
    moving.forEach((x, i) => {
      if (!same(acts[i], x.c.trace.actions[x.t]))
        wrong(x.c, x.t, `sampleAction gives action ${acts[i]}, the run took ${x.c.trace.actions[x.t]}`);
      if (!sameData(streams[i].state!(), x.c.trace.actionStates[x.t + 1]))
        wrong(x.c, x.t, "sampleAction leaves the action stream in another state than the run's next step starts from");
    });
    for (const kind of ["none", "running-average"] as const) {
      const group = moving.filter((x) => x.c.o.baseline === kind);
      if (group.length === 0) continue;
      const next =
        kind === "none"
          ? many(
              "reinforceStep",
              group.map((x) => [x.theta, x.c.trace.actions[x.t], x.c.rewards[x.t], x.c.o.stepSize]),
            )
          : many(
              "reinforceBaselineStep",
              group.map((x) => [
                x.theta,
                x.c.trace.actions[x.t],
                x.c.rewards[x.t],
                x.c.trace.baselines[x.t],
                x.c.o.stepSize,
              ]),
            );
      group.forEach((x, i) => {
        const got = next[i] as ArrayLike<number> | null;
        for (let a = 0; a < x.c.k; a++) {
          const want = x.c.run.scores[a][x.t + 1];
          if (!same(got?.[a] as number, want))
            wrong(x.c, x.t, `the update gives θ[${a}] = ${got?.[a]}, the run has ${want}`);
        }
      });
    }
    const bs = many(
      "updateRunningAverage",
      moving.map((x) => [x.c.trace.baselines[x.t], x.t + 1, x.c.rewards[x.t]]),
    );
    moving.forEach((x, i) => {
      if (!same(bs[i], x.c.trace.baselines[x.t + 1]))
        wrong(
          x.c,
          x.t,
          `the running average gives B = ${bs[i]}, the run continued with ${x.c.trace.baselines[x.t + 1]}`,
        );
    });
  }
}
