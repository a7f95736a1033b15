/**
 * Batch mode (issue 9): grade every submission folder of a course in parallel, each in its own grader
 * process (so each is isolated as in single mode and one that hangs or crashes cannot stop the batch),
 * keeping the gradebook (grades.csv) current as each grading finishes, then write a class summary page
 * (summary.html: score histogram and the checks most often failed). A submission whose report.json
 * already exists is not graded again, so an interrupted batch resumes where it stopped.
 *
 * Nothing is lost and nothing is left behind:
 * - grades.csv is rewritten after every submission that finishes, with every finished row so far (this
 *   run's and an earlier run's), each time whole or not at all (a temporary file in the same folder,
 *   then a rename), so a batch that is stopped keeps every row it reached;
 * - each grader process leads a process group of its own (`detached`); at its time limit, and when
 *   the batch itself is interrupted (SIGINT, SIGTERM, SIGHUP) or exits, that group and every group its
 *   descendants started (vitest runs in one of its own, the sandbox child in a session of its own) are
 *   stopped and killed (`killTree`); when a grader ends by itself, whatever is left in its group is
 *   killed. A timed-out submission's row says so ("grading took longer than N s and was stopped") and,
 *   having no report.json, it is graded again by a rerun. (A batch killed with SIGKILL cannot do this.)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, constants } from "node:os";
import path from "node:path";
import { ROOT } from "./contract.ts";
import type { Report } from "./report.ts";
import { clean, escapeHtml } from "./text.ts";

export interface BatchOptions {
  folder: string;
  out: string;
  jobs?: number;
  /** Options passed on to each single grading (--chapters, --hidden, --seed, …). */
  pass: string[];
  formats: string;
  /** Per-submission wall-clock limit of a grader process (ms); past it the process and its descendants are killed. */
  processTimeoutMs?: number;
  /** Told each grader process's pid as it starts (tests, progress displays). */
  onSpawn?: (submission: string, pid: number) => void;
}

export interface Row {
  submission: string;
  status: string;
  total: number;
  max: number;
  chapters: Record<number, number>;
  seconds: number;
  reason: string;
}

/** Write a file whole or not at all: a temporary file in the same folder, then a rename over the old one. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
}

/** Every process of the machine this process can see (Linux: /proc; elsewhere: ps). */
function processes(): Proc[] {
  if (existsSync("/proc/self/stat")) {
    const out: Proc[] = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        // pid (comm) state ppid pgrp …, where comm may hold spaces and parentheses
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.push({ pid: Number(d), ppid: Number(f[1]), pgid: Number(f[2]), zombie: f[0] === "Z" });
      } catch {
        /* it ended meanwhile */
      }
    }
    return out;
  }
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat="], { encoding: "utf8" });
  return (ps.stdout ?? "")
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4)
    .map(([pid, ppid, pgid, st]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      zombie: st.startsWith("Z"),
    }));
}

/** The process groups of `root` and of all its living descendants (never this process's own group). */
function groupsOf(root: number): Set<number> {
  const all = processes();
  const own = all.find((p) => p.pid === process.pid)?.pgid;
  const children = new Map<number, Proc[]>();
  for (const p of all) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const groups = new Set<number>([root]);
  const todo = [root];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop())
    for (const c of children.get(pid) ?? []) {
      if (!c.zombie) groups.add(c.pgid);
      todo.push(c.pid);
    }
  groups.delete(process.pid);
  if (own !== undefined) groups.delete(own);
  return groups;
}

const signalGroup = (g: number, sig: NodeJS.Signals) => {
  try {
    process.kill(-g, sig);
  } catch {
    /* gone, or not ours to signal */
  }
};

/**
 * Kill a grader process and everything it started. It leads its own group, but vitest runs in a group
 * of its own and the sandbox child in a session of its own, so the tree is walked: every group found
 * is stopped first (a stopped process starts nothing new), the walk repeated until it finds no new
 * group, then every group is killed. Synchronous, so that it can run in a signal or exit handler.
 */
export function killTree(root: number): void {
  const seen = new Set<number>();
  for (let round = 0; round < 10; round++) {
    const fresh = [...groupsOf(root)].filter((g) => !seen.has(g));
    if (!fresh.length) break;
    for (const g of fresh) {
      seen.add(g);
      signalGroup(g, "SIGSTOP");
    }
  }
  for (const g of seen) signalGroup(g, "SIGKILL");
}

/** The first line of grader-failure.txt, and the row's reason, when a grader process was stopped at its time limit. */
export function timeoutReason(ms: number): string {
  return `grading took longer than ${Number((ms / 1000).toFixed(1))} s and was stopped`;
}

/** The grader processes of the running batches (pid → submission), killed when the batch is interrupted or exits. */
const running = new Map<number, string>();

/** The gradings run at once (default: one per core). */
const jobsOf = (o: BatchOptions) => Math.max(1, o.jobs ?? availableParallelism());

function gradeOne(name: string, sub: string, dir: string, o: BatchOptions): Promise<void> {
  return new Promise((resolve) => {
    const args = [
      "--import",
      "tsx",
      path.join(ROOT, "scripts/grader/grade.ts"),
      sub,
      "--out",
      dir,
      "--format",
      o.formats,
      ...o.pass,
    ];
    // each job's checks get its share of the cores (one test worker, and so one sandbox, per share)
    const workers = String(Math.max(1, Math.floor(availableParallelism() / jobsOf(o))));
    const p = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PGBOOK_GRADE_WORKERS: process.env.PGBOOK_GRADE_WORKERS ?? workers },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const limit = o.processTimeoutMs ?? 20 * 60_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (p.pid !== undefined) killTree(p.pid);
    }, limit);
    let ended = false;
    const done = (why: string) => {
      if (ended) return; // "error" and "exit" may both come
      ended = true;
      clearTimeout(timer);
      if (p.pid !== undefined) {
        // whatever is left in the grader's own group (its descendants are no longer its children
        // now, so only that group is found; the grader stops vitest's group itself when it ends)
        killTree(p.pid);
        running.delete(p.pid);
      }
      if (!existsSync(path.join(dir, "report.json"))) {
        mkdirSync(dir, { recursive: true });
        writeAtomic(path.join(dir, "grader-failure.txt"), `${timedOut ? timeoutReason(limit) : why}\n${err}`);
      }
      resolve();
    };
    p.on("error", (e) => done(`the grader process could not start: ${e.message}`));
    p.on("exit", (code, signal) =>
      done(`the grader process ended with ${signal ? `signal ${signal}` : `exit code ${code}`}`),
    );
    if (p.pid !== undefined) {
      running.set(p.pid, name);
      o.onSpawn?.(name, p.pid);
    }
  });
}

/**
 * One cell of grades.csv. A number is written as a number (with `digits` decimals if given), never
 * altered: spreadsheets must read scores and times as numbers, and a number cannot carry a formula.
 * A string is untrusted text (submission names are folder names students chose; reasons quote
 * compiler messages and grader output): if it starts with `=`, `+`, `-`, `@`, tab or CR, which a
 * spreadsheet would read as a formula, it gets a leading `'`; then it is quoted, inner quotes doubled,
 * if it holds `,` or `;` (the separator of spreadsheets in many locales), `"`, CR or LF.
 * The header and the status are strings too, and are never changed by this (no such characters).
 */
export function csvCell(v: string | number, digits?: number): string {
  if (typeof v === "number") return digits === undefined ? String(v) : v.toFixed(digits);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A submission's report, or undefined when it has none or it cannot be read. */
function readReport(dir: string): Report | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as Report;
  } catch {
    return undefined;
  }
}

export function rowOf(name: string, dir: string): Row {
  const f = path.join(dir, "report.json");
  const r = existsSync(f) ? readReport(dir) : undefined;
  if (!r) {
    const failure = path.join(dir, "grader-failure.txt");
    const why = existsSync(f)
      ? "report.json could not be read"
      : existsSync(failure)
        ? readFileSync(failure, "utf8")
        : "no report";
    return {
      submission: name,
      status: "grader-error",
      total: 0,
      max: 0,
      chapters: {},
      seconds: 0,
      reason: clean(why.replace(/\s+/g, " ").trim(), 200),
    };
  }
  const reason =
    r.status === "not-gradable"
      ? (r.typecheck.errors[0] ?? "not gradable")
      : r.status === "grader-error"
        ? (r.notices[0] ?? "grader error")
        : "";
  return {
    submission: name,
    status: r.status,
    total: r.points,
    max: r.maxPoints,
    chapters: Object.fromEntries(r.chapters.map((c) => [c.chapter, c.points])),
    seconds: r.seconds,
    reason: clean(reason.replace(/\s+/g, " "), 200),
  };
}

export function gradebook(rows: Row[]): string {
  const chapters = [...new Set(rows.flatMap((r) => Object.keys(r.chapters).map(Number)))].sort((a, b) => a - b);
  const head = ["submission", ...chapters.map((c) => `chapter ${c}`), "total", "max", "status", "seconds", "reason"];
  const lines = [head.map((h) => csvCell(h)).join(",")];
  for (const r of rows)
    lines.push(
      [
        csvCell(r.submission),
        ...chapters.map((c) => csvCell(r.chapters[c] ?? 0)),
        csvCell(r.total),
        csvCell(r.max),
        csvCell(r.status),
        csvCell(r.seconds, 1),
        csvCell(r.reason),
      ].join(","),
    );
  return lines.join("\n") + "\n";
}

/** How long the batch took: this run's wall time, the submissions it graded (a resumed run skips the rest), the jobs. */
export interface BatchTiming {
  seconds: number;
  graded: number;
  jobs: number;
}

export function summaryHtml(rows: Row[], reports: Report[], timing?: BatchTiming): string {
  const h = escapeHtml;
  const bins = new Array(10).fill(0) as number[];
  for (const r of rows) bins[Math.min(9, Math.floor(10 * (r.max > 0 ? r.total / r.max : 0)))]++;
  const top = Math.max(1, ...bins);
  const bars = bins
    .map(
      (n, i) =>
        `<div class="bar"><span>${i * 10}–${i * 10 + 10}%</span><i style="width:${(100 * n) / top}%"></i><b>${n}</b></div>`,
    )
    .join("");
  const fails = new Map<string, { n: number; tags: string[] }>();
  for (const r of reports)
    for (const c of r.checks)
      if (c.status === "failed") fails.set(c.name, { n: (fails.get(c.name)?.n ?? 0) + 1, tags: c.tags });
  const worst = [...fails].sort((a, b) => b[1].n - a[1].n).slice(0, 20);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pgbook class summary</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:60em}.bar{display:flex;gap:8px;align-items:center}.bar span{width:6em}.bar i{display:block;height:14px;background:#4a78b5}td,th{padding:3px 6px;text-align:left;border-bottom:1px solid #ddd}</style></head>
<body><h1>Class summary</h1><p>${rows.length} submissions · ${rows.filter((r) => r.status === "passed").length} passed every check · ${rows.filter((r) => r.status === "not-gradable").length} not gradable · ${rows.filter((r) => r.status === "grader-error").length} grader errors</p>
${timing ? `<p>This run graded ${timing.graded} submission${timing.graded === 1 ? "" : "s"} in ${(timing.seconds / 60).toFixed(1)} min with ${timing.jobs} job${timing.jobs === 1 ? "" : "s"}${timing.graded ? ` (${((60 * timing.graded) / timing.seconds).toFixed(1)} per minute)` : ""}.${timing.graded < rows.length ? ` ${rows.length - timing.graded} had been graded by an earlier run.` : ""} The time of each submission is in grades.csv.</p>` : ""}
<h2>Scores</h2>${bars}
<h2>Checks most often failed</h2><p>Which equations the class finds hard.</p><table><tr><th>failed by</th><th>tags</th><th>check</th></tr>
${worst.map(([name, v]) => `<tr><td>${v.n}</td><td>${h(v.tags.join(" "))}</td><td>${h(name)}</td></tr>`).join("\n")}</table></body></html>
`;
}

/** Kill every running grader process tree (on the batch's own interruption or exit). */
function killRunning(): void {
  for (const pid of running.keys()) killTree(pid);
  running.clear();
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function onSignal(sig: NodeJS.Signals): void {
  killRunning();
  process.stderr.write(
    `\n${sig}: the running gradings were stopped; grades.csv holds every finished row, and a rerun grades the rest\n`,
  );
  process.exit(128 + (constants.signals[sig] ?? 1));
}

export async function runBatch(o: BatchOptions): Promise<{ rows: Row[]; seconds: number; graded: number }> {
  const t0 = performance.now();
  const names = readdirSync(o.folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() || /\.(ts|js|mjs)$/.test(d.name))
    .map((d) => d.name)
    .sort();
  mkdirSync(o.out, { recursive: true });
  const todo = names.filter((n) => !existsSync(path.join(o.out, n, "report.json")));
  // the rows so far: those an earlier run graded, then each of this run's as it finishes
  const rows = new Map<string, Row>();
  for (const n of names) if (!todo.includes(n)) rows.set(n, rowOf(n, path.join(o.out, n)));
  const writeGradebook = () =>
    writeAtomic(path.join(o.out, "grades.csv"), gradebook(names.filter((n) => rows.has(n)).map((n) => rows.get(n)!)));
  writeGradebook();
  let done = names.length - todo.length;
  const progress = () => process.stderr.write(`\rgrading ${done}/${names.length} submissions`);
  progress();
  const queue = [...todo];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      await gradeOne(n, path.join(o.folder, n), path.join(o.out, n), o);
      rows.set(n, rowOf(n, path.join(o.out, n)));
      writeGradebook();
      done++;
      progress();
    }
  };
  const jobs = jobsOf(o);
  // the grader processes are not in this process's group, so an interrupt does not reach them: pass it on
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("exit", killRunning);
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off("exit", killRunning);
  }
  process.stderr.write("\n");
  const all = names.map((n) => rows.get(n)!);
  const reports = names.flatMap((n) => readReport(path.join(o.out, n)) ?? []);
  const seconds = (performance.now() - t0) / 1000;
  writeAtomic(path.join(o.out, "summary.html"), summaryHtml(all, reports, { seconds, graded: todo.length, jobs }));
  return { rows: all, seconds, graded: todo.length };
}
