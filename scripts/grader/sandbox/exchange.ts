/**
 * One request to the child and its reply: the request gets a number that every frame of its answer
 * must carry, the child is (re)started when it is not up, and while the reply is out the child's
 * callbacks run here (book-side functions, trusted) and its progress frames restart the call's clock.
 * A callback may call the sandbox again: requests nest, and the innermost is the one being answered.
 *
 * State of this part only: the request numbers.
 */
import { serialize } from "node:v8";
import {
  CALLBACK_COUNT,
  truncate,
  type CallbackReply,
  type CallbackRequest,
  type CallReply,
  type CallRequest,
  type Callback,
  type Progress,
  type RunsRequest,
} from "./protocol.ts";
import type { ChildLink } from "./transport.ts";

/** Allowance per callback round trip (ms) that does not count against the call's time limit. */
const CALLBACK_ALLOWANCE_MS = 0.05;

/** Requests over a link, one at a time (nested while a callback runs). */
export class Exchange {
  /** The request being answered (the innermost, with callbacks that call the sandbox again). */
  private expectedRid: number | undefined;
  private nextRid = 0;

  constructor(
    /** None when the sandbox folder could not be prepared (the gate then refuses every call). */
    private readonly link: ChildLink | undefined,
    /** Epoch ms after which progress no longer restarts a call's clock. */
    private readonly deadline: number,
  ) {}

  /** One round trip: write the request frame, block for the reply frame (answering callbacks). */
  request(req: CallRequest | RunsRequest, callbacks: Callback[] = [], onProgress?: (fn: string) => void): CallReply {
    const link = this.link;
    if (!link)
      throw new Error(
        "pgbook sandbox: a request was made, but the sandbox has no child (its folder could not be prepared)",
      );
    if (!link.alive || link.aborted()) {
      if (link.aborted()) link.abortFailure();
      const init = link.start();
      if (!link.alive)
        return { ok: false, failure: init.failure ?? { verdict: "crash", message: "the sandbox did not start" } };
    }
    const outer = this.expectedRid;
    req.rid = this.expectedRid = ++this.nextRid;
    try {
      if (!link.writeFrame(req)) return { ok: false, failure: link.abortFailure() };
      return this.awaitReply(link, callbacks, onProgress);
    } finally {
      this.expectedRid = outer;
    }
  }

  /** Waiting for the reply to a call, answering the child's callbacks (`callbacks`) meanwhile. */
  private awaitReply(link: ChildLink, callbacks: Callback[], onProgress?: (fn: string) => void): CallReply {
    let since = link.clock();
    let count = 0;
    for (;;) {
      const frame = link.readFrame(false, this.expectedRid, since);
      if ((frame as Progress).t === "progress") {
        // a long request (a loop run in the child) is still moving: the time limit starts again,
        // unless the submission's total time is used up (then the watchdog stops it at the next limit)
        if (Date.now() <= this.deadline) since = link.clock();
        onProgress?.((frame as Progress).fn);
        continue;
      }
      if ((frame as CallbackRequest).t !== "callback") return frame as CallReply;
      const cb = frame as CallbackRequest;
      if (++count > CALLBACK_COUNT) {
        // Too many: the child gets an error; it either stops or keeps failing until its time limit.
        if (
          !link.writeFrame({
            t: "result",
            ok: false,
            name: "Error",
            message: `more than ${CALLBACK_COUNT} callbacks in one call`,
          } satisfies CallbackReply)
        )
          return { ok: false, failure: link.abortFailure() };
        continue;
      }
      const t0 = Date.now();
      const answer = runCallback(callbacks[cb.id], cb.args);
      // The judging side's time does not count against the child's limit.
      since += Date.now() - t0 + CALLBACK_ALLOWANCE_MS;
      if (!link.writeFrame(answer)) return { ok: false, failure: link.abortFailure() };
    }
  }
}

/**
 * Run a callback the child asked for: the real function (book-side, trusted) on the copied
 * arguments; its result, or the error it threw, goes back as plain data.
 */
function runCallback(f: Callback | undefined, args: unknown[]): CallbackReply {
  try {
    if (typeof f !== "function") throw new Error("no such callback");
    const value: unknown = f(...(Array.isArray(args) ? args : []));
    serialize(value); // must be plain data
    return { t: "result", ok: true, value };
  } catch (e) {
    const err = e as { name?: unknown; message?: unknown } | null;
    // whatever was thrown, as text (a name or message that is not a string is stringified as it is)
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return { t: "result", ok: false, name: String(err?.name ?? "Error"), message: truncate(String(err?.message ?? e)) };
  }
}
