/**
 * Timings of the project's tools (wall-clock seconds, median of repeated runs): `npm test`, the site
 * build with cached check results (and, with `npm run bench -- --fresh`, with fresh results: both tiers
 * rerun), the grading of one submission, and the throughput of batch grading (submissions per minute). These spawn whole commands,
 * so they repeat at most 3 times (the facts give the count).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, type BenchEntry, type BenchRow } from "./types.ts";

const MAX_TOOL_REPEATS = 3;

interface Timed {
  seconds: number;
  status: number;
  stdout: string;
}

function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const t0 = performance.now();
  const p = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { seconds: (performance.now() - t0) / 1000, status: p.status ?? 1, stdout: `${p.stdout}\n${p.stderr}` };
}

function repeat(
  n: number,
  label: string,
  run: () => Timed,
  ok: (t: Timed) => boolean = (t) => t.status === 0,
): Timed[] {
  const out: Timed[] = [];
  for (let i = 0; i < n; i++) {
    const t = run();
    if (!ok(t)) throw new Error(`${label} failed (exit ${t.status}):\n${t.stdout.slice(-3000)}`);
    out.push(t);
  }
  return out;
}

function row(name: string, runs: Timed[], facts: Record<string, number | string> = {}): BenchRow {
  const secs = median(runs.map((r) => r.seconds));
  return {
    chapter: "tools",
    name,
    unit: "s",
    js: +secs.toFixed(2),
    facts: {
      runs: runs.length,
      min: +Math.min(...runs.map((r) => r.seconds)).toFixed(2),
      max: +Math.max(...runs.map((r) => r.seconds)).toFixed(2),
      ...facts,
    },
  };
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** The budget line of scripts/lib/budget-reporter.ts: checks, statistical checks and Σα + Σβ. */
function budget(stdout: string): Record<string, number> {
  const m =
    /(\d+) checks(?: ran)? \(.*?\) · (\d+) statistical \((\d+) negative controls\) · total false-failure bound (?:Σα \+ Σβ = [^=]*= )?([0-9.e+-]+)/.exec(
      stripAnsi(stdout),
    );
  return m ? { checks: +m[1], statistical: +m[2], controls: +m[3], falseFailureBound: +m[4] } : {};
}

/** Whether the site build's exit is a built site (0 all held, 1 some check failed); 2 is a build error. */
const siteBuilt = (t: Timed) => t.status === 0 || t.status === 1;

export const entries: BenchEntry[] = [
  {
    chapter: "tools",
    name: "npm test (type-check beside the fast tier)",
    goal: { of: "value", op: "≤", value: 20 },
    run(ctx) {
      const runs = repeat(Math.min(ctx.repeats, MAX_TOOL_REPEATS), this.name, () =>
        timeCommand("npm", ["test", "--silent"]),
      );
      return row(this.name, runs, budget(runs[runs.length - 1].stdout));
    },
  },
  {
    chapter: "tools",
    name: "site build, cached check results",
    goal: { of: "value", op: "≤", value: 10 },
    run(ctx) {
      const dir = mkdtempSync(path.join(os.tmpdir(), "pgbook-bench-site-"));
      try {
        const build = () =>
          timeCommand("npx", ["tsx", "scripts/site/site.ts", "--allow-failures", "--out", path.join(dir, "site")]);
        repeat(1, "site build (warming the result cache)", build, siteBuilt);
        // on a checkout that others edit meanwhile the content key changes and the checks rerun: that
        // run is not a cached build, so it fails the row instead of passing for one
        const reused = (t: Timed) => siteBuilt(t) && /reusing check results/.test(t.stdout);
        return row(
          this.name,
          repeat(
            Math.min(ctx.repeats, MAX_TOOL_REPEATS),
            `${this.name} (the sources changed during the run, so results were not reused)`,
            build,
            reused,
          ),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    chapter: "tools",
    name: "site build, fresh check results (both tiers)",
    run() {
      if (process.env.PGBOOK_BENCH_FRESH !== "1")
        return { chapter: "tools", name: this.name, unit: "s", js: Number.NaN, facts: { skipped: "run with --fresh" } };
      const dir = mkdtempSync(path.join(os.tmpdir(), "pgbook-bench-site-"));
      try {
        const build = () =>
          timeCommand("npx", [
            "tsx",
            "scripts/site/site.ts",
            "--allow-failures",
            "--no-cache",
            "--out",
            path.join(dir, "site"),
          ]);
        return row(this.name, repeat(1, this.name, build, siteBuilt));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    chapter: "tools",
    name: "grading one full submission (Chapters 1–4, fast tier)",
    goal: { of: "value", op: "≤", value: 20 },
    run(ctx) {
      if (!existsSync("scripts/grader/grade.ts"))
        return {
          chapter: "tools",
          name: this.name,
          unit: "s",
          js: Number.NaN,
          facts: { skipped: "scripts/grader/grade.ts not present yet" },
        };
      const dir = mkdtempSync(path.join(os.tmpdir(), "pgbook-bench-grade-"));
      // A complete student submission: the two correct examples in one folder (the book's src/ is not
      // gradable as a submission: it imports packages, which a submission may not)
      const submission = process.env.PGBOOK_BENCH_SUBMISSION ?? path.join(dir, "full");
      if (!process.env.PGBOOK_BENCH_SUBMISSION) {
        cpSync("examples/students/correct-ch234", submission, { recursive: true });
        cpSync("examples/students/correct/index.ts", path.join(submission, "chapter1.ts"));
        writeFileSync(
          path.join(submission, "index.ts"),
          'export * from "./chapter1.ts";\nexport * from "./average-reward.ts";\nexport * from "./total-return.ts";\nexport * from "./language-model.ts";\nexport * from "./network.ts";\n',
        );
      }
      try {
        const grade = () =>
          timeCommand("npx", ["tsx", "scripts/grader/grade.ts", submission, "--format", "json", "--out", dir]);
        // exit 0: every check held, 1: some failed — either way a graded submission (2, 3: not graded)
        const runs = repeat(
          Math.min(ctx.repeats, MAX_TOOL_REPEATS),
          this.name,
          grade,
          (t) => t.status === 0 || t.status === 1,
        );
        return row(this.name, runs, { submission, exit: runs[runs.length - 1].status });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    chapter: "tools",
    name: "batch grading: a class of 8 example submissions (Chapters 1–4, fast tier)",
    goal: { of: "value", op: "≥", value: 10 },
    run() {
      // both correct submissions, four with one mistake each, a hang and an ungradable one: a small class
      const CLASS = [
        "correct",
        "correct-ch234",
        "score-without-pi",
        "ch2-td-wrong-sign",
        "ch3-reward-to-go-late",
        "ch4-rloo-own-reward",
        "hang",
        "not-gradable-signature",
      ];
      const jobs = Math.max(1, os.availableParallelism());
      const dir = mkdtempSync(path.join(os.tmpdir(), "pgbook-bench-batch-"));
      try {
        for (const n of CLASS) cpSync(path.join("examples/students", n), path.join(dir, "in", n), { recursive: true });
        const t = timeCommand("npx", [
          "tsx",
          "scripts/grader/grade.ts",
          "--batch",
          path.join(dir, "in"),
          "--out",
          path.join(dir, "out"),
          "--jobs",
          String(jobs),
        ]);
        if (t.status !== 0 && t.status !== 1)
          throw new Error(`${this.name} failed (exit ${t.status}):\n${t.stdout.slice(-3000)}`);
        const rows =
          readFileSync(path.join(dir, "out", "grades.csv"), "utf8")
            .trim()
            .split("\n").length - 1;
        if (rows !== CLASS.length)
          throw new Error(`${this.name}: the gradebook has ${rows} rows for ${CLASS.length} submissions`);
        return {
          chapter: "tools",
          name: this.name,
          unit: "submissions/min",
          js: +((60 * CLASS.length) / t.seconds).toFixed(2),
          facts: { runs: 1, seconds: +t.seconds.toFixed(1), submissions: CLASS.length, jobs },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
