/**
 * The student's formats of a grading report (terminal text, report.html, Gradescope results.json)
 * on a report made by hand (report-fixture.ts): each failure once and before the checks that held,
 * each part of it once, no seed or replay command anywhere a student looks when the seed is secret,
 * and tags linked to the page and anchor where the book marks them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bookAnchors, bookUrlProblem, readBookAnchors, type BookAnchors } from "../../scripts/grader/book-links.ts";
import { ROOT } from "../../scripts/grader/contract.ts";
import { escapeHtml } from "../../scripts/lib/text.ts";
import {
  failureParts,
  forStudent,
  toGradescope,
  toHtml,
  toTerminal,
  type BookLinks,
  type Report,
} from "../../scripts/grader/report.ts";
import { DEFAULT_FORMATS, FORMATS, writeReports } from "../../scripts/grader/write.ts";
import { LONG_TOKEN, SEED, fixtureReport } from "./report-fixture.ts";

const count = (text: string, s: string) => text.split(s).length - 1;
const BASE = "https://example.edu/pgbook/";

let anchors: BookAnchors;
let links: BookLinks;
beforeAll(async () => {
  anchors = await readBookAnchors();
  links = { anchors, base: BASE };
});

const r = fixtureReport();
const failed = r.checks.filter((c) => c.status === "failed");
const passed = r.checks.filter((c) => c.status === "passed");
const notAttempted = r.checks.filter((c) => c.status === "not-attempted");
const byTitle = (s: string) => r.checks.find((c) => c.name.includes(s))!;

describe("failureParts(check)", () => {
  it("takes the seed and replay lines out of the message and gives the replay command once", () => {
    const p = failureParts(byTitle("[eq 12]"));
    expect(p.message).toBe(
      "statistical check failed, update0: mean 0.392382 vs 0.195567 (error 0.196815, half-width 0.0305459 at α=1e-9, n=20000, bernstein)",
    );
    expect(p.replay).toEqual([byTitle("[eq 12]").replay]);
    expect(p.tolerance).toMatch(/^±0\.0305459 at α = 1e-9, n = 20000/);
    expect(p.guess).toMatch(/scale error/);
  });

  it("folds the error vitest prints again into the sandbox's line that quotes it", () => {
    expect(failureParts(byTitle("[eq 5]")).message).toBe("gibbsScore threw Error: not implemented yet: gibbsScore");
    // the quoted error was cut at 400 characters; the fold keeps the whole of it, once
    const hostile = failureParts(byTitle("[eq 13]")).message;
    expect(count(hostile, 'alert("x")')).toBe(1);
    expect(hostile).toContain(LONG_TOKEN);
    expect(hostile).not.toContain("characters cut");
  });

  it("puts a comparison's tolerance apart and a property's counterexample apart, with fast-check's seed under replay", () => {
    const exact = failureParts(byTitle("[eq 1]"));
    expect(exact.tolerance).toBe("allowed 1.25e-9 (tolerance 1e-12 + 1e-9·|expected|)");
    expect(exact.message).toMatch(/: error 3\.28e-4 \(relative 2\.63e-4\)$/);
    const prop = failureParts(byTitle("[eq 21]"));
    expect(prop.tolerance).toBe("allowed 5.42e-8 (tolerance 5e-8 + 1e-9·|expected|)");
    expect(prop.counterexample).toMatch(/^property failed at run 1 of 100/);
    expect(prop.counterexample).toContain(
      "shrunk to the simplest failing instance found:\n  #1: { mdp: { P: [[[0.5, 0.5]]]",
    );
    expect(prop.message).not.toContain("property failed");
    expect(prop.replay).toEqual([
      byTitle("[eq 21]").replay,
      "fast-check seed: -596481230, path: 0:0:1:3:2 (replays the shrunk instance)",
    ]);
  });
});

describe("toTerminal(report)", () => {
  const text = toTerminal(r, false, { anchors: new Map([["eq 1", "01-bandits.html#eq-1"]]), base: "site/" });
  it("shows each failed check once, with its function and replay command, before those not attempted and the count of those that held", () => {
    for (const c of failed) expect(count(text, c.name), c.name).toBe(1);
    // one replay command per failed check, none for the check not attempted
    expect(count(text, `PGBOOK_SEED=${SEED}`)).toBe(failed.length);
    expect(count(text, "fast-check seed:")).toBe(1);
    expect(count(text, "update0: mean 0.392382")).toBe(1);
    expect(text).toMatch(
      /✗ Ch\. 1 · 0\/1 · \[eq 1\] reinforceStep[^\n]*\n {4}function {8}reinforceStep\n {4}book {12}\[eq 1\] site\/01-bandits\.html#eq-1\n/,
    );
    const last = Math.max(...failed.map((c) => text.indexOf(c.name)));
    expect(last).toBeLessThan(text.indexOf("1 check not attempted"));
    expect(text.indexOf(notAttempted[0].name)).toBeLessThan(text.indexOf(`✓ ${passed.length} checks held`));
  });

  it("collapses the checks that held into a line per chapter and a count", () => {
    for (const c of passed) expect(text, c.name).not.toContain(c.name);
    for (const ch of r.chapters) expect(text).toContain(`Chapter ${ch.chapter}: ${ch.points}/${ch.max} (`);
    expect(text.split("\n").filter((l) => /^\s*Total \d/.test(l))).toHaveLength(1);
  });
});

describe("toHtml(report)", () => {
  it("shows each failed check once, in order, then those not attempted, then the held ones in a closed <details>", () => {
    const html = toHtml(r, links);
    for (const c of failed) expect(count(html, escapeHtml(c.name)), c.name).toBe(1);
    expect(count(html, `PGBOOK_SEED=${SEED}`)).toBe(failed.length);
    const at = (s: string) => html.indexOf(escapeHtml(s));
    const details = html.indexOf("<details>");
    expect(details).toBeGreaterThan(0); // closed: no `open` attribute
    expect(Math.max(...failed.map((c) => at(c.name)))).toBeLessThan(at(notAttempted[0].name));
    expect(at(notAttempted[0].name)).toBeLessThan(details);
    for (const c of passed) expect(at(c.name), c.name).toBeGreaterThan(details);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("names the function under test of every check", () => {
    const html = toHtml(r, links);
    for (const c of r.checks) for (const f of c.functions) expect(html).toContain(`<code>${f}</code>`);
  });
});

describe("toGradescope(report)", () => {
  it("lists the failed tests first, each with its parts once, then those not attempted, then the held ones, short", () => {
    const gs = toGradescope(r, links);
    const outcome = gs.tests.map((t) =>
      t.status === "passed" ? "held" : t.output.startsWith("not attempted") ? "na" : "failed",
    );
    expect(outcome).toEqual([
      ...failed.map(() => "failed"),
      ...notAttempted.map(() => "na"),
      ...passed.map(() => "held"),
    ]);
    for (const t of gs.tests.filter((t) => t.status === "passed")) expect(t.output).toBe("held");
    const statTest = gs.tests.find((t) => t.name.includes("[eq 12]"))!;
    expect(count(statTest.output, `PGBOOK_SEED=${SEED}`)).toBe(1);
    expect(count(statTest.output, "update0: mean")).toBe(1);
    expect(statTest.output).toContain(`[eq 12] ${BASE}${anchors.get("eq 12")}`);
    expect(gs.tests.map((t) => Object.keys(t).sort().join())).toEqual(
      gs.tests.map(() => "max_score,name,output,score,status,tags,visibility"),
    );
  });
});

describe("a secret seed", () => {
  const SECRET = "hush-secret-77";
  it("leaves no seed, replay command or fast-check seed in any student format; report.json keeps them", () => {
    const out = mkdtempSync(path.join(tmpdir(), "pgbook-report-secret-"));
    const files = writeReports(fixtureReport(SECRET), [...FORMATS], out, [SECRET], { anchors: new Map() });
    expect(files.map((f) => path.basename(f)).sort()).toEqual(
      ["junit.xml", "pl-results.json", "report.html", "report.json", "report.txt", "results.json"].sort(),
    );
    for (const f of files.filter((f) => !f.endsWith("report.json"))) {
      const text = readFileSync(f, "utf8");
      for (const s of [SECRET, "PGBOOK_SEED", "npm run grade", "fast-check seed", "-596481230", "replay: "])
        expect(text.includes(s), `${path.basename(f)} contains ${s}`).toBe(false);
    }
    const json = readFileSync(path.join(out, "report.json"), "utf8");
    expect(json).toContain(`PGBOOK_SEED=${SECRET}`);
    expect(json).toContain("fast-check seed: -596481230");
    const terminal = toTerminal(forStudent(fixtureReport(SECRET), [SECRET]));
    expect(terminal).toContain("graded with a secret seed: replay commands are not shown");
    expect(terminal).not.toMatch(/\n {4}replay /);
  });
});

describe("links from tags to the book", () => {
  /** The chapter that marks \tag{n}, found in the markdown itself: "01-bandits". */
  const pageOfEquation = (n: number) => {
    const dir = path.join(ROOT, "chapters");
    const hits = readdirSync(dir).filter(
      (f) => f.endsWith(".md") && new RegExp(`\\\\tag\\{${n}\\}`).test(readFileSync(path.join(dir, f), "utf8")),
    );
    expect(hits, `chapters marking (${n})`).toHaveLength(1);
    return hits[0].replace(/\.md$/, "");
  };

  it("an equation's tag goes to the page that marks it, at the anchor eq-N (the site's tagId)", () => {
    for (const n of [1, 12, 21, 29]) expect(anchors.get(`eq ${n}`)).toBe(`${pageOfEquation(n)}.html#eq-${n}`);
    // a Chapter 4 check tagged [eq 29] links into the chapter that marks (29), not into Chapter 4
    const html = toHtml(r, links);
    expect(html).toContain(`<a href="${BASE}${pageOfEquation(29)}.html#eq-29">[eq 29]</a>`);
    expect(pageOfEquation(29)).not.toMatch(/^04-/);
  });

  it("a figure's tag goes to the figure (anchor fig-<id>), a section's claim to sec-N_M", () => {
    const src = readFileSync(path.join(ROOT, "chapters", "01-bandits.md"), "utf8");
    expect(src).toMatch(/^::: figure fig1\b/m);
    expect(anchors.get("fig 1")).toBe("01-bandits.html#fig-fig1");
    expect(src).toMatch(/^::: claim sec 1\.4\b/m);
    expect(anchors.get("sec 1.4")).toBe("01-bandits.html#sec-1_4");
  });

  it("reads the marks of any chapters folder: the first mark of a tag wins", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgbook-chapters-"));
    writeFileSync(
      path.join(dir, "01-one.md"),
      "# Chapter 1: One\n\n$$\na = b \\tag{3}\n$$\n\n::: claim sec 1.2\nA claim.\n:::\n",
    );
    writeFileSync(
      path.join(dir, "02-two.md"),
      "# Chapter 2: Two\n\n$$\nc = d \\tag{3}\n$$\n\n$$\ne = f \\tag{4}\n$$\n",
    );
    const a = await readBookAnchors(dir);
    expect(Object.fromEntries(a)).toEqual({
      "eq 3": "01-one.html#eq-3",
      "sec 1.2": "01-one.html#sec-1_2",
      "eq 4": "02-two.html#eq-4",
    });
  });

  it("bookAnchors(root) keeps them in .cache/ under the content of the chapters and the site builder", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "pgbook-anchors-cache-"));
    mkdirSync(path.join(root, "chapters"));
    mkdirSync(path.join(root, "scripts", "site"), { recursive: true });
    writeFileSync(path.join(root, "chapters", "01-one.md"), "# Chapter 1: One\n\n$$\na = b \\tag{3}\n$$\n");
    expect(Object.fromEntries(await bookAnchors(root))).toEqual({ "eq 3": "01-one.html#eq-3" });
    const [saved] = readdirSync(path.join(root, ".cache"));
    expect(saved).toMatch(/^book-anchors-[0-9a-f]{24}\.json$/);
    // the saved anchors are what a second call returns (here edited, to tell them from a fresh read) …
    writeFileSync(path.join(root, ".cache", saved), JSON.stringify({ "eq 3": "01-one.html#eq-3-2" }));
    expect((await bookAnchors(root)).get("eq 3")).toBe("01-one.html#eq-3-2");
    // … unless one is not a page and an anchor
    writeFileSync(path.join(root, ".cache", saved), JSON.stringify({ "eq 3": "javascript:alert(1)" }));
    expect((await bookAnchors(root)).get("eq 3")).toBe("01-one.html#eq-3");
    // a changed chapter is read again
    writeFileSync(path.join(root, "scripts", "site", "x.ts"), "// the parser changed\n");
    writeFileSync(path.join(root, "chapters", "01-one.md"), "# Chapter 1: One\n\n$$\na = b \\tag{4}\n$$\n");
    expect(Object.fromEntries(await bookAnchors(root))).toEqual({ "eq 4": "01-one.html#eq-4" });
  });

  it("a tag the book does not mark is shown without a link", () => {
    const r2: Report = { ...r, checks: r.checks.map((c) => ({ ...c, tags: ["eq 999"] })) };
    const html = toHtml(r2, links);
    expect(html).toContain("[eq 999]");
    expect(html).not.toContain("#eq-999");
  });

  it("by default links start at this clone's site/ folder, relative to the report's folder", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "pgbook-report-links-")), "deep", "er");
    mkdirSync(out, { recursive: true });
    writeReports(r, ["html"], out, [], { anchors });
    const html = readFileSync(path.join(out, "report.html"), "utf8");
    const href = /<a href="([^"]*#eq-1)">\[eq 1\]<\/a>/.exec(html)![1];
    expect(path.resolve(out, href.split("#")[0])).toBe(path.join(ROOT, "site", `${pageOfEquation(1)}.html`));
  });

  it("--book-url takes http(s) and file addresses and paths, and refuses other schemes", () => {
    for (const ok of ["https://example.edu/pgbook/", "http://localhost:8000", "file:///srv/site/", "../site", "site/"])
      expect(bookUrlProblem(ok), ok).toBeUndefined();
    for (const bad of ["javascript:alert(1)", "data:text/html,x"])
      expect(bookUrlProblem(bad)).toMatch(/give an http\(s\) address or a path/);
  });
});

describe("npm run grade's formats", () => {
  it("writes terminal, json and html by default and says so in --help, with --book-url", () => {
    expect(DEFAULT_FORMATS).toEqual(["terminal", "json", "html"]);
    const run = spawnSync("npx", ["tsx", "scripts/grader/grade.ts", "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(0);
    const help = run.stderr;
    expect(help).toContain("(default: terminal,json,html)");
    expect(help).toContain("--book-url URL");
  });
});
