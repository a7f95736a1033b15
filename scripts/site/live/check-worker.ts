/// <reference lib="dom" />
/**
 * The Web Worker that runs the book's portable claims (spec/claims/) on a reader's function, in the page: the
 * same claim code vitest and the grader run, under the same seeds, with the same failure messages. The reader's
 * TypeScript has its types stripped by sucrase (line numbers kept) and runs here, away from the page; the page
 * stops this worker when it runs too long (check-protocol.ts). Nothing is sent anywhere: the worker's network
 * functions are removed before any reader's code runs.
 */
import { transform } from "sucrase";
import * as reference from "../../../src/index.ts";
import type { Contract } from "../../../src/contract/index.ts";
import { claimSeed, runClaimOn } from "../../../spec/claims/claim.ts";
import { PANEL_CLAIMS } from "../../../spec/claims/index.ts";
import { READER_SCRIPT, type CheckReply, type CheckRequest, type CheckResult } from "./check-protocol.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<CheckRequest>) => void) | null;
  postMessage(m: CheckReply): void;
} & Record<string, unknown>;

// no way out of the page for the reader's code
for (const name of ["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "importScripts", "WebTransport"])
  try {
    Object.defineProperty(scope, name, { value: undefined, configurable: false, writable: false });
  } catch {
    // a property the platform will not let go is left (it reaches nothing the page does not already reach)
  }

/**
 * A function made from source text. Running code the reader wrote is this worker's purpose; it runs in the worker,
 * away from the page, and the page stops the worker when it takes too long.
 */
function compile(params: string[], body: string): (...args: unknown[]) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the reader's code, run on purpose (see above)
  return new Function(...params, body) as (...args: unknown[]) => unknown;
}

/** How many lines `new Function` puts before the body ("function anonymous(…\n) {\n"), measured here. */
const BODY_OFFSET = (() => {
  const stack = String(compile([], `return new Error().stack;\n//# sourceURL=${READER_SCRIPT}`)());
  const m = new RegExp(`${READER_SCRIPT.replace(".", "\\.")}:(\\d+):`).exec(stack);
  return m ? Number(m[1]) - 1 : 2;
})();

/** The line of the reader's code an error was thrown at, if it came from there. */
function readerLine(e: unknown): number | undefined {
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  const m = new RegExp(`${READER_SCRIPT.replace(".", "\\.")}:(\\d+):\\d+`).exec(stack);
  return m ? Number(m[1]) - BODY_OFFSET : undefined;
}

class NotAttempted extends Error {
  override name = "NotAttempted";
}

/** A module as the implementation: a function it does not export throws NotAttempted (as the seam does). */
function moduleImpl(exports: Record<string, unknown>): Contract {
  return new Proxy(exports, {
    get: (t, prop): unknown =>
      typeof prop !== "string" || prop in t
        ? (Reflect.get(t, prop) as unknown)
        : () => {
            throw new NotAttempted(`not attempted: the module does not export "${prop}"`);
          },
  }) as unknown as Contract;
}

/** The reader's function (and where it last threw), or a message saying why there is none. */
function readerFunction(
  fn: string,
  code: string,
): { f: (...a: unknown[]) => unknown; thrownAt: { line?: number } } | string {
  let js: string;
  try {
    js = transform(code, { transforms: ["typescript", "imports"], filePath: READER_SCRIPT }).code;
  } catch (e) {
    return `your code does not compile: ${(e as Error).message}`;
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(fn)) return `no such function: ${fn}`;
  let found: unknown;
  try {
    const body = `${js}\n;return typeof ${fn} !== "undefined" ? ${fn} : exports[${JSON.stringify(fn)}];\n//# sourceURL=${READER_SCRIPT}`;
    found = compile(["exports", "book"], body)({}, reference);
  } catch (e) {
    const line = readerLine(e);
    return `your code threw while it was loaded${line ? ` (line ${line})` : ""}: ${(e as Error).name}: ${(e as Error).message}`;
  }
  if (typeof found !== "function") return `your code defines no function named ${fn}`;
  const thrownAt: { line?: number } = {};
  const f = found as (...a: unknown[]) => unknown;
  return {
    thrownAt,
    f: (...args: unknown[]) => {
      try {
        return f(...args);
      } catch (e) {
        thrownAt.line ??= readerLine(e);
        throw e;
      }
    },
  };
}

function run(req: CheckRequest): void {
  let impl: Contract;
  let thrownAt: { line?: number } = {};
  if (req.mode === "function") {
    const got = readerFunction(req.fn, req.code);
    if (typeof got === "string") return scope.postMessage({ id: req.id, kind: "error", message: got });
    thrownAt = got.thrownAt;
    const { f } = got;
    // the reader's function in place of the book's; everything else is the book's reference
    impl = new Proxy(reference, {
      get: (t, prop): unknown => (prop === req.fn ? f : (Reflect.get(t, prop) as unknown)),
    });
  } else {
    const exports: Record<string, unknown> = {};
    const module = { exports };
    try {
      compile(["exports", "module"], req.code)(exports, module);
    } catch (e) {
      return scope.postMessage({
        id: req.id,
        kind: "error",
        message: `the module threw while it was loaded: ${String(e)}`,
      });
    }
    impl = moduleImpl(module.exports);
  }
  for (const id of req.claims) {
    const c = PANEL_CLAIMS.get(id);
    if (!c) return scope.postMessage({ id: req.id, kind: "error", message: `no such check: ${id}` });
    const seed = claimSeed(req.master, c);
    const t0 = performance.now();
    thrownAt.line = undefined;
    const o = runClaimOn(c, impl, seed, `enter the master seed ${req.master} above and run the checks again`);
    const result: CheckResult = {
      claim: id,
      status: o.status,
      message: o.message,
      facts: o.facts,
      ms: performance.now() - t0,
    };
    if (o.status === "failed" && thrownAt.line !== undefined) result.line = thrownAt.line;
    scope.postMessage({ id: req.id, kind: "result", result });
  }
  scope.postMessage({ id: req.id, kind: "done" });
}

scope.onmessage = (e) => run(e.data);
