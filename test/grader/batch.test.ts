/**
 * Batch grading that never loses a row and leaves nothing behind, and a gradebook that is safe to
 * open (scripts/grader/batch.ts):
 * - grades.csv cells with hostile submission names and reasons, read back by a small RFC 4180 reader:
 *   every cell round-trips, text that a spreadsheet would run as a formula is defused, numbers stay numbers;
 * - `killTree` kills a process, its group, and groups and sessions its descendants started;
 * - a batch whose grader process runs past `processTimeoutMs` gets its row with the reason, its other
 *   submission's row is in grades.csv while the batch still runs, and nothing of the killed grading is left;
 * - a batch interrupted by SIGTERM after one submission finished keeps that row in grades.csv, kills
 *   every running grading (vitest and the sandbox included) and leaves the rest to be graded on resume.
 *
 * `hang` is graded with a per-call limit of 10 minutes (`--timeout-ms`), so it cannot finish by itself
 * while these tests run, whatever the machine's load; nothing here depends on how fast a grading is.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { csvCell, gradebook, killTree, runBatch, timeoutReason, type Row } from "../../scripts/grader/batch.ts";
import { HIDDEN } from "./expected.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = mkdtempSync(path.join(tmpdir(), "pgbook-batch-test-"));
const QUICK = ["--specs", "none", "--hidden", HIDDEN, "--chapters", "1"];
/** `hang` blocks in a call for up to this long, far beyond any wait below. */
const HANG = ["--timeout-ms", "600000", "--submission-timeout-ms", "1200000"];

/** A small RFC 4180 reader: records of fields; quoted fields may hold separators, quotes ("") and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  expect(quoted, "an unterminated quoted field").toBe(false);
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Would a spreadsheet read this cell as a formula? */
const formula = (cell: string) => /^[=+\-@\t\r]/.test(cell);

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}
function procs(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync("/proc").filter((d) => /^\d+$/.test(d)))
    try {
      const s = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      out.push({ pid: Number(d), state: f[0], ppid: Number(f[1]), pgid: Number(f[2]) });
    } catch {
      /* gone */
    }
  return out;
}
/** The living descendants of `root` (and root itself), read from /proc. */
function tree(root: number): Proc[] {
  const all = procs();
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found.filter((p) => p.state !== "Z");
}
const alive = (pid: number) => procs().some((p) => p.pid === pid && p.state !== "Z");
/** Wait until none of these processes lives (a killed process may take a moment to go). */
async function expectGone(pids: Iterable<number>, what: string): Promise<void> {
  const list = [...pids];
  for (let i = 0; i < 100 && list.some(alive); i++) await sleep(100);
  expect(list.filter(alive), `${what} still running`).toEqual([]);
}
async function waitFor<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    const v = f();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}
const gradesOf = (out: string) =>
  existsSync(path.join(out, "grades.csv")) ? readCsv(readFileSync(path.join(out, "grades.csv"), "utf8")) : undefined;

describe("grades.csv cells", () => {
  const hostile = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "\t=1+1",
    "\r=1+1",
    "a;b",
    "a,b",
    "a\rb",
    "a\nb",
    "a\r\nb",
    '"q"',
    'say "hi", then =1',
    "'already quoted",
    "plain-name",
    "=",
    "",
  ];
  const row = (submission: string, reason: string, chapters: Record<number, number> = { 1: 7, 2: 1.5 }): Row => ({
    submission,
    status: "failed",
    total: 8.5,
    max: 16,
    chapters,
    seconds: 12.345,
    reason,
  });

  it("round-trip through a CSV reader with hostile submission names and reasons; formulas come back defused by a leading '", () => {
    const rows = hostile.map((s, i) => row(s, hostile[hostile.length - 1 - i]));
    const parsed = readCsv(gradebook(rows));
    expect(parsed[0]).toEqual(["submission", "chapter 1", "chapter 2", "total", "max", "status", "seconds", "reason"]);
    expect(parsed).toHaveLength(rows.length + 1);
    const defused = (s: string) => (formula(s) ? `'${s}` : s);
    parsed.slice(1).forEach((cells, i) => {
      expect(cells).toHaveLength(8);
      expect(cells[0]).toBe(defused(rows[i].submission));
      expect(cells[7]).toBe(defused(rows[i].reason));
      expect(cells.slice(1, 7)).toEqual(["7", "1.5", "8.5", "16", "failed", "12.3"]);
      for (const c of cells) expect(formula(c), JSON.stringify(c)).toBe(false);
    });
  });

  it('quotes exactly the cells that hold , ; " CR or LF, doubling quotes; leaves the rest bare', () => {
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("a\rb")).toBe('"a\rb"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell('"q"')).toBe('"""q"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("plain name")).toBe("plain name");
  });

  it("numbers stay numbers: a negative score is not defused, a number-looking name is", () => {
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(-1.25, 1)).toBe("-1.3");
    expect(csvCell(0)).toBe("0");
    expect(csvCell("-1.5")).toBe("'-1.5");
    const [, cells] = readCsv(gradebook([row("-1", "", { 1: -1.5 })]));
    expect(cells.slice(0, 2)).toEqual(["'-1", "-1.5"]);
  });
});

describe("killTree", () => {
  it("kills a process, its group, and a session one of its descendants started (as vitest's group and the sandbox's session)", async () => {
    // parent (own group) → a child in its group, and a detached child (own session) with a child of its own
    const script = `
      const { spawn } = require("node:child_process");
      const keep = ["-e", "setInterval(() => {}, 1000)"];
      const same = spawn(process.execPath, keep, { stdio: "ignore" });
      const own = spawn(process.execPath, ["-e", \`
        const c = require("node:child_process").spawn(process.execPath, \${JSON.stringify(keep)}, { stdio: "ignore" });
        setTimeout(() => process.send(c.pid), 200);
        setInterval(() => {}, 1000);\`], { stdio: ["ignore", "ignore", "ignore", "ipc"], detached: true });
      own.on("message", (g) => console.log(JSON.stringify([same.pid, own.pid, g])));
      setInterval(() => {}, 1000);`;
    const p = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"], detached: true });
    try {
      const line = await new Promise<string>((resolve) => p.stdout.once("data", (d: Buffer) => resolve(d.toString())));
      const pids = [p.pid!, ...(JSON.parse(line) as number[])];
      expect(pids.every(alive)).toBe(true);
      const groups = new Set(tree(p.pid!).map((q) => q.pgid));
      expect(groups.size).toBe(2); // the parent's group and the detached child's
      killTree(p.pid!);
      await expectGone(pids, "a process of the tree");
    } finally {
      killTree(p.pid!);
    }
  });
});

describe("batch: rows as they finish, time limits, interruption", () => {
  it("a grader past processTimeoutMs is killed with everything it started and gets its row with the reason; a finished row is in grades.csv meanwhile", async () => {
    const folder = path.join(OUT, "timeout-in");
    const out = path.join(OUT, "timeout-out");
    cpSync(path.join(ROOT, "examples/students/hang"), path.join(folder, "hang"), { recursive: true });
    mkdirSync(path.join(folder, "empty")); // not gradable: finishes in seconds
    const pids = new Map<string, number>();
    const seen = new Set<number>(); // every process of hang's grading, watched while it runs
    const timeoutMs = 40_000;
    const batch = runBatch({
      folder,
      out,
      jobs: 2,
      pass: [...QUICK, ...HANG],
      formats: "json",
      processTimeoutMs: timeoutMs,
      onSpawn: (n, pid) => pids.set(n, pid),
    });
    let finished = false;
    batch.then(
      () => (finished = true),
      () => (finished = true),
    );
    let sawEmptyWhileRunning = false;
    while (!finished) {
      const hang = pids.get("hang");
      if (hang !== undefined) for (const q of tree(hang)) seen.add(q.pid);
      const rows = gradesOf(out);
      if (!sawEmptyWhileRunning && rows?.some((r) => r[0] === "empty") && hang !== undefined && alive(hang)) {
        sawEmptyWhileRunning = true;
        expect(rows.some((r) => r[0] === "hang")).toBe(false);
      }
      await sleep(200);
    }
    const { rows } = await batch;
    expect(sawEmptyWhileRunning, "grades.csv held the finished row while hang was still being graded").toBe(true);
    expect(rows.map((r) => [r.submission, r.status])).toEqual([
      ["empty", "not-gradable"],
      ["hang", "grader-error"],
    ]);
    expect(rows[1].reason.startsWith(timeoutReason(timeoutMs))).toBe(true);
    expect(timeoutReason(timeoutMs)).toBe("grading took longer than 40 s and was stopped");
    const csv = gradesOf(out)!;
    expect(csv.map((r) => r[0])).toEqual(["submission", "empty", "hang"]);
    expect(csv[2].at(-1)!.startsWith("grading took longer than 40 s and was stopped")).toBe(true);
    expect(existsSync(path.join(out, "summary.html"))).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(existsSync(path.join(out, "hang", "report.json"))).toBe(false); // a rerun grades it again
    await expectGone(seen, "a process of the timed-out grading");
  });

  it("SIGTERM to a batch after one submission finished: that row stays in grades.csv, every running grading is killed, the batch exits", async () => {
    const folder = path.join(OUT, "signal-in");
    const out = path.join(OUT, "signal-out");
    for (const n of ["correct", "hang"])
      cpSync(path.join(ROOT, "examples/students", n), path.join(folder, n), { recursive: true });
    const args = [
      "--import",
      "tsx",
      "scripts/grader/grade.ts",
      "--batch",
      folder,
      "--out",
      out,
      "--jobs",
      "2",
      "--format",
      "json",
      ...QUICK,
      ...HANG,
    ];
    const p: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      p.on("exit", (code, sig) => resolve([code, sig])),
    );
    try {
      const seen = new Set<number>();
      const rows = await waitFor(
        "correct's row in grades.csv",
        () => {
          for (const q of tree(p.pid!)) seen.add(q.pid);
          const r = gradesOf(out);
          return r?.some((l) => l[0] === "correct") ? r : undefined;
        },
        15 * 60_000,
      );
      expect(rows.find((l) => l[0] === "correct")!.slice(0, 5)).toEqual(["correct", "9", "9", "9", "passed"]);
      expect(rows.some((l) => l[0] === "hang")).toBe(false);
      // hang's grading is still under way (its call blocks for 10 minutes): wait until it is deep into
      // its tree, vitest in a group of its own besides the batch's and the grader's
      await waitFor(
        "hang's grading to reach vitest",
        () => {
          const running = tree(p.pid!);
          for (const q of running) seen.add(q.pid);
          return new Set(running.map((q) => q.pgid)).size > 2 ? true : undefined;
        },
        10 * 60_000,
      );
      await sleep(3000); // and into the checks, the sandbox child started
      for (const q of tree(p.pid!)) seen.add(q.pid);
      p.kill("SIGTERM");
      const [code] = await exited;
      expect(code, stderr).toBe(143);
      await expectGone(seen, "a process of the interrupted batch");
      const after = gradesOf(out)!;
      expect(after.map((l) => l[0])).toEqual(["submission", "correct"]);
      expect(existsSync(path.join(out, "hang", "report.json"))).toBe(false); // graded on resume
      expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      for (const q of tree(p.pid!).reverse()) killTree(q.pid);
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    }
  });
});
