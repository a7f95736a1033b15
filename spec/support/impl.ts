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
      if (typeof prop !== "string") return Reflect.get(target, prop);
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
