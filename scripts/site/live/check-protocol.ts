/**
 * The messages between a page's "check your code" panel and its Web Worker (check-worker.ts). A request runs
 * some of the book's portable claims (spec/claims/) on code the page hands over; the worker answers with one
 * result per claim, in order, then `done`. The page stops a worker that has not answered within CHECK_TIME_LIMIT_MS.
 */

/** How long a run of a panel's checks may take before the page stops its worker (stated on the panel). */
export const CHECK_TIME_LIMIT_MS = 15_000;

/** The script name a reader's code gets in stack traces, so that a throw can name its line. */
export const READER_SCRIPT = "your-code.ts";

export type CheckRequest = {
  id: number;
  /** The ids of the claims to run (spec/claims/index.ts `claimId`). */
  claims: string[];
  /** The master seed every claim's seed is derived from. */
  master: string;
} & (
  | {
      /** The reader's TypeScript: it must define (or export) a function named `fn`; the rest of the contract is the book's. */
      mode: "function";
      fn: string;
      code: string;
    }
  | {
      /** A whole implementation as a CommonJS module (the same-verdict test's examples): only its own exports count. */
      mode: "module";
      code: string;
    }
);

export interface CheckResult {
  claim: string;
  status: "passed" | "failed";
  /** The failure as the grader prints it ("" when the claim held). */
  message: string;
  /** A line of the reader's code that threw, when one did. */
  line?: number;
  facts: Record<string, number>;
  ms: number;
}

export type CheckReply =
  | { id: number; kind: "result"; result: CheckResult }
  | { id: number; kind: "done" }
  /** The code could not be run at all (it does not compile, or defines no such function). */
  | { id: number; kind: "error"; message: string };
