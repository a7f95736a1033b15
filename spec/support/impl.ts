/**
 * The seam: the one place the specs get the implementation under test from.
 *
 * By default it is the book's reference implementation (src/index.ts). When `PGBOOK_IMPL` names a
 * module (a path, relative to the working directory), that module is under test instead. In the
 * grader's sandboxed mode (`PGBOOK_SANDBOX` set) the module is reached through a provider that the
 * grader's vitest configuration registers (`registerImplProvider`, scripts/grader/): the seam knows
 * nothing of how the grader isolates it. A function the module does not export throws
 * `NotAttempted`, which the grader reports as "not attempted" rather than as a failure.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runReinforceMany, type CallMany, type Run } from "../../measure/bandits/run.ts";
import type { RunSpec } from "../../measure/bandits/experiments.ts";
import type { Contract } from "../../src/contract/index.ts";
import type { NetworkTraining } from "../../src/language-models/network/training.ts";
import { RUN_BANDITS, registeredProvider } from "./impl-provider.ts";

export class NotAttempted extends Error {
  override name = "NotAttempted";
}

/** Wrap a module so that each missing function throws NotAttempted when called. */
export function withNotAttempted(mod: object, origin: string): Contract {
  // a module is an object of functions; which of the contract's it exports is only known when it is called
  return new Proxy<object>(mod, {
    get(target, prop) {
      // "then" is looked up when the proxy is awaited (it is not a contract function).
      const v: unknown = Reflect.get(target, prop);
      if (typeof prop !== "string" || prop === "then") return v;
      if (v !== undefined) return v;
      return () => {
        throw new NotAttempted(`not attempted: ${origin} does not export "${prop}"`);
      };
    },
  }) as Contract;
}

/** A property of an implementation under a symbol key (the sandbox's batched entry points), if any. */
function symbolEntry(target: object, key: symbol): unknown {
  return Reflect.get(target, key);
}

async function load(): Promise<Contract> {
  const target = process.env.PGBOOK_IMPL;
  if (!target) return await import("../../src/index.ts");
  const abs = path.resolve(target);
  if (process.env.PGBOOK_SANDBOX) {
    const provider = registeredProvider();
    if (!provider)
      throw new Error(
        "PGBOOK_SANDBOX is set but no implementation provider is registered: run through the grader (scripts/grader/vitest.grade.config.ts)",
      );
    return withNotAttempted(provider.connect(abs), target);
  }
  return withNotAttempted((await import(pathToFileURL(abs).href)) as Record<string, unknown>, target);
}

/** The implementation under test. */
export const impl: Contract = await load();

/** Which implementation is under test, for messages and reports. */
export const implOrigin: string = process.env.PGBOOK_IMPL ?? "src/index.ts (reference)";

type Fn<K extends keyof Contract> = { args: Parameters<Contract[K]>; ret: ReturnType<Contract[K]> };

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
export function callManyOf<K extends keyof Contract>(
  target: Contract,
  fn: K,
  argsList: Fn<K>["args"][],
): Fn<K>["ret"][] {
  const many = symbolEntry(target, Symbol.for("pgbook.callMany"));
  if (typeof many === "function") return (many as (f: string, a: unknown[][]) => Fn<K>["ret"][])(fn, argsList);
  const f: (...a: never[]) => unknown = target[fn];
  return argsList.map((args) => Reflect.apply(f, undefined, args) as Fn<K>["ret"]);
}

/**
 * Bandit REINFORCE runs (measure/bandits/run.ts) with the implementation under test, stepped together
 * through `callMany`. A provided implementation (the grader's sandbox) may run them its own way
 * (`RUN_BANDITS`: inside the sandbox, then verified); `label` names the experiment for that.
 */
export function runBandits(specs: RunSpec[], label: string): Run[] {
  return runBanditsWith(impl, specs, label);
}

/** `runBandits` with a given implementation (a module, or a provided one). */
export function runBanditsWith(target: Contract, specs: RunSpec[], label: string): Run[] {
  const own = symbolEntry(target, RUN_BANDITS);
  if (typeof own === "function") return (own as (s: RunSpec[], l: string) => Run[])(specs, label);
  const many: CallMany = (fn, argsList) => callManyOf(target, fn, argsList);
  return runReinforceMany(specs, many);
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

/**
 * The book's own training code for the network (src/language-models/network/training.ts), for the slow tier's
 * experiments: training is the book's procedure, not a contract member, so the grader never runs it. Loaded
 * on first use only.
 */
export async function referenceTraining(): Promise<NetworkTraining> {
  return (await import("../../src/language-models/network/training.ts")).networkTraining;
}
