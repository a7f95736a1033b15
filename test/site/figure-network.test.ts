/**
 * The network view of Figure 3 (`lm-network`), rendered through the registry from a θ of `initNetwork` (the
 * layout does not depend on training, and training takes a minute) and read back from its SVG: one bar per
 * token, one attention cell per pair j ≤ i of the layers drawn, each with the number the forward pass gives at
 * that window, and text a reader can read; a fact that holds no usable network is an error naming the fact.
 */
import { describe, expect, it } from "vitest";
import { encodeTheta, NETWORK, networkTask } from "../../measure/language-models/network-experiments.ts";
import { figures, type FigureContext } from "../../scripts/site/figures/index.ts";
import { palette } from "../../scripts/site/figures/plot.ts";
import { substream } from "../../src/contract/random.ts";
import { nextWindow } from "../../src/language-models/model.ts";
import { netForward, type NetTrace } from "../../src/language-models/network/forward.ts";
import { initNetwork } from "../../src/language-models/network/init.ts";
import { netParamCount } from "../../src/language-models/network/shape.ts";
import { readSvg, textProblems } from "./figures-svg.ts";

const shape = NETWORK.shape;
const N = shape.window;
const task = networkTask();
const names = task.tokenNames;
const prompt = task.heldOut[0];
const theta = initNetwork(shape, substream("figure-network", "init"));

function context(facts: Record<string, string>): FigureContext {
  return {
    masterSeed: "figure-network",
    fact(name) {
      if (!(name in facts)) throw new Error(`no check recorded the fact "${name}"`);
      return facts[name];
    },
  };
}
/** The figure as the site builder renders it (a fact's error, thrown at once, becomes the promise's rejection). */
const render = async (facts: Record<string, string>) => String(await figures["lm-network"].render(context(facts)));
const good = { "ch4.network.theta": encodeTheta(theta), "ch4.network.prompt": prompt.join(",") };

const mostLikely = (p: ArrayLike<number>) => Array.from(p).indexOf(Math.max(...Array.from(p)));
/** The forward pass at the steps the figure shows (0 and 2), each token appended the most likely one. */
const traces = new Map<number, NetTrace>();
{
  let window = prompt;
  for (let t = 0; t <= 2; t++) {
    const trace = netForward(shape, theta, window);
    traces.set(t, trace);
    window = nextWindow(window, mostLikely(trace.policy));
  }
}
const sub = (t: number) => "₀₁₂"[t];

/** Every <path> of the SVG with an aria-label: the label (entities decoded) and the fill and stroke. */
function described(svg: string): { label: string; fill: string; stroke: string }[] {
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  const out: { label: string; fill: string; stroke: string }[] = [];
  for (const [, attrs] of svg.matchAll(/<path\b([^>]*)>/g)) {
    const at = Object.fromEntries([...attrs.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, decode(v)]));
    if (at["aria-label"]) out.push({ label: at["aria-label"], fill: at.fill ?? "", stroke: at.stroke ?? "" });
  }
  return out;
}

describe("the lm-network figure", () => {
  const svg = render(good);

  it("draws one bar per token at t = 0 and t = 2, with πθ(· | Sₜ) of that window, the most likely in green", async () => {
    const paths = described(await svg);
    for (const t of [0, 2]) {
      const p = traces.get(t)!.policy;
      const bars = paths.filter((x) => x.label.startsWith("πθ(") && x.label.includes(`| S${sub(t)})`));
      expect(bars.map((b) => b.label)).toEqual(names.map((name, k) => `πθ(${name} | S${sub(t)}) = ${p[k].toFixed(3)}`));
      const top = mostLikely(p);
      expect(bars.map((b) => b.fill)).toEqual(names.map((_, k) => (k === top ? palette[2] : palette[0])));
    }
  });

  it("draws a cell for every pair j ≤ i of the first layer and for the newest row of the last, with its weight", async () => {
    const paths = described(await svg);
    const cell =
      /^t = (\d+), layer (\d+): the weight position (\d+) \((.+)\) puts on position (\d+) \((.+)\) is ([\d.]+)$/;
    const cells = paths.map((x) => cell.exec(x.label)).filter((m) => m !== null);
    const want: string[] = [];
    for (const t of [0, 2]) {
      for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) want.push(`${t}/1/${i}/${j}`);
      for (let j = 0; j < N; j++) want.push(`${t}/2/${N - 1}/${j}`);
    }
    // each pair once (a sorted list, so a duplicate shows), none above the diagonal
    expect(cells.map((m) => `${m[1]}/${m[2]}/${m[3]}/${m[5]}`).sort()).toEqual(want.sort());
    const rows = new Map<string, number>();
    for (const [, t, l, i, a, j, b, w] of cells) {
      const trace = traces.get(Number(t))!;
      expect([a, b]).toEqual([names[trace.window[Number(i)]], names[trace.window[Number(j)]]]);
      expect(w).toBe(trace.layers[Number(l) - 1].attention[Number(i) * N + Number(j)].toFixed(3));
      rows.set(`${t}/${l}/${i}`, (rows.get(`${t}/${l}/${i}`) ?? 0) + Number(w));
    }
    // a row is a distribution over j ≤ i (up to the rounding of N weights to 3 decimals)
    for (const [row, total] of rows) expect(Math.abs(total - 1), row).toBeLessThanOrEqual(N * 5e-4);
  });

  it("outlines the newest position in the window, the first layer's heatmap and the last layer's row", async () => {
    const paths = described(await svg);
    for (const t of [0, 2]) {
      const newest = paths.filter((x) => x.label.startsWith(`t = ${t}: the newest position`));
      expect(newest.map((x) => x.stroke)).toEqual([palette[1], palette[1], palette[1]]);
    }
  });

  it("has text a reader can read: none cut with '…', no raw '_', inside the figure, legible on a phone", async () => {
    const s = await svg;
    const texts = readSvg(s).texts.map((t) => t.text);
    expect(texts.filter((t) => t.trim().endsWith("…"))).toEqual([]);
    for (const t of [0, 2])
      expect(texts).toContain(`drawn: A${sub(t)} = ${names[mostLikely(traces.get(t)!.policy)]}, the most likely`);
    expect(textProblems(s)).toEqual([]);
  });
});

describe("the lm-network figure's facts", () => {
  const size = netParamCount(shape);
  const withTheta = (text: string) => render({ ...good, "ch4.network.theta": text });

  it("rejects a θ of the wrong length, naming the fact and both lengths", async () => {
    await expect(withTheta(encodeTheta(new Float64Array(size - 1)))).rejects.toThrow(
      `the fact "ch4.network.theta" holds ${size - 1} numbers, the network of NETWORK.shape has ${size}`,
    );
    await expect(withTheta(encodeTheta(new Float64Array(size + 8)))).rejects.toThrow(/"ch4\.network\.theta" holds/);
  });

  it("rejects text that is not a whole number of float64s, an empty θ and a non-finite entry", async () => {
    await expect(withTheta("AAAA")).rejects.toThrow(/the fact "ch4\.network\.theta" is not a θ: .*3 bytes/);
    await expect(withTheta("")).rejects.toThrow(/the fact "ch4\.network\.theta" holds no network/);
    const nan = Float64Array.from(theta);
    nan[5] = NaN;
    await expect(withTheta(encodeTheta(nan))).rejects.toThrow(/the fact "ch4\.network\.theta" has a non-finite θ\[5\]/);
  });

  it("rejects a prompt of the wrong length or with an id outside the vocabulary, naming the fact", async () => {
    const withPrompt = (text: string) => render({ ...good, "ch4.network.prompt": text });
    await expect(withPrompt(prompt.slice(1).join(","))).rejects.toThrow(/the fact "ch4\.network\.prompt" is "/);
    const outside = [...prompt.slice(0, -1), shape.vocab].join(",");
    await expect(withPrompt(outside)).rejects.toThrow(`the fact "ch4.network.prompt" is "${outside}"`);
  });

  it("is an error when no check recorded the network", async () => {
    await expect(render({ "ch4.network.prompt": prompt.join(",") })).rejects.toThrow(/"ch4\.network\.theta"/);
  });
});
