/**
 * The grading-mode seam: synchronous proxies whose calls run in a separate process holding only the
 * student module (PGBOOK_IMPL=<module> PGBOOK_SANDBOX=1).
 *
 * The specs call `impl.fn(...)` synchronously, so a call posts its arguments to a helper thread and
 * blocks on Atomics.wait until the helper writes the answer (or a verdict: timeout, crash, out of
 * memory). Streams (`Rng`) cross as their state; after the call the caller's stream is restored to the
 * child's final state, so it advances exactly as if the draws had been made here. A failed call
 * throws an error whose message starts with `pgbook-sandbox[<verdict>]` and names the function; the
 * grader reads these markers from the failure messages.
 *
 * Settings (environment): PGBOOK_SANDBOX_DIR (a prepared folder, see build.ts),
 * PGBOOK_CALL_TIMEOUT_MS (default 3000), PGBOOK_SANDBOX_MEMORY_MB (default 512),
 * PGBOOK_SANDBOX_DEADLINE (epoch ms after which every call fails at once: the per-submission limit).
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { buildSandboxSync, sandboxFiles, type SandboxFiles } from "./build.ts";
import type { Failure, InitReply } from "./protocol.ts";
import { verificationKey, verifiedBanditRuns, type RunLoop } from "./verified-runs.ts";
import { acquireUid, probeIsolation, shareWith, type Isolation } from "./isolation.ts";
import { Batcher } from "./batcher.ts";
import { Exchange } from "./exchange.ts";
import { CallGate, type Loaded } from "./gate.ts";
import { runLoop, type LoopParts } from "./loop.ts";
import { MemoCalls } from "./memo.ts";
import { TestNotes } from "./notes.ts";
import { ChildLink } from "./transport.ts";
import { RUN_BANDITS } from "../../../spec/support/impl-provider.ts";
import { masterSeed } from "../../../measure/seed.ts";
import type { CallMany } from "../../../measure/bandits/run.ts";
import type { RunSpec } from "../../../measure/bandits/experiments.ts";

export { isContinuation } from "./batcher.ts";
export { failureMessage, SandboxError } from "./gate.ts";
export { memoKey } from "./memo.ts";

/** The key under which the proxy offers a batched call: `proxy[CALL_MANY](fn, argsList)`. */
export const CALL_MANY = Symbol.for("pgbook.callMany");
/** The key under which the proxy runs one of the book's loops inside the sandbox: `proxy[RUN_LOOP](kind, specs, fns)`. */
export const RUN_LOOP = Symbol.for("pgbook.runLoop");

function env(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

let ownIsolation: Isolation | undefined;

/**
 * The layers the child starts in: the grader's probe (PGBOOK_SANDBOX_ISOLATION, JSON), or, for a
 * sandbox opened outside the grader (tests), a probe of this process with a uid of its own.
 */
export function sandboxIsolation(): Isolation {
  const given = process.env.PGBOOK_SANDBOX_ISOLATION;
  if (given) return JSON.parse(given) as Isolation;
  if (!ownIsolation) {
    const slot = acquireUid();
    if (slot) process.on("exit", slot.release);
    ownIsolation = probeIsolation(process.execPath, slot?.uid);
  }
  return ownIsolation;
}

/** The bundle folder (the grader's, or one built here) or why there is none. */
function sandboxFolder(modulePath: string): { files?: SandboxFiles; setupFailure?: Failure } {
  try {
    const dir = process.env.PGBOOK_SANDBOX_DIR;
    const files = dir ? sandboxFiles(dir) : buildSandboxSync(modulePath);
    if (!dir) {
      const own = files.dir;
      process.on("exit", () => rmSync(own, { recursive: true, force: true }));
    }
    return { files };
  } catch (e) {
    return { setupFailure: { verdict: "import", message: `could not be loaded: ${(e as Error).message}` } };
  }
}

/** The child's pipes: a folder of this worker's inside the bundle folder, where only root can create files. */
function pipeFolder(files: SandboxFiles, isolation: Isolation): string {
  shareWith(files.dir, [files.child, files.submission], isolation.gid);
  const ioDir = mkdtempSync(path.join(files.dir, "io-"));
  shareWith(ioDir, [], isolation.gid);
  process.on("exit", () => rmSync(ioDir, { recursive: true, force: true }));
  return ioDir;
}

/** What loading the module in the first child found (a module that threw while loading is an `import` failure). */
function loadedModule(init: InitReply | undefined, setupFailure: Failure | undefined): Loaded {
  let failure = setupFailure;
  let exportsFound = new Map<string, string>();
  if (init) {
    if (init.ok) exportsFound = new Map(init.exports.map((e) => [e.name, e.type]));
    else failure = init.failure ?? { verdict: "import", message: "the module did not load" };
    if (failure && failure.verdict === "throw") failure = { ...failure, verdict: "import" };
  }
  // When the module cannot load, the names it should export (from the grader's type check) fail.
  const declared = (process.env.PGBOOK_SANDBOX_EXPORTS ?? "").split(",").filter(Boolean);
  return { setupFailure: failure, exportsFound, declared };
}

/**
 * The judging side of the sandbox, assembled from its parts: the link to the child (transport.ts),
 * requests and callbacks (exchange.ts), the call gate (gate.ts), batched calls (batcher.ts), cached
 * single calls (memo.ts), loops run in the child (loop.ts) and the test's notes (notes.ts).
 */
export function connectSandbox(modulePath: string): Record<string | symbol, unknown> {
  const callTimeoutMs = env("PGBOOK_CALL_TIMEOUT_MS", 3000);
  const memoryMb = env("PGBOOK_SANDBOX_MEMORY_MB", 512);
  const deadline = env("PGBOOK_SANDBOX_DEADLINE", Infinity);

  const { files, setupFailure } = sandboxFolder(modulePath);
  const isolation = sandboxIsolation();
  let link: ChildLink | undefined;
  if (files && !setupFailure)
    link = new ChildLink({ files, ioDir: pipeFolder(files, isolation), isolation, deadline, callTimeoutMs, memoryMb });
  const exchange = new Exchange(link, deadline);
  const gate = new CallGate(loadedModule(link?.start(), setupFailure), deadline);

  const notes = new TestNotes();
  const batcher = new Batcher(gate, exchange, notes);
  const memo = new MemoCalls(batcher, notes);
  const loopParts: LoopParts = { deadline, gate, exchange, notes };
  const callMany = (fn: string, argsList: unknown[][]) => batcher.callMany(fn, argsList);
  const loop: RunLoop = (kind, specs, fns) => runLoop(loopParts, kind, specs, fns);
  const key = verificationKey(masterSeed());
  const runBandits = (specs: RunSpec[], label: string) =>
    verifiedBanditRuns(loop, callMany as unknown as CallMany, specs, label, key);
  return contractProxy(gate, memo, { [CALL_MANY]: callMany, [RUN_LOOP]: loop, [RUN_BANDITS]: runBandits });
}

/**
 * The object the seam sees: the offered names as functions (single calls through `memo`), listed
 * like a module namespace, plus the symbol-keyed entries of `target`.
 */
function contractProxy(
  gate: CallGate,
  memo: MemoCalls,
  target: Record<string | symbol, unknown>,
): Record<string | symbol, unknown> {
  const cache = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(target, {
    // Spreading or listing the proxy ({ ...impl }) sees the exported names, like a module namespace.
    ownKeys: (t) => [...gate.names(), ...Reflect.ownKeys(t)],
    getOwnPropertyDescriptor(t, prop) {
      if (typeof prop === "string" && gate.names().includes(prop))
        return {
          configurable: true,
          enumerable: true,
          writable: false,
          value: (this as ProxyHandler<object>).get!(t, prop, t) as unknown,
        };
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
    has: (t, prop) => (typeof prop === "string" && gate.names().includes(prop)) || Reflect.has(t, prop),
    get(t, prop) {
      if (typeof prop !== "string") return Reflect.get(t, prop);
      if (!gate.offers(prop)) return undefined;
      let f = cache.get(prop);
      if (!f) {
        f = (...args: unknown[]) => memo.call(prop, args);
        cache.set(prop, f);
      }
      return f;
    },
  });
}
