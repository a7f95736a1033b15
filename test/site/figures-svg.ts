/**
 * What a reader sees of a figure's text, read from its SVG with an XML parser: each <text> with the point
 * it is anchored at (its own and its ancestors' transforms applied) and its font size, and the problems
 * figures-text.test.ts rejects.
 */
import { XMLParser } from "fast-xml-parser";

export interface SvgText {
  text: string;
  /** The anchor point in the SVG's user units (the viewBox's coordinates). */
  x: number;
  y: number;
  fontSize: number;
  /** The vega role of the mark it belongs to (`axis-title`, `legend-label`, …), from its group's class. */
  role: string;
}

export interface SvgDoc {
  viewBox: { x: number; y: number; width: number; height: number };
  texts: SvgText[];
  /** The top-left corners of vega's groups (their `background` paths, "M x,y h… v… h… Z"): plots, axes, legends. */
  groups: { x: number; y: number }[];
}

/** An affine map [a, b, c, d, e, f]: (x, y) ↦ (a·x + c·y + e, b·x + d·y + f), as SVG's matrix(). */
type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** An SVG transform attribute as one matrix; a function it does not know is an error naming it. */
export function parseTransform(attr: string | undefined): Matrix {
  let m = IDENTITY;
  if (!attr) return m;
  const re = /(\w+)\(([^)]*)\)/g;
  let rest = attr;
  for (const [all, fn, args] of attr.matchAll(re)) {
    rest = rest.replace(all, "");
    const v = args
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (v.some((n) => !Number.isFinite(n))) throw new Error(`transform "${attr}": non-numeric argument in ${all}`);
    let step: Matrix;
    if (fn === "translate") step = [1, 0, 0, 1, v[0], v[1] ?? 0];
    else if (fn === "scale") step = [v[0], 0, 0, v[1] ?? v[0], 0, 0];
    else if (fn === "matrix" && v.length === 6) step = v as Matrix;
    else if (fn === "rotate") {
      const r = (v[0] * Math.PI) / 180;
      const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
      step = multiply(multiply([1, 0, 0, 1, cx, cy], [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [
        1,
        0,
        0,
        1,
        -cx,
        -cy,
      ]);
    } else throw new Error(`transform "${attr}": ${all} is not a transform this reader knows`);
    m = multiply(m, step);
  }
  if (rest.trim()) throw new Error(`transform "${attr}": cannot read "${rest.trim()}"`);
  return m;
}

type Node = Record<string, unknown> & { ":@"?: Record<string, string> };

function tagOf(n: Node): string {
  return Object.keys(n).find((k) => k !== ":@")!;
}

function textContent(nodes: Node[]): string {
  return nodes.map((n) => (tagOf(n) === "#text" ? String(n["#text"]) : textContent(n[tagOf(n)] as Node[]))).join("");
}

/** Read an SVG document: its viewBox, every <text> (tspans joined) with its anchor and size, and vega's groups. */
export function readSvg(svg: string): SvgDoc {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const doc = parser.parse(svg) as Node[];
  const root = doc.find((n) => tagOf(n) === "svg");
  if (!root) throw new Error("not an SVG document: no <svg> element");
  const vb = (root[":@"]?.viewBox ?? "").split(/[\s,]+/).map(Number);
  if (vb.length !== 4 || vb.some((n) => !Number.isFinite(n)))
    throw new Error(`<svg> has no usable viewBox ("${root[":@"]?.viewBox}")`);
  const texts: SvgText[] = [];
  const groups: { x: number; y: number }[] = [];
  const walk = (nodes: Node[], m: Matrix, role: string, size: number) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === "#text") continue;
      const at = n[":@"] ?? {};
      const here = multiply(m, parseTransform(at.transform));
      const cls = /\brole-([\w-]+)/.exec(at.class ?? "");
      const fontSize = at["font-size"] ? parseFloat(at["font-size"]) : size;
      if (tag === "text") {
        const px = Number(at.x ?? 0) + Number(at.dx ?? 0);
        const py = Number(at.y ?? 0) + Number(at.dy ?? 0);
        const [x, y] = [here[0] * px + here[2] * py + here[4], here[1] * px + here[3] * py + here[5]];
        texts.push({ text: textContent(n[tag] as Node[]), x, y, fontSize, role: cls ? cls[1] : role });
      } else if (tag === "path" && /\bbackground\b/.test(at.class ?? "")) {
        const corner = /^M\s*(-?[\d.]+)[\s,]+(-?[\d.]+)/.exec(at.d ?? "");
        if (!corner) throw new Error(`a group's background path does not start with its corner: d="${at.d}"`);
        const [px, py] = [Number(corner[1]), Number(corner[2])];
        groups.push({ x: here[0] * px + here[2] * py + here[4], y: here[1] * px + here[3] * py + here[5] });
      } else walk(n[tag] as Node[], here, cls ? cls[1] : role, fontSize);
    }
  };
  walk(root.svg as Node[], IDENTITY, "", 16);
  return { viewBox: { x: vb[0], y: vb[1], width: vb[2], height: vb[3] }, texts, groups };
}

/** The width of a page's figure column on a 390 px phone, measured on the built site (an SVG shrinks to fit it). */
export const PHONE_COLUMN = 313;
/** The smallest text a reader should meet there, in CSS px. */
export const SMALLEST_TEXT = 8.5;
/** The most empty space above a figure's first drawing or text, in SVG px: vega's padding and a little. */
export const BLANK_TOP = 10;

/**
 * What is wrong with a figure's text: a text cut with '…' (vega's truncation), a raw '_' (TeX notation
 * left in a label), an anchor outside the viewBox (text drawn off the figure), text smaller than
 * SMALLEST_TEXT once the SVG is scaled into a phone's column, or a blank band above the figure: nothing
 * (no group's corner, no text's top) within BLANK_TOP px of the top.
 */
export function textProblems(svg: string): string[] {
  const { viewBox: vb, texts, groups } = readSvg(svg);
  const problems: string[] = [];
  const scale = Math.min(1, PHONE_COLUMN / vb.width);
  for (const t of texts) {
    const name = `${t.role || "text"} "${t.text}"`;
    if (t.text.trim().endsWith("…")) problems.push(`${name} is cut: it ends in '…'`);
    if (t.text.includes("_")) problems.push(`${name} has a raw '_'`);
    const inside = t.x >= vb.x && t.x <= vb.x + vb.width && t.y >= vb.y && t.y <= vb.y + vb.height;
    if (!inside)
      problems.push(
        `${name} is anchored at (${t.x.toFixed(1)}, ${t.y.toFixed(1)}), outside the viewBox ${vb.width}×${vb.height}`,
      );
    if (t.fontSize * scale < SMALLEST_TEXT)
      problems.push(
        `${name} is ${(t.fontSize * scale).toFixed(1)} px on a phone (${t.fontSize} px in an SVG ${vb.width} px wide)`,
      );
  }
  // a text's top is about one font size above its baseline anchor
  const top = Math.min(...texts.map((t) => t.y - t.fontSize), ...groups.map((g) => g.y)) - vb.y;
  if (top > BLANK_TOP) problems.push(`nothing is drawn in the top ${top.toFixed(1)} px: blank space above the figure`);
  return problems;
}
