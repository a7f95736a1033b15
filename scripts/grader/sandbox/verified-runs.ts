/**
 * The bandit experiments of Figures 1–2 run inside the sandbox (one round trip for all runs) and
 * verified before anything is judged on them. What crosses into the child is chosen so that it
 * cannot tell which runs will be checked: each run's seed is replaced by an opaque one (a keyed hash
 * of the seed under a key derived from the master seed, which the child never sees), and the runs
 * to replay call by call are drawn from the same key. A submission that fakes d of n runs goes
 * unseen with probability C(n−d, r)/C(n, r) ≤ (1 − d/n)^r for r replayed runs.
 *
 * The design: a figure claim is a rate over runs ("≥ 90 % of 200 runs reach π > 0.9"), and its check
 * is built to reject a submission whose true rate falls short by the check's detectable deviation,
 * at least 10 percentage points for every figure check. Such a submission must fake at least
 * FAKED_SHARE·n runs to pass, so r = ⌈ln(MISS_RATE)/ln(1 − FAKED_SHARE)⌉ = 66 replays catch it with
 * probability ≥ 1 − MISS_RATE (`replayDesign` states the exact figure); the runs of each kind (with
 * and without a baseline) are a pool of their own, since each kind's rate is a claim of its own.
 */
import { createHmac } from "node:crypto";
import { runReinforceMany, type CallMany, type Run } from "../../../measure/bandits/run.ts";
import type { RunSpec } from "../../../measure/bandits/experiments.ts";
import { stream } from "../../../src/contract/random.ts";

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

/** The first place two runs differ ("π(watched action) by step, entry 12: …"), or undefined when they are identical. */
export function firstDifference(got: Run, want: Run): string | undefined {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>, what: string): string | undefined => {
    if (x.length !== y.length) return `${what} has ${x.length} entries instead of ${y.length}`;
    for (let t = 0; t < x.length; t++)
      if (!Object.is(x[t], y[t]) && x[t] !== y[t]) return `${what}, entry ${t}: ${x[t]} instead of ${y[t]}`;
    return undefined;
  };
  const shape = (r: Run) =>
    r &&
    r.prob instanceof Float64Array &&
    r.counts instanceof Float64Array &&
    Array.isArray(r.scores) &&
    r.scores.every((s) => s instanceof Float64Array);
  if (!shape(got)) return "the run is not a { prob, scores, counts } record of Float64Arrays";
  if (got.scores.length !== want.scores.length)
    return `${got.scores.length} score rows instead of ${want.scores.length}`;
  return (
    same(got.prob, want.prob, "π(watched action) by step") ??
    same(got.counts, want.counts, "action counts") ??
    got.scores.map((s, a) => same(s, want.scores[a], `θ[${a}] by step`)).find(Boolean)
  );
}

export type RunLoop = (kind: "bandit-reinforce", specs: unknown[], fns: string[]) => unknown[];

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
  const replay = runReinforceMany(
    picks.map((i) => opaque[i]),
    many,
  );
  picks.forEach((i, j) => {
    const d = firstDifference(runs[i], replay[j]);
    if (d)
      throw new Error(
        `run ${i} of "${label}" computed inside the sandbox differs from the same run replayed call by call (${d}): ` +
          "the functions must give the same results however they are called",
      );
  });
  return runs;
}
