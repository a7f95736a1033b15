/**
 * The grader's self-test: before a student's checks run, this one check goes through the same
 * sandbox (layers, pipes, uid) with a known-good module. If it fails, the fault is the grader's
 * (a bad flag, a missing tool, a permission), and the grading stops with exit 3 naming the cause.
 */
import { expect, it } from "vitest";
// the seam through the grader config's alias, as an instructor's hidden spec reaches it (typed in seam.d.ts)
import { impl } from "@pgbook/support/impl.ts";

it("the sandbox answers a call of a known-good module exactly", () => {
  // equal preferences: every probability is 1/4, exactly in floating point
  const p = impl.gibbsPolicy(new Float64Array([5, 5, 5, 5]));
  expect(Array.from(p)).toEqual([0.25, 0.25, 0.25, 0.25]);
});
