/**
 * The call gate: which calls of the submission may reach the child, and how a failed call reaches
 * the spec. A call is refused before it leaves this process when the module did not load, when the
 * function is not exported, when the submission's total time is used up, or when the function has
 * already failed in a way that would cost a full time limit again (timeout, out of memory, crash);
 * a failed call throws the error the grader reads (`pgbook-sandbox[<verdict>]: …`).
 *
 * State of this part only: what the module exports (fixed once it has loaded) and the strikes.
 */
import { truncate, unmark, type CallReply, type Failure } from "./protocol.ts";

/** Failures after which a function is not called again in this worker (each would cost a full timeout). */
const STICKY = new Set(["timeout", "oom", "crash", "import", "deadline"]);
const STRIKES = 2;

export class SandboxError extends Error {
  override name = "SandboxError";
  constructor(
    readonly verdict: string,
    message: string,
  ) {
    super(message);
  }
}

const errorClasses: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** The message of a failed call: the marker the grader reads, the function, and what happened. */
export function failureMessage(fn: string, raw: Failure, output?: string): string {
  const f = {
    ...raw,
    message: unmark(String(raw.message)),
    name: raw.name === undefined ? undefined : unmark(String(raw.name)),
  };
  output = output === undefined ? undefined : unmark(output);
  const head =
    f.verdict === "throw"
      ? `${fn} threw ${f.name ?? "Error"}: ${f.message}`
      : f.verdict === "access"
        ? `${fn} tried to reach something outside its sandbox and was denied: ${f.message}`
        : `${fn} ${f.message}`;
  const out = output ? `\n  (it printed: ${JSON.stringify(truncate(output, 300))})` : "";
  return `pgbook-sandbox[${f.verdict}]: ${truncate(head)}${out}`;
}

/** The module as the sandbox found it: its exports, or why it could not be loaded. */
export interface Loaded {
  /** Why nothing can be called (the bundle could not be built, or the module failed to load). */
  setupFailure?: Failure;
  /** Exported names and their `typeof`. */
  exportsFound: Map<string, string>;
  /** The names the module should export (from the grader's type check), offered when it failed to load. */
  declared: string[];
}

export class CallGate {
  private readonly strikes = new Map<string, { n: number; last: string }>();

  constructor(
    private readonly loaded: Loaded,
    /** Epoch ms after which every call fails at once. */
    private readonly deadline: number,
  ) {}

  /** The names the proxy offers: the exports, or the declared names when the module failed to load. */
  names(): string[] {
    return this.loaded.setupFailure ? this.loaded.declared : [...this.loaded.exportsFound.keys()];
  }

  /** Whether the proxy offers `name`. */
  offers(name: string): boolean {
    return this.loaded.setupFailure ? this.loaded.declared.includes(name) : this.loaded.exportsFound.has(name);
  }

  /** Throw what a call of `fn` would meet before reaching the child (no module, no export, deadline, strikes). */
  check(fn: string): void {
    const { setupFailure } = this.loaded;
    // a function the submission does not declare is not attempted, whether or not its module loads (the batched
    // entry points reach here without the proxy's lookup, which would have said so)
    if (!this.offers(fn))
      throw Object.assign(new Error(`not attempted: the submission does not export "${fn}"`), { name: "NotAttempted" });
    if (setupFailure) {
      const f =
        setupFailure.verdict === "import"
          ? {
              ...setupFailure,
              message: `(the module failed to load) ${setupFailure.name ?? "Error"}: ${setupFailure.message}`,
            }
          : setupFailure;
      throw new SandboxError("import", failureMessage(fn, f));
    }
    if (Date.now() > this.deadline)
      throw new SandboxError(
        "deadline",
        failureMessage(fn, {
          verdict: "deadline",
          message: "not called: the submission's total time limit is used up",
        }),
      );
    const s = this.strikes.get(fn);
    if (s && s.n >= STRIKES)
      throw new SandboxError(
        s.last,
        `${s.last.replace(/^pgbook-sandbox\[(\w[\w-]*)\]: /, "pgbook-sandbox[$1]: (not called again) ")}`,
      );
  }

  /** How many strikes `fn` has so far. */
  strikesOf(fn: string): number {
    return this.strikes.get(fn)?.n ?? 0;
  }

  /**
   * Throw the failure of a call of `fn` (a strike after `strikesSoFar` when it is sticky): the
   * student's own error for a throw, a SandboxError for every other verdict.
   */
  fail(fn: string, reply: CallReply, strikesSoFar: number): never {
    const f = reply.failure!;
    const msg = failureMessage(fn, f, reply.output);
    if (STICKY.has(f.verdict)) this.strikes.set(fn, { n: strikesSoFar + 1, last: msg });
    if (f.verdict === "throw") {
      // the student's message as the spec sees it, with any forged grader marker defused
      f.message = unmark(String(f.message));
      // The student's own message, unprefixed (a spec may match it, e.g. toThrow(/^invalid/)); the
      // grader's marker and the function's name go into the stack, which the reports read.
      const Cls = errorClasses[f.name ?? ""] ?? Error;
      const e = new Cls(f.message);
      e.stack = `${f.name ?? "Error"}: ${f.message}\n${msg}`;
      throw e;
    }
    throw new SandboxError(f.verdict, msg);
  }
}
