/**
 * The figures' text as a reader sees it: every figure of the registry rendered through its chapter's own
 * vega-lite spec (from small fixed data where the book's experiments take seconds), then read back from
 * the SVG: no label cut with '…', no raw '_', every text anchored inside the viewBox and legible on a phone,
 * no blank band above the figure.
 */
import { describe, expect, it } from "vitest";
import { LEARNING } from "../../measure/total-return/experiments.ts";
import { encodeTheta, NETWORK, networkTask } from "../../measure/language-models/network-experiments.ts";
import { substream } from "../../src/contract/random.ts";
import { initNetwork } from "../../src/language-models/network/init.ts";
import type { EpisodicEstimator } from "../../src/total-return/types.ts";
import { drawFig1, drawFig2 } from "../../scripts/site/figures/ch1.ts";
import { drawCollapse, drawLearning } from "../../scripts/site/figures/ch3.ts";
import { figures, type FigureContext } from "../../scripts/site/figures/index.ts";
import { parseTransform, readSvg, textProblems } from "./figures-svg.ts";

/** A context whose facts are the given ones (a missing one is an error, as in the site builder). */
function context(facts: Record<string, number | string>): FigureContext {
  return {
    masterSeed: "figures-text",
    fact(name) {
      if (!(name in facts)) throw new Error(`no check recorded the fact "${name}"`);
      return facts[name];
    },
  };
}

/** A smooth curve from `from` to `to` over `n` points, with a wiggle so no two runs coincide. */
function curve(n: number, from: number, to: number, wiggle: number): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => from + ((to - from) * t) / (n - 1) + wiggle * Math.sin(t / 7));
}

const sweep: Record<string, number | string> = { "fig2.sweep.count": 4, "fig2.sweep.runs": 100 };
[0.05, 0.1, 0.25, 1].forEach((stepSize, i) =>
  Object.assign(sweep, {
    [`fig2.sweep.${i}.stepSize`]: stepSize,
    [`fig2.sweep.${i}.reached`]: [10, 60, 95, 91][i],
    [`fig2.sweep.${i}.claim`]: ["fails", "fails", "holds", "measured"][i],
  }),
);
const actorCritic = context({
  "ch2.actorCritic.seed": "figures-text",
  "ch2.actorCritic.alpha": 0.01,
  "ch2.actorCritic.beta": 0.05,
  "ch2.actorCritic.steps": 2000,
  "ch2.actorCritic.traceEvery": 200,
});
// the layout does not depend on training: an untrained θ is drawn with the same labels, other numbers
const lmNetwork = context({
  "ch4.network.theta": encodeTheta(initNetwork(NETWORK.shape, substream("figures-text", "lm-network"))),
  "ch4.network.prompt": networkTask().heldOut[0].join(","),
});
const lmCurves = context({ "ch4.curves.runs": 1, "ch4.curves.budget": 200, "ch4.curves.every": 100 });
const learners: EpisodicEstimator[] = ["full-return", "reward-to-go", "running-baseline", "value-baseline"];
const learning = new Map(
  learners.map((est, k) => [est, [0, 1, 2].map((i) => curve(LEARNING.episodes + 1, 1.5, 3 + k / 4, 0.05 * (i + 1)))]),
);

/** Each figure of the registry, drawn by its chapter's code: from small data, or for real where that is quick. */
const renders: Record<string, () => Promise<string> | string> = {
  "lm-network": () => figures["lm-network"].render(lmNetwork),
  fig1: () =>
    drawFig1(
      [0, 1, 2, 3, 4, 5].map((i) => ({
        prob: curve(301, 0.5, 0.95, 0.02 * i),
        scores: [curve(301, 0, 2, 0.1), curve(301, 0, -2, 0.1)],
      })),
    ),
  fig2: () => {
    const arm = (to: number) => ({
      shown: [0, 1, 2].map((i) => curve(401, 0.5, to, 0.03 * i)),
      mean: curve(401, 0.5, to, 0),
    });
    return drawFig2({ none: arm(0.6), "running-average": arm(0.97) });
  },
  "fig2-sweep": () => figures["fig2-sweep"].render(context(sweep)),
  "actor-critic-gain": () => figures["actor-critic-gain"].render(actorCritic),
  "ch3-variance": () => figures["ch3-variance"].render(),
  "ch3-learning": () => drawLearning(learning),
  "ch3-collapse": () => drawCollapse(learning),
  "lm-policy": () => figures["lm-policy"].render(),
  "lm-curves-pm1": () => figures["lm-curves-pm1"].render(lmCurves),
  "lm-curves-01": () => figures["lm-curves-01"].render(lmCurves),
};

describe("the figures' SVG text", () => {
  it("every registered figure is drawn here", () => {
    expect(Object.keys(renders).sort()).toEqual(Object.keys(figures).sort());
  });

  it.each(Object.keys(renders))(
    "%s: no text cut or with a raw '_', anchored inside, legible on a phone, no blank top",
    async (id) => {
      const svg = String(await renders[id]());
      expect(readSvg(svg).texts.length, `${id} has no text at all`).toBeGreaterThan(0);
      expect(textProblems(svg), id).toEqual([]);
    },
  );
});

describe("textProblems (the reader of figures-svg.ts)", () => {
  const svg = (body: string, width = 300) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="100" viewBox="0 0 ${width} 100">${body}</svg>`;

  it("finds a label cut with '…', a raw '_' and an anchor outside the viewBox, through nested transforms", () => {
    const body =
      '<g class="mark-group role-legend" transform="translate(10,10)"><g class="mark-text role-legend-label">' +
      '<text transform="translate(5,5)" font-size="12px">θ₀ (optimal), sin…</text></g></g>' +
      '<g class="mark-text role-axis-title">' +
      '<text transform="translate(20,50) rotate(-90)" font-size="12px">π_θ(0)</text></g>' +
      '<g transform="translate(250,0)"><text transform="translate(60,40)" font-size="12px">far right</text></g>';
    expect(textProblems(svg(body))).toEqual([
      `legend-label "θ₀ (optimal), sin…" is cut: it ends in '…'`,
      `axis-title "π_θ(0)" has a raw '_'`,
      `text "far right" is anchored at (310.0, 40.0), outside the viewBox 300×100`,
    ]);
  });

  it("finds a blank band above the figure: nothing drawn near its top", () => {
    const at = (y: number) =>
      svg(`<g transform="translate(0,${y})"><path class="background" d="M0.5,0.5h200v50h-200Z"/></g>`);
    expect(textProblems(at(4))).toEqual([]);
    expect(textProblems(at(60))).toEqual([`nothing is drawn in the top 60.5 px: blank space above the figure`]);
    // a 12 px text anchored at y = 20 reaches up to about y = 8
    expect(textProblems(svg('<text transform="translate(10,20)" font-size="12px">1.0</text>'))).toEqual([]);
  });

  it("finds text that shrinks below the smallest size in a phone's column", () => {
    // 11 px in an SVG 700 px wide, shrunk into a 313 px column: 11 · 313 / 700 = 4.9 px; 12 px at 420 wide: 8.9 px
    expect(textProblems(svg('<text transform="translate(10,10)" font-size="11px">0.5</text>', 700))).toEqual([
      `text "0.5" is 4.9 px on a phone (11 px in an SVG 700 px wide)`,
    ]);
    expect(textProblems(svg('<text transform="translate(10,10)" font-size="12px">0.5</text>', 420))).toEqual([]);
  });

  it("parseTransform: translate, then rotate about the new origin; an unknown function is an error", () => {
    const [a, b, c, d, e, f] = parseTransform("translate(10,20) rotate(90)");
    // (1, 0) ↦ rotated to (0, 1), then moved by (10, 20)
    expect([a * 1 + c * 0 + e, b * 1 + d * 0 + f].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 21]);
    expect(() => parseTransform("skewX(10)")).toThrow(/skewX\(10\) is not a transform this reader knows/);
  });
});
