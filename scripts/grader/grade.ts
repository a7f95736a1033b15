/**
 * The grader: `npm run grade -- <submission> [--chapters 1,2] [--hidden <dir>] [--seed N]
 * [--format terminal,json,html,junit,gradescope,prairielearn] [--out <dir>] [--book-url URL] [--timeout-ms N]`.
 * See README "For instructors". Exit codes: 0 every check held; 1 some failed; 2 not gradable;
 * 3 the grader itself failed. A report is written in every case.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_MASTER_SEED } from "../../measure/seed.ts";
import { runBatch } from "./batch.ts";
import { ROOT } from "./contract.ts";
import { gradeSubmission, readWeights } from "./grade-one.ts";
import { bookAnchors, bookUrlProblem, type BookAnchors } from "./book-links.ts";
import { forStudent, toTerminal, type Visibility } from "./report.ts";
import { bookLinks, DEFAULT_FORMATS, FORMATS, writeReports, type Format } from "./write.ts";

const usage = `usage: pgbook grade <submission> [options]   (in a clone: npm run grade -- <submission> …)
  <submission>              a .ts/.js module, or a folder with index.ts (or index.js, main.ts)
  --chapters 1,2            grade only these chapters (default: every chapter with a contract and specs)
  --hidden <dir>            add the instructor-only specs in <dir> (**/*.spec.ts)
  --hidden-visibility V     Gradescope visibility of hidden checks: hidden | after_due_date | after_published (default) | visible
  --seed N                  secret master seed, keyed with each submission's content (default: the
                            public seed ${DEFAULT_MASTER_SEED}, or PGBOOK_SEED as it is, as replay lines give it)
  --format a,b              terminal (the console and report.txt), json (report.json, the instructor's, with
                            every seed), html (report.html), junit (junit.xml), gradescope (results.json),
                            prairielearn (pl-results.json) (default: ${DEFAULT_FORMATS.join(",")})
  --out <dir>               where reports go (default: grade-report)
  --book-url URL            the book's site, for the links from each check's tag to its equation, e.g.
                            https://example.edu/pgbook/ (default: this clone's site/, built by npm run site)
  --timeout-ms N            time limit per call into the submission (default 3000)
  --submission-timeout-ms N time limit of the whole grading, counted from its start (default 300000);
                            the grading ends within it plus 8 s whatever the submission does
  --specs a,b               only the book's spec files whose names contain a or b ("none": only --hidden)
  --slow                    also grade the slow tier (training runs, large Monte Carlo designs; minutes)
  --require-isolation       refuse to grade (exit 3) unless every isolation layer is active (namespaces, uid, rlimits, permission model)
  --batch <folder>          grade every submission in <folder> (gradebook grades.csv, summary.html in --out)
  --jobs N                  parallel gradings in batch mode (default: the core count)
  --weights <file.json>     weights by tag or kind: { "default": 1, "tags": { "eq 12": 2 }, "kinds": { "monte-carlo": 2 } }
exit codes: 0 every check held · 1 some check failed · 2 not gradable · 3 the grader failed`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        chapters: { type: "string" },
        hidden: { type: "string" },
        "hidden-visibility": { type: "string" },
        seed: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        "book-url": { type: "string" },
        "timeout-ms": { type: "string" },
        "submission-timeout-ms": { type: "string" },
        weights: { type: "string" },
        specs: { type: "string" },
        slow: { type: "boolean" },
        "require-isolation": { type: "boolean" },
        batch: { type: "string" },
        jobs: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    return 3;
  }
  const v = args.values;
  if (v.batch) {
    // Batch mode: the remaining options are passed on to each submission's grading.
    const pass = process.argv
      .slice(2)
      .filter(
        (_, i, a) =>
          !["--batch", "--out", "--jobs", "--format"].includes(a[i]) &&
          !["--batch", "--out", "--jobs", "--format"].includes(a[i - 1]),
      );
    const out = v.out ?? "grade-batch";
    const { rows, seconds, graded } = await runBatch({
      folder: v.batch,
      out,
      jobs: v.jobs ? Number(v.jobs) : undefined,
      pass,
      formats: v.format ?? "json,gradescope,html",
    });
    const rate = graded ? ` (${((60 * graded) / seconds).toFixed(1)} per minute)` : "";
    const earlier = graded < rows.length ? `; ${rows.length - graded} graded by an earlier run` : "";
    process.stdout.write(
      `graded ${graded} submissions in ${seconds.toFixed(1)} s${rate}${earlier}; gradebook ${out}/grades.csv, summary ${out}/summary.html\n`,
    );
    return rows.some((r) => r.status === "grader-error") ? 3 : 0;
  }
  if (v.help || args.positionals.length !== 1) {
    process.stderr.write(`${usage}\n`);
    return v.help ? 0 : 3;
  }
  const formats = (v.format?.split(",").map((s) => s.trim()) ?? [...DEFAULT_FORMATS]) as Format[];
  const bad = formats.filter((f) => !FORMATS.includes(f));
  const vis = (v["hidden-visibility"] ?? "after_published") as Visibility;
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const chapters = v.chapters?.split(",").map(Number);
  if (
    bad.length ||
    chapters?.some((c) => !Number.isInteger(c)) ||
    !["visible", "hidden", "after_due_date", "after_published"].includes(vis) ||
    (v.seed && !/^[A-Za-z0-9_.-]{1,64}$/.test(v.seed))
  ) {
    process.stderr.write(`invalid option (formats ${bad.join(",") || "ok"}, chapters, visibility or seed)\n${usage}\n`);
    return 3;
  }
  // without --seed, a PGBOOK_SEED in the environment is the master seed as it is (a replay line of an
  // earlier grading gives the seed that grading used; it is not secret and not keyed again)
  const envSeed = v.seed ? undefined : process.env.PGBOOK_SEED;
  if (envSeed !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(envSeed)) {
    process.stderr.write(`PGBOOK_SEED must be a short word of letters and digits\n`);
    return 3;
  }
  const urlProblem = v["book-url"] === undefined ? undefined : bookUrlProblem(v["book-url"]);
  if (urlProblem) {
    process.stderr.write(`${urlProblem}\n${usage}\n`);
    return 3;
  }
  // The book's anchors are read while the submission is graded (only the machines' formats need none);
  // without them the tags are not linked.
  const linked = formats.some((f) => f !== "json" && f !== "junit");
  if (linked && v["book-url"] === undefined && !existsSync(path.join(ROOT, "site")))
    process.stderr.write(
      `note: tags link to ${path.join(ROOT, "site")}/, which is not built: pass --book-url <the book's address>\n`,
    );
  const anchors = (linked ? bookAnchors() : Promise.resolve(new Map())).catch((e: unknown): BookAnchors => {
    process.stderr.write(`the book's chapters could not be read, so tags are not linked: ${(e as Error).message}\n`);
    return new Map();
  });
  const r = await gradeSubmission({
    masterSeed: envSeed,
    submission: args.positionals[0],
    chapters,
    hidden: v.hidden,
    hiddenVisibility: vis,
    seed: v.seed,
    callTimeoutMs: num(v["timeout-ms"]),
    submissionTimeoutMs: num(v["submission-timeout-ms"]),
    weights: v.weights ? readWeights(v.weights) : undefined,
    specs: v.specs?.split(","),
    slow: v.slow === true,
    requireIsolation: v["require-isolation"] === true,
  });
  const out = v.out ?? "grade-report";
  const secrets = v.seed ? [v.seed] : [];
  const links = { anchors: await anchors, bookUrl: v["book-url"] };
  const files = writeReports(r, formats, out, secrets, links);
  // the console is the student's view too (platforms may show it); report.json keeps the seeds
  if (formats.includes("terminal"))
    process.stdout.write(
      toTerminal(forStudent(r, secrets), process.stdout.isTTY === true, bookLinks(links, process.cwd())),
    );
  process.stdout.write(`reports: ${files.join(", ")}\n`);
  return r.exitCode;
}

process.exitCode = await main();
