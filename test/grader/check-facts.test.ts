/**
 * What the grader knows of a check that fails before it declares itself: the sandbox's notes record the
 * functions it called in any case (so the check is graded as failed, not dropped), claim() keeps them when
 * it comes later, and a failed check that called none of the submission's functions is named in a notice
 * (a hidden one only counted).
 */
import { describe, expect, it } from "vitest";
import { TestNotes } from "../../scripts/grader/sandbox/notes.ts";
import { toChecks, unexercisedFailures } from "../../scripts/grader/checks.ts";
import { claim } from "../../spec/support/claim.ts";
import type { TestResult } from "../../scripts/lib/run-specs.ts";

describe("a check's facts before and after it declares itself", () => {
  it("the notes record a call in a test that has not called claim() yet", (ctx) => {
    expect(ctx.task.meta.pgbook).toBeUndefined();
    new TestNotes().called("gibbsScore");
    expect(ctx.task.meta.pgbook?.implements).toEqual(["gibbsScore"]);
  });

  it("claim() afterwards keeps the recorded calls and fills in kind, seeds and replay", (ctx) => {
    const notes = new TestNotes();
    notes.called("gibbsScore");
    notes.called("gibbsPolicy");
    notes.called("gibbsScore");
    const m = claim(ctx, "monte-carlo", { implements: ["sampleAction"] });
    expect(m.implements).toEqual(["gibbsScore", "gibbsPolicy", "sampleAction"]);
    expect(m.kind).toBe("monte-carlo");
    expect(m.seed).toMatch(/\S/);
    expect(m.replay).toMatch(/vitest/);
    expect(m.masterSeed).toMatch(/\S/);
  });

  it("a non-finite result is noted in a test that has not declared itself", (ctx) => {
    new TestNotes().nonFinite("gibbsPolicy", "gibbsPolicy([1000, 0])[0]");
    expect(ctx.task.meta.pgbook?.nonfinite).toMatch(/^pgbook-sandbox\[nonfinite\]: gibbsPolicy returned a non-finite/);
  });
});

describe("failed checks that call none of the submission's functions", () => {
  const test = (file: string, name: string, status: "passed" | "failed", meta?: TestResult["meta"], msg = "boom") =>
    ({
      file,
      fullName: name,
      title: name,
      status,
      duration: 1,
      failureMessages: status === "failed" ? [msg] : [],
      tags: [],
      tier: "fast",
      meta,
    }) as unknown as TestResult;
  const hiddenDir = "/instructor/hidden/";
  const o = {
    chapters: new Set([1]),
    isHidden: (f: string) => f.startsWith(hiddenDir),
    fns: new Map([[1, ["gibbsScore"]]]),
  };
  const tests = [
    test("spec/1-bandits/a.spec.ts", "calls the submission and fails", "failed", {
      implements: ["gibbsScore"],
    } as TestResult["meta"]),
    test("spec/1-bandits/a.spec.ts", "a tool of the book fails", "failed"),
    test("spec/1-bandits/a.spec.ts", "a tool of the book holds", "passed"),
    test("spec/2-average-return/b.spec.ts", "another chapter's tool fails", "failed"),
    test(`${hiddenDir}x.spec.ts`, "secret name of a hidden check", "failed", undefined, "secret message"),
    test("spec/1-bandits/a.spec.ts", "not attempted", "failed", undefined, 'not attempted: does not export "x"'),
  ];

  it("are not graded, and only a check that called the submission is", () => {
    const graded = toChecks(tests, o);
    expect(graded.map((c) => c.name)).toEqual(["calls the submission and fails", "not attempted"]);
    expect(graded[0].status).toBe("failed");
  });

  it("are named when they are the book's, in the graded chapters only, and counted when hidden", () => {
    const u = unexercisedFailures(tests, o);
    expect(u.book).toEqual(["spec/1-bandits/a.spec.ts › a tool of the book fails: boom"]);
    expect(u.hidden).toBe(1);
    expect(JSON.stringify(u)).not.toMatch(/secret/);
  });
});
