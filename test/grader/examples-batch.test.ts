/**
 * A batch over ALL the example submissions (issue 9), graded the way a course would grade them: one
 * `grade --batch` run over a folder holding every example, for Chapters 1–4 at once — Chapter 1 on
 * the quick hidden specs (test/grader/fixtures/hidden), Chapters 2–4 on the book's own fast-tier
 * specs. The gradebook must hold every example with the scores its expectation implies
 * (test/grader/expected.ts), each report must match check by check, and the class summary must list
 * the checks most often failed.
 *
 * Each chN-* example re-exports correct-ch234 with one mistake, so besides its own chapter's expected
 * failures, the other chapters it implements must hold exactly as for correct-ch234.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../scripts/grader/report.ts";
import {
  CH234_EXPECTED,
  CHAPTERS,
  CORRECT_CH234,
  EXPECTED as CH1_EXPECTED,
  HIDDEN,
  KEYS as CH1_KEYS,
  expectChapter,
  expectChapter1,
  expectNotAttempted,
  type Chapter,
} from "./expected.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
// PGBOOK_EXAMPLES_BATCH_DIR=<dir> keeps the batch there and, since a batch resumes, reuses the reports
// of an earlier run (for working on these tests; unset, every run grades afresh)
const OUT = process.env.PGBOOK_EXAMPLES_BATCH_DIR ?? mkdtempSync(path.join(tmpdir(), "pgbook-examples-batch-"));
const EXAMPLES = path.join(ROOT, "examples/students");
// the attack-* folders (the red team) have tests of their own: attacks.test.ts, bundle-confinement.test.ts
const NAMES = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith("attack-"))
  .map((d) => d.name)
  .sort();
const LATER: Chapter[] = [2, 3, 4];

const reports = new Map<string, Report>();
let gradebook: string[][] = [];
let summary = "";
let batchSeconds = 0;

beforeAll(async () => {
  const folder = path.join(OUT, "submissions");
  for (const n of NAMES) cpSync(path.join(EXAMPLES, n), path.join(folder, n), { recursive: true });
  const out = path.join(OUT, "batch");
  const specs = LATER.flatMap((c) => CHAPTERS[c].specs).join(",");
  const t0 = Date.now();
  await run(
    "npx",
    [
      "tsx",
      "scripts/grader/grade.ts",
      "--batch",
      folder,
      "--out",
      out,
      "--jobs",
      "2",
      "--chapters",
      "1,2,3,4",
      "--specs",
      specs,
      "--hidden",
      HIDDEN,
      "--format",
      "json",
    ],
    { cwd: ROOT, maxBuffer: 64 << 20 },
  );
  batchSeconds = (Date.now() - t0) / 1000;
  for (const n of NAMES) reports.set(n, JSON.parse(readFileSync(path.join(out, n, "report.json"), "utf8")) as Report);
  gradebook = readFileSync(path.join(out, "grades.csv"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(","));
  summary = readFileSync(path.join(out, "summary.html"), "utf8");
}, 3_600_000);

const keyCount = (c: Chapter) => Object.keys(CHAPTERS[c].keys).length;
const CH1_CHECKS = Object.keys(CH1_KEYS).length;
const ALL_CHECKS = CH1_CHECKS + LATER.reduce((n, c) => n + keyCount(c), 0);

/** The gradebook row an example must get: chapter 1–4 points, total, max, status. */
function expectedRow(name: string): string[] {
  const row = (ch: number[], status: string) => [
    name,
    ...ch.map(String),
    String(ch.reduce((a, b) => a + b, 0)),
    String(status === "not-gradable" ? 0 : ALL_CHECKS),
    status,
  ];
  const one = CH1_EXPECTED[name];
  if (one) {
    if (one.exit === 2) return row([0, 0, 0, 0], "not-gradable");
    const held = CH1_CHECKS - Object.keys(one.fail ?? {}).length - (one.notAttempted?.length ?? 0);
    // Chapters 2–4 are not attempted by a Chapter 1 submission: not every check held
    return row([held, 0, 0, 0], "failed");
  }
  const own = CH234_EXPECTED[name];
  const later = LATER.map((c) => keyCount(c) - (own && own.chapter === c ? Object.keys(own.fail).length : 0));
  return row([0, ...later], "failed");
}

describe("a batch over every example submission", () => {
  it("covers every example folder, each with an expectation", () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(25);
    const known = new Set([...Object.keys(CH1_EXPECTED), ...Object.keys(CH234_EXPECTED), CORRECT_CH234]);
    expect(NAMES.filter((n) => !known.has(n))).toEqual([]);
  });

  it("the gradebook has one row per example with the expected chapter scores, total, maximum and status", () => {
    expect(gradebook[0].slice(0, 8)).toEqual([
      "submission",
      "chapter 1",
      "chapter 2",
      "chapter 3",
      "chapter 4",
      "total",
      "max",
      "status",
    ]);
    const rows = new Map(gradebook.slice(1).map((r) => [r[0], r.slice(0, 8)]));
    expect([...rows.keys()].sort()).toEqual(NAMES);
    for (const n of NAMES) expect(rows.get(n), n).toEqual(expectedRow(n));
    console.log(
      `batch of ${NAMES.length} submissions: ${batchSeconds.toFixed(0)} s (${((60 * NAMES.length) / batchSeconds).toFixed(1)} submissions/min)`,
    );
  });

  for (const [name, want] of Object.entries(CH1_EXPECTED)) {
    it(`${name}: Chapter 1 check by check as graded alone; Chapters 2–4 not attempted`, () => {
      const r = reports.get(name)!;
      if (want.exit === 2) {
        expect(r.status).toBe("not-gradable");
        expect(r.checks).toEqual([]);
        return;
      }
      expectChapter1(r, want);
      for (const c of LATER) expectNotAttempted(r, c);
    });
  }

  it(`${CORRECT_CH234}: every check of Chapters 2, 3 and 4 holds; Chapter 1 not attempted`, () => {
    const r = reports.get(CORRECT_CH234)!;
    for (const c of LATER) expectChapter(r, c, {});
    expectNotAttempted(r, 1);
  });

  for (const [name, want] of Object.entries(CH234_EXPECTED)) {
    const n = Object.keys(want.fail).length;
    const what =
      n === 0
        ? `written differently, every check of Chapter ${want.chapter} holds`
        : `caught by ${n} check${n > 1 ? "s" : ""} of Chapter ${want.chapter}`;
    it(`${name}: ${what}; its other chapters hold as for ${CORRECT_CH234}`, () => {
      const r = reports.get(name)!;
      for (const c of LATER) expectChapter(r, c, c === want.chapter ? want.fail : {});
      expectNotAttempted(r, 1);
    });
  }

  it("the class summary counts the submissions and lists the checks most often failed, with their counts", () => {
    expect(summary).toContain(`<p>${NAMES.length} submissions`);
    expect(summary).toMatch(/This run graded \d+ submissions? in [\d.]+ min with 2 jobs/);
    const fails = new Map<string, number>();
    for (const r of reports.values())
      for (const c of r.checks) if (c.status === "failed") fails.set(c.name, (fails.get(c.name) ?? 0) + 1);
    const top = [...fails].sort((a, b) => b[1] - a[1])[0];
    // the most failed check comes first in the table
    const first = /<tr><td>(\d+)<\/td><td>[^<]*<\/td><td>([^<]*)<\/td><\/tr>/.exec(summary);
    expect(Number(first?.[1])).toBe(top[1]);
  });

  it("failed checks say what went wrong in the book's terms", () => {
    const find = (name: string, chapter: Chapter, key: string) => {
      const title = (CHAPTERS[chapter].keys as Record<string, string>)[key];
      return reports.get(name)!.checks.find((c) => c.name.includes(title))!;
    };
    // the statistical check names the component and its estimate against ∇J
    const mc = find("ch3-reward-to-go-late", 3, "monteCarlo");
    expect(mc.stats?.length).toBeGreaterThan(0);
    for (const s of mc.stats!) expect(Math.abs(s.error)).toBeGreaterThan(s.bound);
    // the variances derived by hand in the spec: 17/8 for the reward-to-go, far from what a late start gives
    expect(find("ch3-reward-to-go-late", 3, "varRepeated").message).toMatch(/2\.125/);
    expect(find("ch3-rollout-drops-rt", 3, "varRepeated").message).toMatch(/2\.125/);
    // the property failures carry fast-check's counterexample and replay seed
    expect(find("ch2-no-state-distribution", 2, "gradientFd").message).toMatch(/property failed/);
    // a grading's replay line regrades the check's spec file with the same master seed
    expect(find("ch2-no-state-distribution", 2, "gradientFd").replay).toMatch(
      /^PGBOOK_SEED=\S+ npm run grade -- '[^']*ch2-no-state-distribution[^']*' --chapters 2 --specs '2.1-policy-gradient-theorem'$/,
    );
  });
});
