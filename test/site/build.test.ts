/** The site builder's core on small fixture chapters and results: pages, badges, failures, input errors. */
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite, formatErrors, shortTitle, type SiteOutcome } from "../../scripts/site/build.ts";
import { CH1, ERRATA, check, passing, project } from "./fixtures.ts";

function errorsOf(o: SiteOutcome): string {
  expect(o.ok).toBe(false);
  return o.ok ? "" : formatErrors(o.errors);
}

/** Build once successfully, then run `bad`: the failed build must leave that first site as it was. */
async function expectUntouched(p: ReturnType<typeof project>, bad: () => Promise<SiteOutcome>): Promise<string> {
  const ok = await buildSite(p.input(passing()));
  expect(ok.ok).toBe(true);
  const site = path.join(p.root, "site");
  const before = readFileSync(path.join(site, "01-bandits.html"), "utf8");
  const msg = errorsOf(await bad());
  expect(readFileSync(path.join(site, "01-bandits.html"), "utf8")).toBe(before);
  // no temporary folders left behind
  expect(readdirSync(p.root).filter((f) => f.startsWith(".site-tmp"))).toEqual([]);
  return msg;
}

describe("buildSite: a passing book", () => {
  it("writes every page with typeset math, a badge at every mark, the figure and the summary", async () => {
    const p = project({
      "01-bandits.md": CH1,
      "02-mdps.md": "# Chapter 2: MDPs\n\nText.\n",
      "errata.md": ERRATA,
      "notation.md": "# Notation\n\n$\\theta$: parameters.\n",
      "references.md": "# References\n\n- Van Roy (2025).\n",
    });
    const o = await buildSite(p.input(passing()));
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.claims).toBe(4);
    expect(o.claimsHeld).toBe(4);
    expect(o.checks).toBe(6);
    expect(o.bound).toBeCloseTo(5 * 2e-9, 20);
    const site = path.join(p.root, "site");
    for (const f of [
      "index.html",
      "01-bandits.html",
      "02-mdps.html",
      "errata.html",
      "notation.html",
      "references.html",
      "report.html",
      "assets/style.css",
      "assets/katex/katex.min.css",
    ])
      expect(existsSync(path.join(site, f)), f).toBe(true);
    expect(readdirSync(path.join(site, "assets/katex/fonts")).some((f) => f.endsWith(".woff2"))).toBe(true);
    const ch = readFileSync(path.join(site, "01-bandits.html"), "utf8");
    expect(ch).toContain('class="katex"');
    expect(ch).not.toContain("$$");
    // equation (5) keeps its number and carries a held badge
    expect(ch).toMatch(/<div class="equation marked" id="eq-5">[\s\S]*?\(5\)[\s\S]*?<details class="badge held"/);
    expect(ch.match(/<details class="badge /g)).toHaveLength(3); // eq 5, figure, sec 1.4
    expect(ch).toMatch(/<figure class="figure marked" id="fig-probs"><div class="figure-svg"><svg/);
    // the check's details: kind, design, seed, replay and links to spec and implementation
    expect(ch).toContain("Monte Carlo");
    expect(ch).toContain("detectable deviation");
    expect(ch).toContain('href="source/spec/1-x/1.1-x.spec.ts.html#L7"');
    expect(ch).toContain('href="source/src/gibbs.ts.html#L2"');
    expect(ch).toContain("PGBOOK_SEED=20251117 npx vitest run spec/1-x/1.1-x.spec.ts");
    // prev/next: chapter 1 → contents / chapter 2
    expect(ch).toContain('class="next" href="02-mdps.html"');
    expect(readFileSync(path.join(site, "02-mdps.html"), "utf8")).toContain('class="prev" href="01-bandits.html"');
    const index = readFileSync(path.join(site, "index.html"), "utf8");
    expect(index).toContain("All 4 claims held");
    expect(index).toContain("abc1234");
    expect(index).toContain("20251117");
    expect(index).toContain("1.0e-8");
    expect(index).toMatch(/checks took<\/th><td>4\.0 s/);
    expect(index).toContain("site built");
    const src = readFileSync(path.join(site, "source/src/gibbs.ts.html"), "utf8");
    expect(src).toContain('id="L2"');
    expect(src).toContain('href="../../assets/style.css"');
    expect(readFileSync(path.join(site, "report.html"), "utf8")).toContain('id="erratum-max-in-q"');
  });
});

describe("buildSite: a failing claim", () => {
  it("still writes the whole site, with the failure on its page, the index and the report", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const tests = passing();
    tests[2] = check("[fig 1] reinforce concentrates on the best arm", "failed");
    const o = await buildSite(p.input(tests));
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.claimsFailed).toBe(1);
    expect(o.failedTags).toEqual(["fig 1"]);
    expect(o.checksFailed).toBe(1);
    const site = path.join(p.root, "site");
    const ch = readFileSync(path.join(site, "01-bandits.html"), "utf8");
    expect(ch).toContain('class="banner failed"');
    expect(ch).toContain('href="#fig-probs"');
    expect(ch).toMatch(/<details class="badge failed"[^>]* open>/);
    expect(ch).toContain("expected 0.5 to be close to 0.6");
    const index = readFileSync(path.join(site, "index.html"), "utf8");
    expect(index).toMatch(/banner failed[\s\S]*1 claim failed[\s\S]*\[fig 1\]/);
    expect(readFileSync(path.join(site, "errata.html"), "utf8")).not.toContain("banner failed");
    expect(readFileSync(path.join(site, "report.html"), "utf8")).toContain("1 check failed");
  });

  it("shows spec files that failed to load", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const o = await buildSite(p.input(passing(), ["spec/2-y/2.1.spec.ts: SyntaxError: nope"]));
    expect(o.ok && o.loadErrors.length).toBe(1);
    expect(readFileSync(path.join(p.root, "site", "index.html"), "utf8")).toContain("1 spec file(s) failed to load");
    expect(readFileSync(path.join(p.root, "site", "report.html"), "utf8")).toContain("SyntaxError: nope");
  });
});

describe("buildSite: bad input stops the build with file:line and leaves the previous site", () => {
  it("a mark with no check", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const msg = await expectUntouched(p, () =>
      buildSite(p.input(passing().filter((t) => !t.tags.includes("sec 1.4")))),
    );
    expect(msg).toBe(
      "chapters/01-bandits.md:13: [sec 1.4] is marked here but no check carries the tag [sec 1.4] in its title",
    );
  });

  it("a tag that no chapter marks", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const msg = await expectUntouched(p, () =>
      buildSite(p.input([...passing(), check("[eq 7] the average reward"), check("[eq 7] again")])),
    );
    expect(msg).toBe(
      'spec/1-x/1.1-x.spec.ts:7: the tag [eq 7] of "[eq 7] the average reward" (and 1 more check) is not marked in any chapter: add \\tag{7} to its display equation',
    );
  });

  it("malformed math, display and inline, with the line of the error", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const msg = await expectUntouched(p, () => {
      writeFileSync(
        path.join(p.root, "chapters", "02-bad.md"),
        "# Two\n\nFine $x$ here,\nthen $\\frac{1}{$ broken.\n\n$$\n\\sqrt{x\n$$\n",
      );
      return buildSite(p.input(passing()));
    });
    const lines = msg.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^chapters\/02-bad\.md:4: malformed math: /);
    expect(lines[1]).toMatch(/^chapters\/02-bad\.md:6: malformed math: /);
  });

  it("an unknown directive", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const msg = await expectUntouched(p, () => {
      writeFileSync(path.join(p.root, "chapters", "02-bad.md"), "# Two\n\n::: theorem 3\nText.\n:::\n");
      return buildSite(p.input(passing()));
    });
    expect(msg).toBe('chapters/02-bad.md:3: unknown directive "::: theorem" (known: ::: figure, ::: claim)');
  });

  it("an unknown figure id", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const msg = await expectUntouched(p, () => {
      writeFileSync(
        path.join(p.root, "chapters", "01-bandits.md"),
        CH1.replace("::: figure probs", "::: figure probz"),
      );
      return buildSite(p.input(passing()));
    });
    expect(msg).toContain('chapters/01-bandits.md:9: unknown figure id "probz"');
    // with the figure gone, [fig 1] is now unmarked: reported at its spec
    expect(msg).toContain("spec/1-x/1.1-x.spec.ts:7: the tag [fig 1]");
  });

  it("a figure whose experiment throws", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const input = p.input(passing());
    input.figures = { probs: { tags: ["fig 1"], alt: "x", render: () => Promise.reject(new Error("diverged")) } };
    const msg = errorsOf(await buildSite(input));
    expect(msg).toBe('chapters/01-bandits.md:9: figure "probs" failed to render: diverged');
    expect(existsSync(path.join(p.root, "site"))).toBe(false);
  });

  it("a claim block without a tag, a stray :::, an equation number outside the math, a page without a title", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    writeFileSync(path.join(p.root, "chapters", "02-bad.md"), "# Two\n\n::: claim\nx\n:::\n\n:::\n\n$$\nx\n$$ (3)\n");
    writeFileSync(path.join(p.root, "chapters", "03-none.md"), "No title.\n");
    const msg = errorsOf(await buildSite(p.input(passing())));
    expect(msg.split("\n")).toEqual([
      "chapters/02-bad.md:3: `::: claim `: expected a tag such as `sec 3.2` or `erratum max-in-q` (or several in brackets: `[sec 2.3] [erratum x]`)",
      "chapters/02-bad.md:7: stray `:::` (a directive closed twice, or one that never opened?)",
      "chapters/02-bad.md:9: write the equation number inside the math as \\tag{3}, not after the closing $$",
      "chapters/03-none.md:1: the page has no `# Title` heading",
    ]);
  });

  it("several tags on one claim block, and several equation marks of one tag", async () => {
    const p = project({
      "01-bandits.md": CH1.replace("::: claim sec 1.4", "::: claim [sec 1.4] [erratum b0]") + "\n$$\nx \\tag{5}\n$$\n",
      "errata.md": ERRATA,
    });
    const o = await buildSite(p.input([...passing(), check("[erratum b0] the baseline at t = 0")]));
    expect(o.ok).toBe(true);
    const ch = readFileSync(path.join(p.root, "site", "01-bandits.html"), "utf8");
    expect(ch).toContain('id="eq-5-2"');
    expect(ch).toContain('data-tags="sec 1.4|erratum b0"');
  });
});

describe("buildSite: the swap", () => {
  it("replaces a previous site completely", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    mkdirSync(path.join(p.root, "site"));
    writeFileSync(path.join(p.root, "site", "stale.html"), "old");
    expect((await buildSite(p.input(passing()))).ok).toBe(true);
    expect(existsSync(path.join(p.root, "site", "stale.html"))).toBe(false);
    expect(existsSync(path.join(p.root, "site", "index.html"))).toBe(true);
  });
});

describe("shortTitle", () => {
  it("gives navigation labels with the chapter number once", () => {
    expect(shortTitle({ title: "1. Bandits: REINFORCE in its simplest setting", name: "01-bandits" })).toBe(
      "1. Bandits",
    );
    expect(shortTitle({ title: "Chapter 3: Total return", name: "03-total-return" })).toBe("3. Total return");
    expect(shortTitle({ title: "Language models", name: "04-lm" })).toBe("4. Language models");
    expect(shortTitle({ title: "Errata", name: "errata" })).toBe("Errata");
  });
});

describe("buildSite: numbers and settings from the checks", () => {
  const withFacts = (facts: Record<string, number | string>, extra: Record<string, unknown> = {}) => {
    const tests = passing();
    tests[2] = check("[fig 1] reinforce concentrates on the best arm", "passed", {
      meta: { ...tests[2].meta!, facts, ...extra },
    });
    return tests;
  };
  const CH1_FACTS = CH1.replace(
    "Probabilities over time; 100 runs, step size 0.05, seed 20251117.",
    "Probabilities over time; {{fig1.runs}} runs, step size {{fig1.stepSize}}, seen {{fig1.hit.successes}} of {{fig1.runs}}, fails at ≤ {{fig1.hit.p1 | percent-down}}.",
  );

  it("puts each {{name}} in from the facts the checks recorded, formatted, in captions and prose", async () => {
    const p = project({
      "01-bandits.md": CH1_FACTS + "\nThe step size is ${{fig1.stepSize}}$.\n",
      "errata.md": ERRATA,
    });
    const o = await buildSite(
      p.input(
        withFacts({ "fig1.runs": 1100, "fig1.stepSize": 0.05, "fig1.hit.successes": 1031, "fig1.hit.p1": 0.80529 }),
      ),
    );
    expect(o.ok).toBe(true);
    const ch = readFileSync(path.join(p.root, "site", "01-bandits.html"), "utf8");
    expect(ch).toContain("Probabilities over time; 1,100 runs, step size 0.05, seen 1,031 of 1,100, fails at ≤ 80.5%.");
    expect(ch).not.toContain("{{");
    expect(ch).toMatch(/The step size is <span class="katex">[\s\S]*?0\.05/);
  });

  it("stops at a name no check recorded, or one two checks recorded differently, with file:line", async () => {
    const p = project({ "01-bandits.md": CH1_FACTS, "errata.md": ERRATA });
    const missing = errorsOf(
      await buildSite(p.input(withFacts({ "fig1.runs": 1100, "fig1.stepSize": 0.05, "fig1.hit.successes": 3 }))),
    );
    expect(missing).toBe(
      'chapters/01-bandits.md:10: unknown fact {{fig1.hit.p1 | percent-down}}: no check recorded "fig1.hit.p1" (recorded under "fig1.": fig1.hit.successes, fig1.runs, fig1.stepSize)',
    );
    const tests = withFacts({ "fig1.runs": 1100, "fig1.stepSize": 0.05, "fig1.hit.successes": 3, "fig1.hit.p1": 0.8 });
    tests[3] = check("[sec 1.4] a baseline changes no expectation", "passed", {
      meta: { ...tests[3].meta!, facts: { "fig1.runs": 1000 } },
    });
    const ambiguous = errorsOf(await buildSite(p.input(tests)));
    expect(ambiguous).toContain(
      "chapters/01-bandits.md:10: fact {{fig1.runs}} is ambiguous: checks recorded 1100 and 1000",
    );
  });

  it("leaves TeX braces alone and rejects an unknown format", async () => {
    const p = project({ "01-bandits.md": CH1 + "\n$\\frac{{a}}{b}$ and {{fig1.runs | bold}}\n", "errata.md": ERRATA });
    const msg = errorsOf(await buildSite(p.input(withFacts({ "fig1.runs": 7 }))));
    expect(msg).toBe(
      'chapters/01-bandits.md:17: {{fig1.runs | bold}}: unknown format "bold" (known: percent, percent-down, percent-up)',
    );
  });

  it("reads the settings on a figure's directive line and stops at a malformed one", async () => {
    const good = project({
      "01-bandits.md": CH1.replace("::: figure probs", "::: figure probs stepSize=0.05 armProbabilities=0.6,0.4"),
      "errata.md": ERRATA,
    });
    expect((await buildSite(good.input(passing()))).ok).toBe(true);
    const bad = project({
      "01-bandits.md": CH1.replace("::: figure probs", "::: figure probs stepSize=fast"),
      "errata.md": ERRATA,
    });
    expect(errorsOf(await buildSite(bad.input(passing())))).toBe(
      'chapters/01-bandits.md:9: figure setting "stepSize=fast" is not of the form name=number or name=n1,n2,… (e.g. stepSize=0.05 or armProbabilities=0.6,0.4)',
    );
  });

  it("hands each figure the master seed and the facts", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const input = p.input(withFacts({ "fig1.runs": 42 }));
    const seen: string[] = [];
    input.figures = {
      probs: {
        tags: ["fig 1"],
        alt: "x",
        render: (ctx) => {
          seen.push(`${ctx?.masterSeed} ${ctx?.fact("fig1.runs")}`);
          expect(() => ctx?.fact("fig1.nope")).toThrow('no check recorded the fact "fig1.nope"');
          return "<svg></svg>";
        },
      },
    };
    expect((await buildSite(input)).ok).toBe(true);
    expect(seen).toEqual(["20251117 42"]);
  });

  it("shows a rate claim's power on its badge: fails w.p. ≥ 1 − β at p1, in the safe direction", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA });
    const rate = (label: string, p0: number, p1: number, extra: Record<string, number> = {}) => ({
      [`${label}.successes`]: 1031,
      [`${label}.runs`]: 1100,
      [`${label}.p0`]: p0,
      [`${label}.critical`]: 926,
      [`${label}.p1`]: p1,
      ...extra,
    });
    const facts = {
      ...rate("fig1.hit", 0.9, 0.80529),
      ...rate("fig1.miss", 0.8, 0.89865),
      ...rate("fig1.control", 0.9, 0.80529, { "fig1.control.controlRate": 0.7, "fig1.control.miss": 1e-24 }),
    };
    expect((await buildSite(p.input(withFacts(facts, { p1: 0.80529, powerBeta: 1e-3 })))).ok).toBe(true);
    const ch = readFileSync(path.join(p.root, "site", "01-bandits.html"), "utf8");
    const summary = /<figure[\s\S]*?<summary[^>]*>([\s\S]*?)<\/summary>/.exec(ch)![1];
    expect(summary).toContain('<span class="badge-power"');
    expect(summary).toContain("≥ 90%: fails w.p. ≥ 0.999 at ≤ 80.5% · ≤ 80%: fails w.p. ≥ 0.999 at ≥ 89.9%");
    expect(summary).not.toContain("70%"); // controls are not claims
    expect(ch).toContain("rate ≥ 90%: 1,031 of 1,100 runs; needs ≥ 926; fails w.p. ≥ 0.999 at ≤ 80.5%");
    expect(ch).toContain("its learner&#39;s rate is at most 70% exactly, so it passes with probability 1.0e-24");
  });
});
