/**
 * What the sandbox records in the running test's facts (`meta.pgbook`) for the grader: which
 * contract functions the test called (the grader scores by it), and the first non-finite result it
 * met. A non-finite result still goes back to the spec (a check may expect a divergence); if the check
 * then fails, the grader reports it with the verdict `nonfinite`.
 *
 * (`meta.pgbook` is typed by the specs' claim facts, which augment vitest's TaskMeta.)
 *
 * State of this part only: whether a non-finite result came back since the last `resetNonFinite()`.
 */
import { TestRunner } from "vitest";
import { failureMessage } from "./gate.ts";

/** The running test's facts, made if the test has not declared any yet (none outside a test). */
function facts() {
  const test = TestRunner.getCurrentTest();
  if (!test) return undefined;
  return (test.meta.pgbook ??= { implements: [] } as unknown as NonNullable<typeof test.meta.pgbook>);
}

export class TestNotes {
  private nonFiniteSeen = false;

  /**
   * Record that the running test called `fn` — also in a check that has not declared itself yet (one that
   * calls claim(ctx, …) after its assertions): failing before that, it must still be graded as failed.
   */
  called(fn: string): void {
    const pg = facts();
    if (!pg) return;
    const names = (pg.implements ??= []);
    if (!names.includes(fn)) names.push(fn);
  }

  /** Record a non-finite result of `fn` (`where`: the call and the path in its result). */
  nonFinite(fn: string, where: string): void {
    this.nonFiniteSeen = true;
    const pg = facts();
    if (pg && !pg.nonfinite)
      pg.nonfinite = failureMessage(fn, { verdict: "nonfinite", message: `returned a non-finite number: ${where}` });
  }

  /** Whether a non-finite result came back since the last reset. */
  get sawNonFinite(): boolean {
    return this.nonFiniteSeen;
  }

  resetNonFinite(): void {
    this.nonFiniteSeen = false;
  }
}
