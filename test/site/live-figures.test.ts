/**
 * The live figures (scripts/site/figures/live-figure.ts, scripts/site/live/): the worker's path draws exactly
 * the static SVG at the checked settings, other settings draw other figures, the parameters say what they
 * are, the page's markup carries the data back intact, and the scripts stay within the page's budget.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { figures, type FigureContext } from "../../scripts/site/figures/index.ts";
import { compileLive, liveFigure, renderLive, type LiveFigure } from "../../scripts/site/figures/live-figure.ts";
import { compileVegaLite, lineChart, lineChartSpec, renderVegaLite } from "../../scripts/site/figures/plot.ts";
import { seriesRows } from "../../scripts/site/figures/series.ts";
import { renderFigures } from "../../scripts/site/figure-svgs.ts";
import type { Mark, ParsedPage } from "../../scripts/site/markdown.ts";
import { namedDatasets } from "../../scripts/site/figures/vega-render.ts";
import { figureAssets } from "../../scripts/site/live/figure-assets.ts";
import { bundleForBrowser as bundle } from "../../scripts/site/live/bundle.ts";
import { figureData } from "../../scripts/site/live/figure-data.ts";
import { drawRequest } from "../../scripts/site/live/figure-draw.ts";
import { liveFigureHtml, scriptJson } from "../../scripts/site/live/figure-markup.ts";
import {
  LIVE_DATA_CLASS,
  PAGE_FILE,
  WORKER_FILE,
  WORKER_GLOBAL,
  type FigureRequest,
  type LiveFigureData,
} from "../../scripts/site/live/figure-protocol.ts";
import {
  checkedValues,
  numberParam,
  paramProblems,
  seedParam,
  slider,
  statusText,
  type ParamDef,
  type ParamValues,
  type SliderParam,
} from "../../scripts/site/live/params.ts";

/** The checks' facts the actor-critic figure reads: the chapter's settings, under a seed of this test's. */
const FACTS: Record<string, number | string> = {
  "ch2.actorCritic.seed": "live-figures/actor-critic",
  "ch2.actorCritic.alpha": 0.01,
  "ch2.actorCritic.beta": 0.05,
  "ch2.actorCritic.steps": 100_000,
  "ch2.actorCritic.traceEvery": 1000,
};
const ctx: FigureContext = {
  masterSeed: "live-figures",
  fact(name) {
    if (!(name in FACTS)) throw new Error(`no check recorded the fact "${name}"`);
    return FACTS[name];
  },
};

const live = Object.entries(figures).flatMap(([id, def]) => (def.live ? [[id, def.live] as const] : []));

/** Each live figure drawn at its checked settings by the build (renderLive), once per test run. */
const statics = new Map<string, Promise<string>>();
const staticSvg = (id: string) => {
  if (!statics.has(id))
    statics.set(
      id,
      renderLive(figures[id].live!, ctx).then((r) => r.svg),
    );
  return statics.get(id)!;
};

/** The request the page sends for figure `id`: the spec and parameters as the page reads them back from its JSON. */
function request(id: string, values: (checked: ParamValues, params: ParamDef[]) => ParamValues): FigureRequest {
  const { spec, params } = JSON.parse(scriptJson(compileLive(figures[id].live!, ctx))) as ReturnType<
    typeof compileLive
  >;
  return { seq: 1, id, spec, params, values: values(checkedValues(params), params) };
}

/** The fewest runs the figure's slider of runs offers ("runs", or "shown" of the check's runs). */
function fewestRuns(params: ParamDef[]): ParamValues {
  const d = params.find((p) => p.name === "runs" || p.name === "shown") as SliderParam;
  return { [d.name]: d.values[0] };
}

describe("the live figures", () => {
  it("are the figures of Chapters 1–3 whose data a browser recomputes in seconds, each in the worker's registry", () => {
    expect(live.map(([id]) => id).sort()).toEqual(
      ["actor-critic-gain", "ch3-collapse", "ch3-learning", "fig1", "fig2"].sort(),
    );
    expect(Object.keys(figureData).sort()).toEqual(live.map(([id]) => id).sort());
    for (const [id, l] of live) expect(figureData[id], id).toBe(l.data);
    // the figures that stay static say why under them
    expect(figures["fig2-sweep"].staticNote).toMatch(/^Not live: /);
    expect(figures["ch3-variance"].staticNote).toMatch(/^Not live: /);
  });

  it("compiled specs carry no data: every dataset is named (the data come in) or derived from one", () => {
    for (const [id, l] of live) {
      const { spec } = compileLive(l, ctx);
      expect(spec.data?.filter((d) => "values" in d) ?? [], id).toEqual([]);
      expect(namedDatasets(spec).length, id).toBeGreaterThan(0);
    }
  });

  // Each figure's runs at its checked settings, by the build's path and by the worker's: about 13 s here.
  it.each(live.map(([id]) => id))(
    "%s: the worker's path at the checked settings, with the spec as the page embeds it, draws the static SVG",
    async (id) => {
      expect(await drawRequest(request(id, (c) => c))).toBe(await staticSvg(id));
    },
  );

  it.each(live.map(([id]) => id))("%s: other settings draw other figures (fewest runs; another seed)", async (id) => {
    const few = request(id, (c, params) => ({ ...c, ...fewestRuns(params) }));
    const a = await drawRequest(few);
    expect(a).not.toBe(await staticSvg(id));
    const b = await drawRequest({ ...few, values: { ...few.values, seed: "another seed" } });
    expect(b).not.toBe(a);
  });

  it("drawRequest names the figure and the parameter that is wrong", async () => {
    const req = request("fig1", (c) => ({ ...c, runs: 7 }));
    await expect(drawRequest(req)).rejects.toThrow(
      /^figure "fig1": parameter "runs" = 7 is not one of the slider's values 10, /,
    );
    await expect(drawRequest({ ...req, id: "fig9" })).rejects.toThrow(/"fig9" is not a live figure \(known: fig1, /);
  });
});

describe("params.ts", () => {
  const defs: ParamDef[] = [
    slider("stepSize", "step size α", [0.1, 0.5], 0.25),
    slider("runs", "runs", [10, 1000], 1000),
    { name: "kind", label: "baseline", kind: "choice", options: [{ value: "none", label: "none" }], checked: "none" },
    { name: "every", label: "traced every", kind: "fixed", checked: 100 },
    seedParam("20251117"),
  ];

  it("slider(name, label, values, checked) puts the checked value among the values, in order", () => {
    expect((defs[0] as { values: number[] }).values).toEqual([0.1, 0.25, 0.5]);
    expect(() => slider("x", "x", [1, NaN], 1)).toThrow(
      'parameter "x": the slider\'s value NaN is not a finite number',
    );
  });

  it("paramProblems(defs, values) finds each value a parameter does not offer, and names it", () => {
    expect(paramProblems(defs, checkedValues(defs))).toEqual([]);
    const bad = { stepSize: 0.3, runs: "10", kind: "running", every: 50, seed: "", extra: 1 };
    expect(paramProblems(defs, bad)).toEqual([
      'parameter "stepSize" = 0.3 is not one of the slider\'s values 0.1, 0.25, 0.5',
      'parameter "runs" = "10" is not one of the slider\'s values 10, 1000',
      'parameter "kind" = "running" is not one of none',
      'parameter "every" = 50 is fixed at 100',
      'parameter "seed" = "": a seed cannot be empty',
      '"extra" is not a parameter of this figure',
    ]);
    expect(paramProblems(defs, {})[0]).toBe('parameter "stepSize" has no value');
    expect(paramProblems(defs, { ...checkedValues(defs), seed: "a\nb" })).toEqual([
      'parameter "seed" = "a\\nb": a seed has no control characters',
    ]);
  });

  it("statusText says the checked settings in full, and of the reader's only what differs", () => {
    expect(statusText(defs, checkedValues(defs))).toBe(
      "These are the settings the checks used: step size α = 0.25, runs = 1,000, baseline = none, " +
        "traced every = 100, seed = 20251117.",
    );
    expect(statusText(defs, { ...checkedValues(defs), runs: 10, seed: "mine" })).toBe(
      "Your settings (runs = 10, seed = mine): not checked — the checks used runs = 1,000, seed = 20251117.",
    );
    // a parameter of the drawing only (how many of the checked runs are shown) keeps the checked settings
    const view: ParamDef[] = [{ ...slider("shown", "runs drawn", [1, 8], 8), view: true }, seedParam("x")];
    expect(statusText(view, { shown: 1, seed: "x" })).toBe(
      "These are the settings the checks used: runs drawn = 1, seed = x.",
    );
    expect(statusText(view, { shown: 1, seed: "y" })).toBe(
      "Your settings (seed = y): not checked — the checks used seed = x.",
    );
    const long = "s".repeat(60);
    expect(statusText([seedParam(long)], { seed: "t" })).toBe(
      `Your settings (seed = t): not checked — the checks used seed = ${"s".repeat(47)}….`,
    );
  });
});

describe("renderFigures (figure-svgs.ts) with a live figure and a static one", () => {
  const tiny: LiveFigure = {
    params: (c) => [slider("n", "points", [2, 4], 3), seedParam(c.masterSeed)],
    spec: lineChartSpec({ xTitle: "x", yTitle: "y", names: ["a"], data: "series" }),
    data: (v) => {
      const x = Array.from({ length: numberParam(v, "n") }, (_, i) => i);
      return { series: seriesRows([{ name: "a", x, y: x.map((i) => i * i) }]) };
    },
  };
  const mark = (figureId: string): Mark => ({
    kind: "figure",
    tags: ["fig 1"],
    file: "chapters/x.md",
    line: 3,
    anchor: figureId,
    figureId,
  });
  const page = (ids: string[]) =>
    ({ file: "chapters/x.md", name: "x", title: "x", tokens: [], errors: [], marks: ids.map(mark) }) as ParsedPage;

  it("puts the live figure's labelled SVG and its data in the page, and the static figure's note under it", async () => {
    const defs = {
      t: liveFigure({ tags: ["fig 1"], alt: "tiny & live", live: tiny }),
      s: {
        tags: ["fig 1"],
        alt: "static",
        render: () => lineChart({ series: [{ name: "b", x: [0, 1], y: [1, 0] }], xTitle: "x", yTitle: "y" }),
        staticNote: "Not live: exact.",
      },
    };
    const { svgs, errors } = await renderFigures([page(["t", "s"])], defs, new Map(), "the seed");
    expect(errors).toEqual([]);
    const t = svgs.get("t")!;
    expect(t).toMatch(
      /^<div class="live-figure" data-live-figure="t"><div class="live-plot"><svg aria-label="tiny &amp; live" role="img" /,
    );
    const json = /<script type="application\/json" class="live-figure-data">(.*)<\/script><\/div>$/.exec(t);
    const data = JSON.parse(json![1]) as LiveFigureData;
    expect(data.params.map((d) => [d.name, d.checked])).toEqual([
      ["n", 3],
      ["seed", "the seed"],
    ]);
    expect(data.spec).toEqual(compileVegaLite(tiny.spec));
    // the static SVG is the figure at the checked settings (3 points), labelled with its alt text
    const checked = await renderVegaLite(tiny.spec, tiny.data({ n: 3, seed: "the seed" }));
    expect(t).toContain(
      `<div class="live-plot">${checked.replace(/^<svg/, '<svg aria-label="tiny &amp; live"')}</div>`,
    );
    expect(svgs.get("s")).toMatch(
      /^<svg aria-label="static" role="img" [\s\S]*<\/svg><p class="figure-note">Not live: exact\.<\/p>$/,
    );
  });

  it("a live figure whose checked settings are not among its own is a build error at its mark", async () => {
    const defs = { t: liveFigure({ tags: ["fig 1"], alt: "tiny", live: tiny }) };
    const { errors } = await renderFigures([page(["t"])], defs, new Map(), " ");
    expect(errors).toEqual([
      {
        file: "chapters/x.md",
        line: 3,
        message:
          'figure "t" failed to render: the figure\'s checked settings are not its own: parameter "seed" = " ": a seed cannot be empty',
      },
    ]);
  });
});

describe("the page's markup of a live figure", () => {
  it("liveFigureHtml(data, svg) carries the data as JSON that no text in them can close", () => {
    const data = { id: "f", spec: { data: [{ name: "d" }] }, params: [seedParam("x")], alt: "a </script><!-- b" };
    const html = liveFigureHtml(data, "<svg></svg>");
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain("<!--");
    const json = new RegExp(`<script type="application/json" class="${LIVE_DATA_CLASS}">(.*)</script>`).exec(html);
    expect(JSON.parse(json![1])).toEqual(data);
    expect(html).toContain('<div class="live-plot"><svg></svg></div>');
  });
});

describe("the live figures' scripts", () => {
  // Measured 2026-12-02: figures-page.js 2,996 bytes gzipped, figure-worker.js 161,226 (vega's parser, view,
  // dataflow and transforms ≈ 147 KB of it). The page's JavaScript must stay ≤ 200 KB gzipped before the
  // editor opens, the "check your code" panel's script included: the figures keep under 190 KB, the page
  // script alone (on every page with a live figure) under 10 KB.
  it("stay within the page's budget, gzipped", async () => {
    const { files, gzipped } = await figureAssets();
    expect(Object.keys(files).sort()).toEqual([PAGE_FILE, WORKER_FILE].sort());
    expect(files[WORKER_FILE].startsWith(`globalThis.${WORKER_GLOBAL}=`)).toBe(true);
    expect(gzipped[PAGE_FILE]).toBeLessThanOrEqual(10_000);
    expect(gzipped[PAGE_FILE] + gzipped[WORKER_FILE]).toBeLessThanOrEqual(190_000);
    // no vega-lite in the browser: its compiler's messages are not in the worker
    expect(files[WORKER_FILE]).not.toContain("Invalid specification");
  });

  it("bundle(entry) fails on a node: module, naming the file that imports it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgbook-live-"));
    const entry = path.join(dir, "uses-fs.ts");
    writeFileSync(entry, 'import { readFileSync } from "node:fs";\nconsole.log(readFileSync);\n');
    await expect(bundle(entry)).rejects.toThrow(`${entry} imports node:fs: the browser has no node: modules`);
  });
});
