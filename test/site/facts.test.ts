/** The chapter placeholders (scripts/site/facts.ts) and the figure settings line (measure/figure-settings.ts). */
import { describe, expect, it } from "vitest";
import { collectFacts, fillFacts, formatFact } from "../../scripts/site/facts.ts";
import { parseFigureLine, settingsMismatches, statedSettings } from "../../measure/figure-settings.ts";
import { check } from "./fixtures.ts";

describe("formatFact(value, format)", () => {
  it("writes integers with separators, other numbers and strings as recorded", () => {
    expect(formatFact(1100)).toBe("1,100");
    expect(formatFact(0.05)).toBe("0.05");
    expect(formatFact("0.25, 0.35 and 0.5")).toBe("0.25, 0.35 and 0.5");
  });
  it("writes shares as percentages, rounded to a tenth of a point as asked", () => {
    expect(formatFact(0.3, "percent")).toBe("30%");
    expect(formatFact(0.80529, "percent")).toBe("80.5%");
    expect(formatFact(0.80099, "percent-down")).toBe("80%");
    expect(formatFact(0.7999, "percent-down")).toBe("79.9%");
    expect(formatFact(0.89865, "percent-up")).toBe("89.9%");
    expect(formatFact(0.805, "percent-down")).toBe("80.5%"); // 0.805·1000 is 804.999… in binary
    expect(() => formatFact("x", "percent")).toThrow('format "percent" needs a number');
  });
});

describe("fillFacts(src, facts)", () => {
  const facts = collectFacts([
    check("[fig 1] a", "passed", {
      meta: {
        kind: "exact",
        masterSeed: "s",
        seed: "s",
        replay: "r",
        facts: { "fig1.runs": 1000, "fig1.hit.p1": 0.8 },
      },
    }),
  ]);
  it("fills every placeholder on every line and keeps the lines", () => {
    const r = fillFacts("a {{fig1.runs}}\nb {{ fig1.hit.p1 | percent }} {{fig1.runs}}\n", facts);
    expect(r.errors).toEqual([]);
    expect(r.text).toBe("a 1,000\nb 80% 1,000\n");
  });
  it("names the line of an unknown fact", () => {
    expect(fillFacts("x\n{{fig2.runs}}", facts).errors).toEqual([
      { line: 2, message: 'unknown fact {{fig2.runs}}: no check recorded "fig2.runs"' },
    ]);
  });
  it("leaves braces without a dotted name alone (TeX)", () => {
    expect(fillFacts("$\\frac{{a}}{b}$ {{x}}", facts)).toEqual({
      text: "$\\frac{{a}}{b}$ {{x}}",
      errors: [],
      used: [],
    });
  });
});

describe("figure settings: parseFigureLine, statedSettings, settingsMismatches", () => {
  const FIG1 = { armProbabilities: [0.6, 0.4], theta0: [0, 0], stepSize: 0.05, steps: 1500, runs: 1000 };
  const line = "::: figure fig1 armProbabilities=0.6,0.4 theta0=0,0 stepSize=0.05 steps=1500 runs=1000";
  it("reads the settings of a directive line", () => {
    expect(parseFigureLine(line)).toEqual({
      id: "fig1",
      settings: { armProbabilities: [0.6, 0.4], theta0: [0, 0], stepSize: [0.05], steps: [1500], runs: [1000] },
      errors: [],
    });
    expect(parseFigureLine("figure fig2 stepSize=.25 x=1e-3").settings).toEqual({ stepSize: [0.25], x: [0.001] });
    expect(parseFigureLine("figure fig2 stepSize=0.25 stepSize=0.3").errors).toEqual([
      'figure setting "stepSize" is stated twice',
    ]);
  });
  it("finds the one line of a figure in a chapter", () => {
    expect(statedSettings(`# T\n\n${line}\ncaption\n:::\n`, "fig1")).toEqual({
      line: 3,
      settings: parseFigureLine(line).settings,
    });
    expect(() => statedSettings("# T\n", "fig1")).toThrow("the chapter has 0 `::: figure fig1` lines, not one");
  });
  it("agrees with the experiment's own settings, and catches Figure 1 at step size 0.03", () => {
    const stated = parseFigureLine(line).settings;
    expect(settingsMismatches(stated, FIG1)).toEqual([]);
    expect(settingsMismatches(stated, { ...FIG1, stepSize: 0.03 })).toEqual([
      "stepSize: the chapter states 0.05, the experiment has 0.03",
    ]);
    expect(settingsMismatches(stated, { ...FIG1, armProbabilities: [0.6, 0.4, 0.1] })).toEqual([
      "armProbabilities: the chapter states 0.6,0.4, the experiment has 0.6,0.4,0.1",
    ]);
    const { runs: _, ...noRuns } = FIG1;
    expect(settingsMismatches(stated, noRuns)).toEqual([
      "runs: the chapter states 1000, the experiment has no such setting",
    ]);
    expect(settingsMismatches({ stepSize: [0.05] }, { stepSize: 0.05, steps: 1500 })).toEqual([
      "steps: the experiment has 1500, the chapter does not state it",
    ]);
  });
});
