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
import type { Contract } from "../../src/contract/index.ts";

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
  const many = (impl as unknown as Record<symbol, unknown>)[Symbol.for("pgbook.callMany")];
  if (typeof many === "function") return (many as (f: string, a: unknown[][]) => Fn<K>["ret"][])(fn as string, argsList as unknown[][]);
  const f = impl[fn] as unknown as (...a: unknown[]) => Fn<K>["ret"];
  return argsList.map((args) => f(...(args as unknown[])));
}
