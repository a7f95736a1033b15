/**
 * The seam: the one place the specs get the implementation under test from.
 *
 * By default it is the book's reference implementation (src/index.ts). When `PGBOOK_IMPL` names a
 * module (a path, relative to the working directory), that module is under test instead; in the
 * grader's sandboxed mode (`PGBOOK_SANDBOX` set) every call is forwarded to an isolated process
 * holding only that module. A function the module does not export throws `NotAttempted`, which the
 * grader reports as "not attempted" rather than as a failure.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runReinforceMany, type CallMany, type Run } from "../../src/bandit/run.ts";
import type { RunSpec } from "../../src/bandit/experiments.ts";
import type { Contract } from "../../src/contract/index.ts";
import { derive, stream } from "../../src/random.ts";
import { masterSeed } from "./seed.ts";

export class NotAttempted extends Error {
  override name = "NotAttempted";
}

/** Wrap a module so that each missing function throws NotAttempted when called. */
export function withNotAttempted(mod: Record<string, unknown>, origin: string): Contract {
  return new Proxy(mod, {
    get(target, prop) {
      // "then" is looked up when the proxy is awaited (it is not a contract function).
      if (typeof prop !== "string" || prop === "then") return Reflect.get(target, prop);
      const v = Reflect.get(target, prop);
      if (v !== undefined) return v;
      return () => {
        throw new NotAttempted(`not attempted: ${origin} does not export "${prop}"`);
      };
    },
  }) as unknown as Contract;
}

async function load(): Promise<Contract> {
  const target = process.env.PGBOOK_IMPL;
  if (!target) return (await import("../../src/index.ts")) as unknown as Contract;
  const abs = path.resolve(target);
  if (process.env.PGBOOK_SANDBOX) {
    const { connectSandbox } = await import("./sandbox-client.ts");
    return withNotAttempted(connectSandbox(abs), target);
  }
  return withNotAttempted((await import(pathToFileURL(abs).href)) as Record<string, unknown>, target);
}

/** The implementation under test. */
export const impl: Contract = await load();

/** Which implementation is under test, for messages and reports. */
export const implOrigin: string = process.env.PGBOOK_IMPL ?? "src/index.ts (reference)";

type Fn<K extends keyof Contract> = Contract[K] extends (...args: infer P) => infer R ? { args: P; ret: R } : never;

/**
 * Call `impl[fn]` once per argument list, in order — the same results as a loop of calls (streams
 * passed in the arguments advance as they would). Under the grader's sandbox the whole list crosses
 * to the isolated process in a few round trips instead of one per call, so use it for the long loops
 * of Monte Carlo checks whose arguments do not depend on earlier results.
 */
export function callMany<K extends keyof Contract>(fn: K, argsList: Fn<K>["args"][]): Fn<K>["ret"][] {
  return callManyOf(impl, fn, argsList);
}

/** `callMany` on a given implementation (a module, or a sandbox proxy). */
export function callManyOf<K extends keyof Contract>(target: Contract, fn: K, argsList: Fn<K>["args"][]): Fn<K>["ret"][] {
  const many = (target as unknown as Record<symbol, unknown>)[Symbol.for("pgbook.callMany")];
  if (typeof many === "function") return (many as (f: string, a: unknown[][]) => Fn<K>["ret"][])(fn as string, argsList as unknown[][]);
  const f = target[fn] as unknown as (...a: unknown[]) => Fn<K>["ret"];
  return argsList.map((args) => f(...(args as unknown[])));
}

/** How many runs of a loop run inside the sandbox are replayed call by call to verify it. */
export const REPLAYED_RUNS = 8;

/** The first place two runs differ ("step 12: π(watch)"), or undefined when they are identical. */
export function firstDifference(got: Run, want: Run): string | undefined {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>, what: string): string | undefined => {
    if (x.length !== y.length) return `${what} has ${x.length} entries instead of ${y.length}`;
    for (let t = 0; t < x.length; t++) if (!Object.is(x[t], y[t]) && x[t] !== y[t]) return `${what}, entry ${t}: ${x[t]} instead of ${y[t]}`;
    return undefined;
  };
  const shape = (r: Run) => r && r.prob instanceof Float64Array && r.counts instanceof Float64Array && Array.isArray(r.scores) && r.scores.every((s) => s instanceof Float64Array);
  if (!shape(got)) return "the run is not a { prob, scores, counts } record of Float64Arrays";
  if (got.scores.length !== want.scores.length) return `${got.scores.length} score rows instead of ${want.scores.length}`;
  return same(got.prob, want.prob, "π(watched action) by step") ?? same(got.counts, want.counts, "action counts") ?? got.scores.map((s, a) => same(s, want.scores[a], `θ[${a}] by step`)).find(Boolean);
}

/**
 * Bandit REINFORCE runs (src/bandit/run.ts) with the implementation under test. In-process they are
 * stepped together through `callMany`. Under the grader's sandbox the book's loop runs inside the
 * sandbox in one round trip; those results are the sandbox's data, so before anything is judged on
 * them `REPLAYED_RUNS` of the runs (chosen from the master seed and `label`, a few of each kind) are
 * replayed here call by call, and every number must agree exactly — otherwise the check fails.
 */
export function runBandits(specs: RunSpec[], label: string): Run[] {
  return runBanditsWith(impl, specs, label);
}

/** `runBandits` with a given implementation (a module, or a sandbox proxy). */
export function runBanditsWith(target: Contract, specs: RunSpec[], label: string): Run[] {
  const loop = (target as unknown as Record<symbol, unknown>)[Symbol.for("pgbook.runLoop")];
  const many = ((fn: keyof Contract, argsList: unknown[][]) => callManyOf(target, fn, argsList as never)) as unknown as CallMany;
  if (typeof loop !== "function") return runReinforceMany(specs, many);
  const fns = ["gibbsPolicy", "sampleAction"];
  if (specs.some((s) => s.o.baseline === "none")) fns.push("reinforceStep");
  if (specs.some((s) => s.o.baseline !== "none")) fns.push("reinforceBaselineStep");
  fns.push("updateRunningAverage");
  const runs = (loop as (kind: string, specs: unknown[], fns: string[]) => unknown)("bandit-reinforce", specs, fns) as Run[];
  if (!Array.isArray(runs) || runs.length !== specs.length) throw new Error(`the sandbox returned ${Array.isArray(runs) ? runs.length : "no"} runs instead of ${specs.length}`);
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
    if (!ok) throw new Error(`run ${i} of "${label}" came back from the sandbox malformed (not ${sp.o.steps + 1} steps of π, θ and action counts)`);
  });
  // which runs to replay: a few of each kind, chosen by a stream of the master seed
  const rng = stream(derive(masterSeed(), "replay", label));
  const kinds = [...new Set(specs.map((s) => s.o.baseline))];
  const picks: number[] = [];
  for (const kind of kinds) {
    const pool = specs.map((s, i) => (s.o.baseline === kind ? i : -1)).filter((i) => i >= 0);
    for (let j = 0; j < Math.ceil(REPLAYED_RUNS / kinds.length) && pool.length; j++) picks.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
  }
  const replay = runReinforceMany(picks.map((i) => specs[i]), many);
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

/**
 * A contract function that a Monte Carlo loop calls many times on few distinct inputs (a small
 * outcome space), its results cached under a key the loop computes cheaply from the inputs that vary.
 * Contract functions are pure — the grader checks that they leave their inputs untouched and give
 * the same results for the same inputs — so the cache changes no result, only the number of calls.
 * The cached results are shared: read them, do not modify them.
 */
export function cachedBy<A extends unknown[], R>(f: (...args: A) => R, key: (...args: A) => string): (...args: A) => R {
  const seen = new Map<string, R>();
  return (...args: A) => {
    const k = key(...args);
    let v = seen.get(k);
    if (v === undefined && !seen.has(k)) seen.set(k, (v = f(...args)));
    return v as R;
  };
}
