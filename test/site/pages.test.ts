/**
 * What the pages hold, read from the HTML the builder writes: an equation's number beside its math, the
 * errata's badges, source pages that copy back as their files, the report collapsed (failures open),
 * seeds said once, the contents numbered once, the calibration's failures named, and the search index.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite } from "../../scripts/site/build.ts";
import { seedHtml } from "../../scripts/site/checks.ts";
import { breakableCommas, makeMarkdown, parsePage } from "../../scripts/site/markdown.ts";
import { mathText, searchIndex, type SearchEntry } from "../../scripts/site/search.ts";
import { sourceBody } from "../../scripts/site/sources.ts";
import { CH1, ERRATA, check, passing, project } from "./fixtures.ts";
import { unescapeHtml } from "../../scripts/site/html.ts";

async function built(files: Record<string, string> = { "01-bandits.md": CH1, "errata.md": ERRATA }, tests = passing()) {
  const p = project(files);
  const o = await buildSite(p.input(tests));
  expect(o.ok).toBe(true);
  return { p, read: (rel: string) => readFileSync(path.join(p.root, "site", rel), "utf8") };
}

describe("equations", () => {
  it("carry their number beside the math, not typeset inside it, and the badge after both", async () => {
    const { read } = await built();
    const eq = /<div class="equation marked" id="eq-5">([\s\S]*?)<\/div>\n/.exec(read("01-bandits.html"))![1];
    expect(eq).toMatch(
      /^<div class="eq-math"><span class="katex-display">[\s\S]*<\/span><\/div><span class="eq-num">\(5\)<\/span><details class="badge held"/,
    );
    expect(eq).not.toContain("katex-tag");
    // the TeX KaTeX was given has no \tag left in it
    expect(eq).toContain("1_a - \\pi_\\theta");
    expect(eq).not.toMatch(/<annotation[^>]*>[^<]*\\tag/);
  });

  it("keep \\tag*{N} unparenthesized", () => {
    const page = parsePage(makeMarkdown(), "x.md", "x", "# X\n\n$$\na = b \\tag*{7}\n$$\n", () => undefined);
    expect(page.errors).toEqual([]);
    expect(page.marks.map((m) => m.tags)).toEqual([["eq 7"]]);
    expect(page.tokens.find((t) => t.type === "math_block")?.meta?.number).toBe("7");
  });
});

describe("breakableCommas(tex)", () => {
  it("lets inline math break after a comma at its top level only", () => {
    expect(breakableCommas("(18/289, -18/289, 105/1156)")).toBe(
      "(18/289,\\allowbreak  -18/289,\\allowbreak  105/1156)",
    );
    expect(breakableCommas("f_{a,b}(x)")).toBe("f_{a,b}(x)");
    expect(breakableCommas("\\left(a, b\\right), c")).toBe("\\left(a, b\\right),\\allowbreak  c");
    expect(breakableCommas("a\\,b")).toBe("a\\,b");
  });
});

describe("the errata page", () => {
  it("gives each erratum its badge, linking to its check in the report", async () => {
    const { read } = await built();
    const errata = read("errata.html");
    expect(errata).toMatch(
      /<div class="claim marked" id="erratum-max-in-q"><div class="claim-head">[\s\S]*?<details class="badge held" data-tags="erratum max-in-q">/,
    );
    expect(errata).toContain('<a href="report.html#erratum-max-in-q">[erratum max-in-q]</a>');
    expect(errata).toContain('href="source/spec/1-x/1.1-x.spec.ts.html#L7"');
  });
});

describe("sourceBody(file)", () => {
  it("holds the file's text exactly once: the line numbers are drawn by CSS, not written in", () => {
    const text = "const a = 1;\n\n  if (a < 2 && a > 0) return '<x>';\n";
    const html = sourceBody({ rel: "src/x.ts", text });
    expect(unescapeHtml(html.replace(/<[^>]*>/g, ""))).toBe(text);
    expect(html).toContain(
      '<span class="ln" id="L2"><a class="n" href="#L2" data-n="2"></a></span>\n<span class="ln" id="L3">',
    );
    expect(sourceBody({ rel: "src/y.ts", text: "no final newline" })).toMatch(/no final newline<\/span><\/pre>$/);
  });
});

describe("the report", () => {
  it("is collapsed: each spec file and each check shows only its title until opened", async () => {
    const { read } = await built();
    const report = read("report.html");
    expect(report).toContain(
      '<details class="spec-file"><summary><h3><a href="source/spec/1-x/1.1-x.spec.ts.html">spec/1-x/1.1-x.spec.ts</a>',
    );
    expect(report.match(/<details class="check passed"><summary class="check-title">/g)).toHaveLength(6);
    expect(report).not.toMatch(/<details[^>]* open/);
    // the claims table scrolls inside its own box on a narrow screen
    expect(report).toContain('<div class="table-wrap"><table class="report">');
  });

  it("opens a failed check and its spec file", async () => {
    const tests = passing();
    tests[2] = check("[fig 1] reinforce concentrates on the best arm", "failed");
    const { read } = await built(undefined, tests);
    const report = read("report.html");
    expect(report).toContain('<details class="spec-file" open>');
    expect(report).toMatch(
      /<details class="check failed" open><summary class="check-title"><span class="pill failed">FAILED<\/span> section 1\.1 &gt; \[fig 1\]/,
    );
    expect(report.match(/<details class="check passed">/g)).toHaveLength(5);
  });
});

describe("seedHtml(check)", () => {
  it("names the master seed and does not repeat the spec path and name the seed is derived from", () => {
    const t = check("[eq 5] the score");
    const seed = (s: string) => seedHtml({ ...t, meta: { ...t.meta!, seed: s } });
    const own = `20251117/${t.file}/${t.file} > ${t.fullName}`;
    expect(seed(own)).toBe(
      "derived from the master seed <code>20251117</code>, the spec file and the check's full name",
    );
    expect(seed(`${own}/run 3`)).toBe(
      "derived from the master seed <code>20251117</code>, the spec file and the check's full name, then <code>run 3</code>",
    );
    expect(seed(`20251117/${t.file}/${t.fullName}`)).toContain("derived from the master seed");
    expect(seed("something else")).toBe("<code>something else</code>");
  });
});

describe("the index", () => {
  it("lists the chapters with the number their titles carry, once", async () => {
    const { read } = await built({
      "01-bandits.md": CH1.replace("# Chapter 1: Bandits", "# 1. Bandits"),
      "errata.md": ERRATA,
    });
    const index = read("index.html");
    expect(index).toContain('<h2>Contents</h2><ul class="toc"><li><a href="01-bandits.html">1. Bandits</a>');
    expect(index).not.toContain("<ol");
  });

  it("names the checks a calibration found failing", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    mkdirSync(path.join(p.root, "measured"));
    const calibration = {
      date: "2026-12-01T00:00:00.000Z",
      alpha: 0.01,
      seeds: ["cal-0", "cal-1"],
      checks: [{ failures: 3, runs: 2 }],
      suspicious: ["spec/1-x/1.1-x.spec.ts > sampler mean"],
      otherFailures: [{ check: "spec/1-x/1.1-x.spec.ts > [eq 5] the score sums to zero", seeds: ["cal-1"] }],
    };
    writeFileSync(path.join(p.root, "measured", "calibration.json"), JSON.stringify(calibration));
    expect((await buildSite(p.input(passing()))).ok).toBe(true);
    const index = readFileSync(path.join(p.root, "site", "index.html"), "utf8");
    expect(index).toContain(
      "1 of 1 Monte Carlo check failed more often than its stated rate allows: spec/1-x/1.1-x.spec.ts &gt; sampler mean; " +
        "1 exact/property check failed under some seed: spec/1-x/1.1-x.spec.ts &gt; [eq 5] the score sums to zero (seed cal-1)",
    );
  });
});

describe("searchIndex(pages, functions, checks)", () => {
  const entries = (): SearchEntry[] => {
    const md = makeMarkdown();
    const page = parsePage(
      md,
      "chapters/01-bandits.md",
      "01-bandits",
      CH1.replace("is the policy.", "is the policy.\n\n## 1.2 More\n\nA baseline."),
      (id) => (id === "probs" ? ["fig 1"] : undefined),
    );
    return searchIndex([page], new Map([["gibbsScore", { file: "src/gibbs.ts", line: 2 }]]), passing());
  };

  it("holds the page's sections, its marks with their tags, and the functions with the claims that check them", () => {
    const byKind = (k: string) => entries().filter((e) => e.k === k);
    expect(byKind("section").map((e) => [e.t, e.h])).toEqual([
      ["Chapter 1: Bandits", "01-bandits.html"],
      ["1.2 More — 1. Bandits", "01-bandits.html#1-2-more"],
    ]);
    // a section's text runs from its heading to the next one, the captions and claims in it included
    expect(byKind("section")[1].x).toBe(
      "1.2 More A baseline. Probabilities over time; 100 runs, step size 0.05, seed 20251117. A baseline changes no expectation.",
    );
    const eq = byKind("equation")[0];
    expect([eq.t, eq.h, eq.g]).toEqual(["(5) 1.2 More — 1. Bandits", "01-bandits.html#eq-5", ["eq 5"]]);
    expect(eq.x).toContain("∇θln");
    expect(byKind("figure").map((e) => [e.t, e.g])).toEqual([
      ["[fig 1] Probabilities over time; 100 runs, step size 0.05, seed 20251117.", ["fig 1"]],
    ]);
    expect(byKind("claim").map((e) => [e.h, e.g])).toEqual([["01-bandits.html#sec-1_4", ["sec 1.4"]]]);
    expect(byKind("function")).toEqual([
      {
        k: "function",
        t: "gibbsScore",
        h: "source/src/gibbs.ts.html#L2",
        g: [],
        x: "src/gibbs.ts:2 checked by [eq 5]",
      },
    ]);
  });

  it("writes math as its characters (from KaTeX's MathML), never as TeX", () => {
    const first = entries()[0];
    expect(first.x).toContain("Softmax πθ(a)=eθa/∑beθb is the policy.");
    expect(
      mathText(
        '<span class="katex"><math><mi>a</mi><mo>&lt;</mo><mi>b</mi><annotation encoding="application/x-tex">a &lt; b</annotation></math></span>',
      ),
    ).toBe("a<b");
  });

  it("goes into search.html as JSON that no text of the book can end early", async () => {
    const { read } = await built({
      "01-bandits.md": `${CH1}\nA note about \`</script><script>alert(1)</script>\`.\n`,
      "errata.md": ERRATA,
    });
    const html = read("search.html");
    const json = /<script type="application\/json" id="search-index">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(json).not.toContain("</");
    expect(JSON.stringify(JSON.parse(json))).toContain("</script><script>alert(1)</script>");
    expect(html).toContain('<script src="assets/search.js"></script>');
    // every page's header has the form that opens it
    expect(read("01-bandits.html")).toContain('<form class="search" action="search.html" role="search">');
    expect(read("source/src/gibbs.ts.html")).toContain(
      '<form class="search" action="../../search.html" role="search">',
    );
  });
});
