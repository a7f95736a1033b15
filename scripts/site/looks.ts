/**
 * How a page looks, judged in the browser at a given viewport width (the browser test's second half,
 * called by scripts/site/browser-test.ts on every page at 1280 and 390 px):
 *
 *   page-scroll   the page scrolls sideways (document scrollWidth > viewport width)
 *   too-wide      an element, or the text or content of a block, reaches past its column (the content box of
 *                 the header, main column or footer it sits in) by more than a glyph's overhang (3 px);
 *                 content inside a box that scrolls or clips (overflow-x not visible) may be wider than
 *                 that box, the box itself may not; the outermost such element is named
 *   math-cut      a display wider than the box it scrolls in, at a desktop width (≥ 1000 px: the reader
 *                 sees it cut at the box's edge); at any width, a display in a box that clips it
 *   overlap       two of an equation's parts cover each other: its number (KaTeX's `.katex-tag` or
 *                 `.eqn-num`, or the site's `.eq-num`), the visible part of its math, its badge
 *   svg-ellipsis  an SVG <text> ends in "…" (a label cut short)
 *   svg-outside   an SVG <text> whose box lies (partly) outside its SVG's viewBox
 *
 * Each problem names the page, the width, the element (tag, id, classes, the nearest ancestor with an
 * id, its text or TeX) and the measurement in CSS pixels.
 */
import type { Page } from "playwright-core";

export type LooksKind = "page-scroll" | "too-wide" | "math-cut" | "overlap" | "svg-ellipsis" | "svg-outside";
export const LOOKS_KINDS: LooksKind[] = [
  "page-scroll",
  "too-wide",
  "math-cut",
  "overlap",
  "svg-ellipsis",
  "svg-outside",
];

/** The widths every page is judged at: a desktop window and a phone. */
export const LOOKS_WIDTHS = [1280, 390] as const;
/** From this width on, every display must fit its column without scrolling. */
export const DESKTOP_WIDTH = 1000;
/** The viewport height used with each width (only screenshots depend on it). */
export const VIEWPORT_HEIGHT: Record<number, number> = { 1280: 900, 390: 844 };

export interface LooksProblem {
  page: string;
  width: number;
  kind: LooksKind;
  element: string;
  measure: string;
}

/** One line per problem: `page @ width px: kind: element: measurement`. */
export function formatLooks(p: LooksProblem): string {
  return `${p.page} @ ${p.width} px: ${p.kind}: ${p.element}: ${p.measure}`;
}

/** Problems counted by kind and width (every kind and width present, zeros included). */
export function countLooks(
  problems: LooksProblem[],
  widths: readonly number[] = LOOKS_WIDTHS,
): Map<number, Map<LooksKind, number>> {
  const out = new Map(widths.map((w) => [w, new Map(LOOKS_KINDS.map((k) => [k, 0]))]));
  for (const p of problems) {
    const row = out.get(p.width) ?? new Map(LOOKS_KINDS.map((k) => [k, 0]));
    row.set(p.kind, (row.get(p.kind) ?? 0) + 1);
    out.set(p.width, row);
  }
  return out;
}

/** The counts as a small table for the terminal. */
export function looksTable(problems: LooksProblem[], widths: readonly number[] = LOOKS_WIDTHS): string {
  const counts = countLooks(problems, widths);
  const cell = (s: string) => s.padStart(14);
  const head = ["width", ...LOOKS_KINDS].map(cell).join("");
  const rows = [...counts].map(([w, row]) =>
    [`${w} px`, ...LOOKS_KINDS.map((k) => String(row.get(k)))].map(cell).join(""),
  );
  return [head, ...rows].join("\n");
}

/**
 * The probe, run in the page (plain JS: the project's type-check has no DOM library). `opened` says the
 * page's <details> were opened for this pass; it is only added to the elements' names.
 */
const LOOKS_PROBE = `(opened, desktop) => {
  const out = [];
  const TOL = 3;
  const vw = document.documentElement.clientWidth;
  const px = (x) => String(Math.round(x));
  const tex = (el) => {
    const k = el.closest(".katex") || el.querySelector(".katex");
    const a = k && k.querySelector("annotation");
    return a ? a.textContent.replace(/\\s+/g, " ").trim() : "";
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = typeof el.className === "string" ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
    if (cls.length) s += "." + cls.slice(0, 2).join(".");
    const host = el.parentElement && el.parentElement.closest("[id]");
    if (host) s += " in #" + host.id;
    const text = tex(el) || (el.textContent || "").replace(/\\s+/g, " ").trim();
    if (text) s += ' "' + (text.length > 48 ? text.slice(0, 47) + "…" : text) + '"';
    return s + (opened ? " (details opened)" : "");
  };
  const rect = (el) => el.getBoundingClientRect();
  const span = (r) => px(r.left) + "–" + px(r.right) + " × " + px(r.top) + "–" + px(r.bottom);
  const intersect = (a, b) => ({ left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
    top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom) });
  const union = (rs) => rs.reduce((a, b) => ({ left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
    top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom) }));
  const clips = (el) => getComputedStyle(el).overflowX !== "visible";
  const contentBox = (el) => {
    const r = rect(el);
    const cs = getComputedStyle(el);
    return { left: r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft),
      right: r.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight) };
  };

  // page-scroll
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) out.push({ kind: "page-scroll", element: "html" + (opened ? " (details opened)" : ""),
    measure: "scrollWidth " + px(sw) + " px > viewport " + px(vw) + " px" });

  // too-wide: the outermost element that reaches past its column; inside a box that scrolls or clips,
  // only that box is judged
  const past = (el, r, col) => {
    const over = Math.max(col.left - r.left, r.right - col.right);
    if (over <= TOL) return false;
    out.push({ kind: "too-wide", element: el, measure: "spans " + px(r.left) + "–" + px(r.right) +
      " px, its column " + px(col.left) + "–" + px(col.right) + " px (" + px(over) + " px past it)" });
    return true;
  };
  const walk = (el, col) => {
    for (const c of el.children) {
      const cs = getComputedStyle(c);
      if (cs.display === "none") continue;
      const r = rect(c);
      if ((r.width > 0 || r.height > 0) && past(name(c), r, col)) continue;
      if (cs.overflowX !== "visible") continue;
      // a block whose content runs past the column — its own text that cannot wrap, or a row of wide
      // children — is named once, rather than each piece of what overflows it
      if (c.clientWidth > 0 && c.scrollWidth > c.clientWidth + TOL) {
        const left = r.left + c.clientLeft;
        const wideInside = [...c.querySelectorAll("*")].some((k) => rect(k).right > col.right + TOL);
        const what = wideInside ? "the content of " : "the text of ";
        if (past(what + name(c), { left, right: left + c.scrollWidth }, col)) continue;
      }
      if (c.tagName === "DETAILS" && !c.open) {
        const s = c.querySelector(":scope > summary");
        if (s) walk({ children: [s] }, col);
        continue;
      }
      walk(c, col);
    }
  };
  for (const block of document.body.children) {
    if (getComputedStyle(block).display === "none") continue;
    if (!past(name(block), rect(block), { left: 0, right: vw })) walk(block, contentBox(block));
  }

  // math-cut: a display wider than the box it scrolls in (at a desktop width), or than a box that clips it
  for (const d of document.querySelectorAll(".katex-display")) {
    const parts = [...d.querySelectorAll(":scope > .katex > .katex-html > :not(.katex-tag)")]
      .map(rect).filter((r) => r.width > 0);
    if (!parts.length) continue;
    const m = union(parts);
    let boxEl = null;
    for (let a = d; a && a !== document.body; a = a.parentElement) if (clips(a)) { boxEl = a; break; }
    if (!boxEl) continue;
    const b = rect(boxEl);
    const over = Math.max(b.left - m.left, m.right - b.right);
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(boxEl).overflowX);
    if (over > 1 && (desktop || !scrolls))
      out.push({ kind: "math-cut", element: name(d), measure: "the math is " + px(m.right - m.left) +
        " px wide, its box " +
        px(b.right - b.left) + " px (" + name(boxEl).split(" ")[0] + ", " + (scrolls ? "scrolls" : "clips") + ")" });
  }

  // overlap: an equation's number, the visible part of its math, its badge
  for (const eq of document.querySelectorAll(".equation")) {
    const nums = [...eq.querySelectorAll(".katex-tag, .eqn-num, .eq-num")].filter((n) => rect(n).width > 0);
    const parts = [...eq.querySelectorAll(".katex-html > :not(.katex-tag)")].map(rect).filter((r) => r.width > 0);
    const boxes = [];
    if (parts.length) {
      let box = union(parts);
      const first = eq.querySelector(".katex-html");
      for (let a = first; a && a !== eq; a = a.parentElement) if (clips(a)) box = intersect(box, rect(a));
      boxes.push(["the math", box]);
    }
    for (const n of nums) boxes.push(["the number " + n.textContent.trim(), rect(n)]);
    const badge = eq.querySelector(":scope > .badge > summary");
    if (badge && rect(badge).width > 0) boxes.push(["the badge", rect(badge)]);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const x = intersect(boxes[i][1], boxes[j][1]);
        const w = x.right - x.left, h = x.bottom - x.top;
        if (w > 0.5 && h > 0.5)
          out.push({ kind: "overlap", element: name(eq), measure: boxes[i][0] + " (" + span(boxes[i][1]) + ") and " +
            boxes[j][0] + " (" + span(boxes[j][1]) + ") overlap by " + px(w) + " × " + px(h) + " px" });
      }
  }

  // svg text: cut short, or outside the viewBox
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.parentElement && svg.parentElement.closest("svg")) continue;
    const sr = rect(svg);
    if (sr.width === 0 || sr.height === 0) continue;
    let box = sr;
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const m = svg.getScreenCTM();
    if (vb && vb.width > 0 && m) {
      const p = (x, y) => new DOMPoint(x, y).matrixTransform(m);
      const a = p(vb.x, vb.y), b = p(vb.x + vb.width, vb.y + vb.height);
      box = intersect(sr, { left: Math.min(a.x, b.x), right: Math.max(a.x, b.x),
        top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y) });
    }
    const where = svg.closest("[id]");
    for (const t of svg.querySelectorAll("text")) {
      const s = (t.textContent || "").replace(/\\s+/g, " ").trim();
      const label = 'text "' + s + '" in ' + (where ? "#" + where.id : "an svg") + (opened ? " (details opened)" : "");
      if (/(…|\\.\\.\\.)$/.test(s))
        out.push({ kind: "svg-ellipsis", element: label, measure: "the label ends in '…'" });
      const r = rect(t);
      if (r.width === 0 && r.height === 0) continue;
      const over = Math.max(box.left - r.left, box.top - r.top, r.right - box.right, r.bottom - box.bottom);
      if (over > 0.5)
        out.push({ kind: "svg-outside", element: label, measure: "its box " + span(r) + " lies " + px(over) +
          " px outside the viewBox " + span(box) });
    }
  }
  return out;
}`;

/** Judge the page as it is now laid out (the caller sets the viewport). */
export async function looksNow(page: Page, rel: string, width: number, opened = false): Promise<LooksProblem[]> {
  const args = `${String(opened)}, ${String(width >= DESKTOP_WIDTH)}`;
  const found = await page.evaluate<Omit<LooksProblem, "page" | "width">[]>(`(${LOOKS_PROBE})(${args})`);
  return found.map((p) => ({ page: rel, width, ...p }));
}

/**
 * Judge the page at `width`: as it opens, then with every <details> open (a badge's panel, a check on
 * the report); a problem the open pass finds again (same kind and element) is not repeated. With
 * `shot`, save a viewport screenshot there first.
 */
export async function looksAt(page: Page, rel: string, width: number, shot?: string): Promise<LooksProblem[]> {
  await page.setViewportSize({ width, height: VIEWPORT_HEIGHT[width] ?? 900 });
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  if (shot) await page.screenshot({ path: shot, fullPage: false });
  const closed = await looksNow(page, rel, width);
  const reopen = await page.evaluate<number>(`(() => {
    const shut = [...document.querySelectorAll("details:not([open])")];
    for (const d of shut) { d.open = true; d.dataset.looksOpened = "1"; }
    return shut.length;
  })()`);
  if (!reopen) return closed;
  const open = await looksNow(page, rel, width, true);
  await page.evaluate(`(() => { for (const d of document.querySelectorAll("details[data-looks-opened]")) {
    d.open = false; delete d.dataset.looksOpened; } })()`);
  const seen = new Set(closed.map((p) => `${p.kind}\0${p.element}`));
  const fresh = open.filter((p) => !seen.has(`${p.kind}\0${p.element.replace(/ \(details opened\)$/, "")}`));
  return [...closed, ...fresh];
}
