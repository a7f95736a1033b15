/**
 * Batch mode (issue 9): grade every submission folder of a course in parallel, each in its own grader
 * process (so each is isolated as in single mode and one that hangs or crashes cannot stop the batch),
 * then write the gradebook (grades.csv) and a class summary page (summary.html: score histogram and
 * the checks most often failed). A submission whose report.json already exists is not graded again,
 * so an interrupted batch resumes where it stopped.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
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
  /** Per-submission wall-clock limit of a grader process (ms). */
  processTimeoutMs?: number;
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

function gradeOne(sub: string, dir: string, o: BatchOptions): Promise<void> {
  return new Promise((resolve) => {
    const args = ["--import", "tsx", path.join(ROOT, "scripts/grader/grade.ts"), sub, "--out", dir, "--format", o.formats, ...o.pass];
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => p.kill("SIGKILL"), o.processTimeoutMs ?? 20 * 60_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (!existsSync(path.join(dir, "report.json"))) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, "grader-failure.txt"), `exit ${code}\n${err}`);
      }
      resolve();
    });
  });
}

function csvCell(s: string | number): string {
  const t = String(s);
  // Quote, and defuse spreadsheet formulas in untrusted names.
  const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function rowOf(name: string, dir: string): Row {
  const f = path.join(dir, "report.json");
  if (!existsSync(f)) {
    const why = existsSync(path.join(dir, "grader-failure.txt")) ? readFileSync(path.join(dir, "grader-failure.txt"), "utf8") : "no report";
    return { submission: name, status: "grader-error", total: 0, max: 0, chapters: {}, seconds: 0, reason: clean(why, 200) };
  }
  const r = JSON.parse(readFileSync(f, "utf8")) as Report;
  const reason =
    r.status === "not-gradable" ? r.typecheck.errors[0] ?? "not gradable" : r.status === "grader-error" ? r.notices[0] ?? "grader error" : "";
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
  const lines = [head.join(",")];
  for (const r of rows)
    lines.push([r.submission, ...chapters.map((c) => r.chapters[c] ?? 0), r.total, r.max, r.status, r.seconds.toFixed(1), r.reason].map(csvCell).join(","));
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
    .map((n, i) => `<div class="bar"><span>${i * 10}–${i * 10 + 10}%</span><i style="width:${(100 * n) / top}%"></i><b>${n}</b></div>`)
    .join("");
  const fails = new Map<string, { n: number; tags: string[] }>();
  for (const r of reports) for (const c of r.checks) if (c.status === "failed") fails.set(c.name, { n: (fails.get(c.name)?.n ?? 0) + 1, tags: c.tags });
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

export async function runBatch(o: BatchOptions): Promise<{ rows: Row[]; seconds: number; graded: number }> {
  const t0 = performance.now();
  const names = readdirSync(o.folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() || /\.(ts|js|mjs)$/.test(d.name))
    .map((d) => d.name)
    .sort();
  mkdirSync(o.out, { recursive: true });
  const todo = names.filter((n) => !existsSync(path.join(o.out, n, "report.json")));
  let done = names.length - todo.length;
  const progress = () => process.stderr.write(`\rgrading ${done}/${names.length} submissions`);
  progress();
  const queue = [...todo];
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      await gradeOne(path.join(o.folder, n), path.join(o.out, n), o);
      done++;
      progress();
    }
  };
  const jobs = Math.max(1, o.jobs ?? availableParallelism());
  await Promise.all(Array.from({ length: jobs }, worker));
  process.stderr.write("\n");
  const rows = names.map((n) => rowOf(n, path.join(o.out, n)));
  const reports = names.flatMap((n) => {
    const f = path.join(o.out, n, "report.json");
    return existsSync(f) ? [JSON.parse(readFileSync(f, "utf8")) as Report] : [];
  });
  writeFileSync(path.join(o.out, "grades.csv"), gradebook(rows));
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(path.join(o.out, "summary.html"), summaryHtml(rows, reports, { seconds, graded: todo.length, jobs }));
  return { rows, seconds, graded: todo.length };
}
