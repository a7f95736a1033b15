/**
 * The grader graded: every example submission in examples/students/ is graded (quick hidden specs of
 * test/grader/fixtures/hidden, plus the book's own 1.1 spec for the correct one) and its outcome is
 * asserted check by check; the Gradescope JSON is validated against a schema of the documented format
 * and the JUnit XML parsed back; untrusted text must come out escaped or stripped in every format.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { GRADER_NODE } from "../../scripts/grader/bundle.ts";
import type { Report } from "../../scripts/grader/report.ts";
import { EXPECTED, HIDDEN, KEYS, expectChapter1, type Key } from "./expected.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = mkdtempSync(path.join(tmpdir(), "pgbook-grader-test-"));

const results = new Map<string, { exit: number; stdout: string; report: Report; dir: string }>();

/** The fields of a Gradescope results.json the checks read (the schema check covers the rest). */
interface GradescopeResults {
  score: number;
  tests: { visibility?: string }[];
}
/** The fields of a PrairieLearn results.json the checks read. */
interface PrairieLearnResults {
  gradable: boolean;
  score: number;
}
/** JUnit XML as fast-xml-parser reads it: one suite or a list of them, attributes as "@_name". */
interface JunitXml {
  testsuites: { testsuite: JunitSuite | JunitSuite[]; "@_failures"?: string };
}
/** A testsuite element: one testcase or a list of them. */
interface JunitSuite {
  testcase: unknown;
}

async function grade(name: string, extra: string[]): Promise<void> {
  const dir = path.join(OUT, name);
  const args = [
    "tsx",
    "scripts/grader/grade.ts",
    `examples/students/${name}`,
    "--format",
    "terminal,json,junit,gradescope,html",
    "--out",
    dir,
    ...extra,
  ];
  let exit = 0;
  let stdout: string;
  try {
    stdout = (await run("npx", args, { cwd: ROOT, maxBuffer: 64 << 20 })).stdout;
  } catch (e) {
    const err = e as { code: number; stdout: string };
    exit = err.code;
    stdout = err.stdout;
  }
  results.set(name, {
    exit,
    stdout,
    report: JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as Report,
    dir,
  });
}

beforeAll(async () => {
  const names = Object.keys(EXPECTED);
  const queue = [...names];
  const worker = async () => {
    for (let n = queue.shift(); n; n = queue.shift())
      await grade(n, ["--specs", "none", "--hidden", HIDDEN, "--chapters", "1"]);
  };
  await Promise.all([worker(), worker(), worker()]);
});

const check = (r: Report, key: Key) => {
  const c = r.checks.find((x) => x.name.includes(KEYS[key]));
  expect(c, `check ${key}`).toBeDefined();
  return c!;
};

describe("grading each example submission", () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: exit ${want.exit}, outcome check by check`, () => {
      const { exit, report } = results.get(name)!;
      expect(exit).toBe(want.exit);
      expect(report.exitCode).toBe(want.exit);
      if (want.exit === 2) {
        expect(report.status).toBe("not-gradable");
        expect(report.typecheck.errors.join("\n")).toMatch(/gibbsPolicy does not match the contract/);
        expect(report.exports).toEqual(expect.arrayContaining(["gibbsPolicy", "gibsScore"]));
        return;
      }
      expectChapter1(report, want);
    });
  }

  it("a failed statistical check reports estimate, expected, bound, n and a scale guess", () => {
    const c = check(results.get("rescaled-update")!.report, "update");
    expect(c.stats?.length).toBeGreaterThan(0);
    const s = c.stats![0];
    expect(s.n).toBe(20_000);
    expect(Math.abs(s.error)).toBeGreaterThan(s.bound);
    expect(c.guess).toMatch(/scale error.*(1\.9|2\.0|2\.1)/);
  });

  it("sandbox messages name the function", () => {
    expect(check(results.get("hang")!.report, "sample").message).toMatch(/sampleAction did not return within 3000 ms/);
    expect(check(results.get("mutates-input")!.report, "policy").message).toMatch(
      /gibbsPolicy modified its argument 1/,
    );
    expect(check(results.get("unbounded-memory")!.report, "grad").message).toMatch(
      /exactPolicyGradient ran out of memory/,
    );
    expect(check(results.get("escape-attempts")!.report, "avg").message).toMatch(
      /runningAverageBaseline called process\.exit/,
    );
    expect(check(results.get("throw-at-import")!.report, "policy").message).toMatch(/the module refuses to load/);
  });

  it("a sampler drawing the wrong action gets the guess 'wrong distribution', a doubled step 'scale'", () => {
    const sorted = check(results.get("ch1-sorted-sampler")!.report, "sample");
    expect(sorted.verdict).toBe("statistical");
    expect(sorted.guess).toMatch(/wrong distribution/);
    expect(sorted.guess).not.toMatch(/scale/);
    expect(check(results.get("rescaled-update")!.report, "update").guess).toMatch(/scale error/);
  });

  it("scores: a chapter's score is the weighted share of its checks that held", () => {
    const r = results.get("score-without-pi")!.report;
    const ch1 = r.chapters.find((c) => c.chapter === 1)!;
    expect(ch1.max).toBe(9);
    expect(ch1.points).toBe(8);
    expect(ch1.score).toBeCloseTo(8 / 9, 12);
    expect(r.commit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
  });
});

describe("untrusted text in every format", () => {
  it("is stripped of control sequences in the terminal, escaped in HTML and JUnit, truncated everywhere", () => {
    const { stdout, dir, report } = results.get("hostile-text")!;
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const msg = check(report, "score").message;
    expect(msg.length).toBeLessThan(2200);
    expect(msg).toContain("characters cut");
    const html = readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    const xml = readFileSync(path.join(dir, "junit.xml"), "utf8");
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as JunitXml;
    const cases = [parsed.testsuites.testsuite]
      .flat()
      .flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Record<string, unknown>[];
    const failed = cases.find((c) => String(c["@_name"]).includes(KEYS.score))!;
    const failure = failed.failure as Record<string, string>;
    expect(failure["#text"]).toContain('<script>alert("x")</script>');
  });
});

const gradescopeSchema = {
  type: "object",
  required: ["score", "tests"],
  properties: {
    score: { type: "number" },
    execution_time: { type: "number" },
    output: { type: "string" },
    visibility: { enum: ["hidden", "after_due_date", "after_published", "visible"] },
    stdout_visibility: { enum: ["hidden", "after_due_date", "after_published", "visible"] },
    tests: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "score", "max_score"],
        properties: {
          name: { type: "string" },
          score: { type: "number" },
          max_score: { type: "number" },
          status: { enum: ["passed", "failed"] },
          output: { type: "string" },
          visibility: { enum: ["hidden", "after_due_date", "after_published", "visible"] },
          tags: { type: "array", items: { type: "string" } },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

describe("report formats", () => {
  const validate = new Ajv({ allErrors: true }).compile(gradescopeSchema);
  it("Gradescope results.json matches the documented format for every example", () => {
    for (const [name, { dir, report }] of results) {
      const gs = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as GradescopeResults;
      expect(validate(gs), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(gs.score).toBe(report.points);
      for (const t of gs.tests) expect(t.visibility).toBe("after_published");
    }
  });
  it("JUnit XML parses, with one testcase per check and failures counted", () => {
    for (const [name, { dir, report }] of results) {
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(
        readFileSync(path.join(dir, "junit.xml"), "utf8"),
      ) as JunitXml;
      const suites = [parsed.testsuites.testsuite].flat().filter(Boolean);
      const cases = suites.flatMap((s) => [s.testcase].flat().filter(Boolean));
      const expected = report.checks.length + (report.status === "not-gradable" ? 1 : 0);
      expect(cases.length, name).toBe(expected);
      expect(Number(parsed.testsuites["@_failures"]), name).toBe(
        report.checks.filter((c) => c.status === "failed").length,
      );
    }
  });
});

describe("the book's own specs through the sandbox", () => {
  it("the correct example passes the 1.1 spec and the starter fails every check cleanly", async () => {
    await grade("correct", ["--specs", "1.1-reinforce", "--chapters", "1", "--out", path.join(OUT, "correct-book")]);
    const r = JSON.parse(readFileSync(path.join(OUT, "correct-book", "report.json"), "utf8")) as Report;
    expect(r.checks.length).toBeGreaterThan(0);
    expect(r.checks.filter((c) => c.status !== "passed").map((c) => c.name)).toEqual([]);
    expect(r.exitCode).toBe(0);
    const dir = path.join(OUT, "starter");
    let code = 0;
    try {
      await run(
        "npx",
        [
          "tsx",
          "scripts/grader/grade.ts",
          "starter",
          "--specs",
          "none",
          "--hidden",
          HIDDEN,
          "--chapters",
          "1",
          "--out",
          dir,
        ],
        { cwd: ROOT },
      );
    } catch (e) {
      code = (e as { code: number }).code;
    }
    expect(code).toBe(1);
    const s = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as Report;
    expect(s.checks.length).toBe(9);
    for (const c of s.checks) {
      expect(c.status).toBe("failed");
      expect(c.message).toMatch(/not implemented yet/);
    }
  });
});

describe("batch mode", () => {
  it("grades a folder of submissions into a gradebook and a summary, and resumes without regrading", async () => {
    const { cpSync, statSync } = await import("node:fs");
    const folder = path.join(OUT, "batch-in");
    for (const n of ["correct", "score-without-pi", "not-gradable-signature"])
      cpSync(path.join(ROOT, "examples/students", n), path.join(folder, n), { recursive: true });
    const out = path.join(OUT, "batch-out");
    const args = [
      "tsx",
      "scripts/grader/grade.ts",
      "--batch",
      folder,
      "--out",
      out,
      "--jobs",
      "2",
      "--specs",
      "none",
      "--hidden",
      HIDDEN,
      "--chapters",
      "1",
    ];
    await run("npx", args, { cwd: ROOT });
    const csv = readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("submission,chapter 1,total,max,status,seconds,reason");
    expect(csv.slice(1).map((l) => l.split(",").slice(0, 5).join(","))).toEqual([
      "correct,9,9,9,passed",
      "not-gradable-signature,0,0,0,not-gradable",
      "score-without-pi,8,8,9,failed",
    ]);
    const html = readFileSync(path.join(out, "summary.html"), "utf8");
    expect(html).toContain("[eq 5] gibbsScore");
    const before = statSync(path.join(out, "correct", "report.json")).mtimeMs;
    await run("npx", args, { cwd: ROOT });
    expect(statSync(path.join(out, "correct", "report.json")).mtimeMs).toBe(before);
  });
});

describe("platform bundles", () => {
  const validateGs = new Ajv({ allErrors: true }).compile(gradescopeSchema);
  const plSchema = {
    type: "object",
    required: ["gradable", "score", "tests"],
    properties: {
      gradable: { type: "boolean" },
      score: { type: "number", minimum: 0, maximum: 1 },
      message: { type: "string" },
      output: { type: "string" },
      tests: {
        type: "array",
        items: {
          type: "object",
          required: ["name", "points", "max_points"],
          properties: {
            name: { type: "string" },
            description: { type: "string" },
            points: { type: "number" },
            max_points: { type: "number" },
            message: { type: "string" },
            output: { type: "string" },
          },
          additionalProperties: false,
        },
      },
    },
  };
  const validatePl = new Ajv({ allErrors: true }).compile(plSchema);

  it("Gradescope: run_autograder grades /autograder/submission into a valid results.json", async () => {
    const out = path.join(OUT, "bundles");
    await run(
      "npx",
      [
        "tsx",
        "scripts/grader/bundle.ts",
        "--platform",
        "gradescope",
        "--chapters",
        "1",
        "--hidden",
        HIDDEN,
        "--specs",
        "none",
        "--out",
        out,
      ],
      { cwd: ROOT },
    );
    const root = path.join(OUT, "gs-root");
    mkdirSync(path.join(root, "source"), { recursive: true });
    await run("unzip", ["-q", path.join(out, "pgbook-gradescope.zip"), "-d", path.join(root, "source")]);
    symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "source", "node_modules"));
    cpSync(path.join(ROOT, "examples/students/score-without-pi"), path.join(root, "submission"), { recursive: true });
    cpSync(path.join(ROOT, "examples/students/correct"), path.join(root, "correct"), { recursive: true });
    await run("bash", [path.join(root, "source", "run_autograder")], {
      env: { ...process.env, AUTOGRADER_ROOT: root },
    });
    const gs = JSON.parse(readFileSync(path.join(root, "results", "results.json"), "utf8")) as GradescopeResults;
    expect(validateGs(gs), JSON.stringify(validateGs.errors)).toBe(true);
    expect(gs.score).toBe(8);
    expect(gs.tests).toHaveLength(9);
  });

  it("PrairieLearn: run.sh grades /grade/student into a valid results.json", async () => {
    const out = path.join(OUT, "bundles");
    await run(
      "npx",
      [
        "tsx",
        "scripts/grader/bundle.ts",
        "--platform",
        "prairielearn",
        "--chapters",
        "1",
        "--hidden",
        HIDDEN,
        "--specs",
        "none",
        "--out",
        out,
      ],
      { cwd: ROOT },
    );
    const dir = path.join(out, "pgbook-prairielearn");
    // a current LTS Node, and bubblewrap for the sandbox's namespaces
    expect(readFileSync(path.join(dir, "Dockerfile"), "utf8")).toContain(`FROM node:${GRADER_NODE}-bookworm-slim`);
    expect(readFileSync(path.join(dir, "Dockerfile"), "utf8")).toMatch(/apt-get install .*bubblewrap/);
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    const root = path.join(OUT, "pl-root");
    cpSync(path.join(ROOT, "examples/students/not-gradable-signature"), path.join(root, "student"), {
      recursive: true,
    });
    await run("bash", [path.join(dir, "run.sh")], { env: { ...process.env, PL_ROOT: root } });
    const pl = JSON.parse(readFileSync(path.join(root, "results", "results.json"), "utf8")) as PrairieLearnResults;
    expect(validatePl(pl), JSON.stringify(validatePl.errors)).toBe(true);
    expect(pl.gradable).toBe(false);
    expect(pl.score).toBe(0);
  });
});
