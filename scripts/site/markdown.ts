/**
 * Chapters: markdown-it with KaTeX math (typeset here, at build time) and the book's two directives.
 * Parsing finds the marks (`\tag{N}` on display math, `::: figure <id>`, `::: claim <tag>`) and every
 * error of the input (malformed math, an unknown directive or figure, a stray `:::`), each with its
 * `file:line`; rendering then writes the page with a badge at each mark.
 */
import katex from "katex";
import markdownIt, { type Env, type MarkdownIt, type Token } from "markdown-it";
import container from "markdown-it-container";
import texmath from "markdown-it-texmath";
import { tagsOf } from "../lib/run-specs.ts";
import { parseFigureLine, type StatedSettings } from "../../measure/figure-settings.ts";
import { esc, tagId } from "./html.ts";

export interface BuildError {
  file: string;
  line: number;
  message: string;
}

export interface Mark {
  kind: "eq" | "figure" | "claim";
  tags: string[];
  file: string;
  line: number;
  /** The anchor id of the mark on its page. */
  anchor: string;
  figureId?: string;
  /** The settings stated on the figure's directive line (`::: figure <id> stepSize=0.05 …`), checked by its [fig N] checks. */
  figureSettings?: StatedSettings;
  /** The caption's plain text (figures) or the first words of the prose (claims), for lists. */
  label?: string;
}

export interface ParsedPage {
  /** Path of the source, as shown in messages (e.g. chapters/01-bandits.md). */
  file: string;
  /** Output name without extension (e.g. 01-bandits). */
  name: string;
  title: string;
  tokens: Token[];
  marks: Mark[];
  errors: BuildError[];
}

export interface RenderHooks {
  badge(mark: Mark): string;
  figure(mark: Mark): string;
  /** What follows a marked equation's block (a "check your code" panel), or "". */
  afterEquation?(mark: Mark): string;
}

const DIRECTIVES = ["figure", "claim"];

/** A markdown-it instance with math and the book's directives (the renderers read token.meta). */
export function makeMarkdown(): MarkdownIt {
  const md = markdownIt({ html: true, linkify: false, typographer: true });
  md.use(texmath, { engine: katex, delimiters: "dollars" });
  md.use(container, "figure", { validate: (p: string) => /^figure(\s|$)/.test(p.trim()) });
  md.use(container, "claim", { validate: (p: string) => /^claim(\s|$)/.test(p.trim()) });
  // Any other `::: name` is caught here so the walk can report it as an unknown directive.
  md.use(container, "directive", { validate: (p: string) => p.trim().length > 0 });

  const html = (tokens: Token[], idx: number) =>
    (tokens[idx].meta?.html as string | undefined) ?? esc(tokens[idx].content);
  md.renderer.rules.math_inline = html;
  md.renderer.rules.math_inline_double = html;
  // A display is its math (which scrolls sideways inside its own box when it is wider than the column),
  // its number beside it, outside that box, and its badge below: none of them can cover another.
  const block = (tokens: Token[], idx: number, _o: unknown, env: Env | undefined) => {
    const t = tokens[idx];
    const mark = t.meta?.mark as Mark | undefined;
    const number = t.meta?.number as string | undefined;
    const math = `<div class="eq-math">${html(tokens, idx)}</div>${number ? `<span class="eq-num">${esc(number)}</span>` : ""}`;
    const hooks = env?.hooks as RenderHooks | undefined;
    if (!mark || !hooks) return `<div class="equation">${math}</div>\n`;
    return `<div class="equation marked" id="${mark.anchor}">${math}${hooks.badge(mark)}</div>\n${hooks.afterEquation?.(mark) ?? ""}`;
  };
  md.renderer.rules.math_block = block;
  md.renderer.rules.math_block_eqno = block;

  md.renderer.rules.container_figure_open = (tokens, idx, _o, env: Env | undefined) => {
    const mark = tokens[idx].meta?.mark as Mark | undefined;
    const hooks = env?.hooks as RenderHooks | undefined;
    if (!mark || !hooks) return "<figure>";
    return `<figure class="figure marked" id="${mark.anchor}"><div class="figure-svg">${hooks.figure(mark)}</div><figcaption>`;
  };
  md.renderer.rules.container_figure_close = (tokens, idx, _o, env: Env | undefined) => {
    const mark = tokens[idx].meta?.mark as Mark | undefined;
    const hooks = env?.hooks as RenderHooks | undefined;
    if (!mark || !hooks) return "</figure>\n";
    return `</figcaption>${hooks.badge(mark)}</figure>\n`;
  };
  md.renderer.rules.container_claim_open = (tokens, idx, _o, env: Env | undefined) => {
    const mark = tokens[idx].meta?.mark as Mark | undefined;
    const hooks = env?.hooks as RenderHooks | undefined;
    if (!mark || !hooks) return '<div class="claim">';
    const heads = mark.tags.map((t) => `<span class="claim-tag">${esc(t)}</span>`).join(" ");
    return `<div class="claim marked" id="${mark.anchor}"><div class="claim-head">${heads}${hooks.badge(mark)}</div><div class="claim-body">\n`;
  };
  md.renderer.rules.container_claim_close = () => "</div></div>\n";
  // a table wider than the column scrolls inside its own box
  md.renderer.rules.table_open = (tokens, idx, o, _env, self) =>
    `<div class="table-wrap">${self.renderToken(tokens, idx, o)}`;
  md.renderer.rules.table_close = (tokens, idx, o, _env, self) => `${self.renderToken(tokens, idx, o)}</div>`;
  md.renderer.rules.heading_open = (tokens, idx, o, _env, self) => {
    const id = tokens[idx].meta?.id as string | undefined;
    if (id) tokens[idx].attrSet("id", id);
    return self.renderToken(tokens, idx, o);
  };
  return md;
}

function typeset(tex: string, displayMode: boolean): { html?: string; error?: string } {
  try {
    return {
      html: katex.renderToString(tex, { displayMode, throwOnError: true, strict: "ignore", output: "htmlAndMathml" }),
    };
  } catch (e) {
    return {
      error: (e as Error).message
        .replace(/^KaTeX parse error: /, "")
        .replace(/\s+/g, " ")
        .trim(),
    };
  }
}

/**
 * Inline math that may break after each comma at its top level (outside braces and \left…\right), so a
 * long tuple in running text wraps like the words around it; KaTeX by itself breaks only after relations
 * and binary operators.
 */
export function breakableCommas(tex: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    if (tex[i] === "\\") {
      const cs = /^\\([A-Za-z]+|.)/.exec(tex.slice(i))?.[0] ?? "\\";
      if (cs === "\\left") depth++;
      else if (cs === "\\right") depth--;
      out += cs;
      i += cs.length - 1;
      continue;
    }
    if (tex[i] === "{") depth++;
    else if (tex[i] === "}") depth--;
    out += tex[i];
    if (tex[i] === "," && depth === 0) out += "\\allowbreak ";
  }
  return out;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const EQ_TAG = /\\tag(\*?)\s*\{\s*(\d+)\s*\}/g;

/**
 * Parse one page: typeset its math, find its marks and report its errors.
 * `figureTags(id)` returns the tags of a registered figure, or undefined for an unknown id.
 */
export function parsePage(
  md: MarkdownIt,
  file: string,
  name: string,
  src: string,
  figureTags: (id: string) => string[] | undefined,
): ParsedPage {
  const env = {};
  const tokens = md.parse(src, env);
  const marks: Mark[] = [];
  const errors: BuildError[] = [];
  const used = new Set<string>();
  const err = (line: number, message: string) => errors.push({ file, line, message });
  const anchor = (base: string) => {
    let a = base;
    for (let k = 2; used.has(a); k++) a = `${base}-${k}`;
    used.add(a);
    return a;
  };
  let title = "";
  const stack: Token[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const line = (t.map?.[0] ?? 0) + 1;
    switch (t.type) {
      case "math_block":
      case "math_block_eqno": {
        if (t.type === "math_block_eqno") {
          err(line, `write the equation number inside the math as \\tag{${t.info}}, not after the closing $$`);
          break;
        }
        // the number is typeset beside the math, not by KaTeX inside it (its tag would lie over a wide display)
        const found = [...t.content.matchAll(EQ_TAG)];
        const nums = found.map((m) => m[2]);
        const r = typeset(t.content.replace(EQ_TAG, ""), true);
        if (r.error) err(line, `malformed math: ${r.error}`);
        const m: Mark | undefined = nums.length
          ? { kind: "eq", tags: nums.map((n) => `eq ${n}`), file, line, anchor: anchor(tagId(`eq ${nums[0]}`)) }
          : undefined;
        if (m) marks.push(m);
        const number = found.map((f) => (f[1] ? f[2] : `(${f[2]})`)).join(", ");
        t.meta = { html: r.html, mark: m, number: number || undefined };
        break;
      }
      case "container_figure_open": {
        const parsed = parseFigureLine(t.info);
        const id = parsed.id;
        stack.push(t);
        for (const e of parsed.errors) err(line, e);
        if (!id) {
          err(line, "`::: figure` needs a figure id, e.g. `::: figure bandit-probabilities`");
          break;
        }
        const tags = figureTags(id);
        if (!tags) {
          err(line, `unknown figure id "${id}": register it in scripts/site/figures/ (chN.ts) or fix the id`);
          break;
        }
        if (tags.length === 0)
          err(line, `figure "${id}" names no tags in its registry entry: a figure must be backed by a check`);
        const m: Mark = {
          kind: "figure",
          tags,
          file,
          line,
          anchor: anchor(`fig-${slug(id)}`),
          figureId: id,
          figureSettings: parsed.settings,
        };
        marks.push(m);
        t.meta = { mark: m };
        break;
      }
      case "container_claim_open": {
        stack.push(t);
        const rest = t.info.trim().replace(/^claim\s*/, "");
        const tags = rest.includes("[") ? tagsOf(rest) : tagsOf(`[${rest}]`);
        if (tags.length === 0) {
          err(
            line,
            `\`::: claim ${rest}\`: expected a tag such as \`sec 3.2\` or \`erratum max-in-q\` (or several in brackets: \`[sec 2.3] [erratum x]\`)`,
          );
          break;
        }
        const m: Mark = { kind: "claim", tags, file, line, anchor: anchor(tagId(tags[0])) };
        marks.push(m);
        t.meta = { mark: m };
        break;
      }
      case "container_figure_close":
      case "container_claim_close": {
        const open = stack.pop();
        t.meta = open?.meta ?? null;
        break;
      }
      case "container_directive_open": {
        const nm = t.info.trim().split(/\s+/)[0];
        err(line, `unknown directive "::: ${nm}" (known: ${DIRECTIVES.map((d) => `::: ${d}`).join(", ")})`);
        break;
      }
      case "heading_open": {
        const inline = tokens[i + 1];
        const text = inline?.children?.map((c: Token) => c.content).join("") ?? "";
        if (t.tag === "h1" && !title) title = text.trim();
        else t.meta = { id: anchor(slug(text) || "section") };
        break;
      }
      case "inline": {
        let ln = line;
        if (/^\s*:::/.test(t.content)) err(ln, "stray `:::` (a directive closed twice, or one that never opened?)");
        for (const c of t.children ?? []) {
          if (c.type === "softbreak" || c.type === "hardbreak") ln++;
          else if (c.type === "math_inline" || c.type === "math_inline_double") {
            const display = c.type === "math_inline_double";
            const r = typeset(display ? c.content : breakableCommas(c.content), display);
            if (r.error) err(ln, `malformed math: ${r.error}`);
            c.meta = { html: r.html };
            ln += (c.content.match(/\n/g) ?? []).length;
          } else if (c.type === "text" && c.content.includes("$$")) {
            err(ln, "unmatched `$$` (display math must open and close with `$$`)");
          }
        }
        break;
      }
    }
  }
  // Labels for lists (figure captions, claim prose): the first inline text inside the block.
  for (let i = 0; i < tokens.length; i++) {
    const m = tokens[i].meta?.mark as Mark | undefined;
    if (!m || m.kind === "eq" || !tokens[i].type.endsWith("_open")) continue;
    const inline = tokens.slice(i + 1).find((x: Token) => x.type === "inline");
    if (inline) m.label = inline.content.replace(/\s+/g, " ").slice(0, 140);
  }
  if (!title) err(1, "the page has no `# Title` heading");
  return { file, name, title: title || name, tokens, marks, errors };
}

/** Render a parsed page to HTML, with the badges and figures given by `hooks`. */
export function renderPage(md: MarkdownIt, page: ParsedPage, hooks: RenderHooks): string {
  // The page's h1 is rendered by the layout; drop it here.
  const tokens = [...page.tokens];
  const h = tokens.findIndex((t) => t.type === "heading_open" && t.tag === "h1");
  if (h >= 0) tokens.splice(h, 3);
  return md.renderer.render(tokens, md.options, { hooks });
}

/** Inline markdown (with math) for short texts such as titles: no paragraphs. */
export function renderInline(md: MarkdownIt, text: string): string {
  const env = {};
  const tokens = md.parseInline(text, env);
  for (const t of tokens)
    for (const c of t.children ?? [])
      if (c.type.startsWith("math_inline")) c.meta = { html: typeset(c.content, false).html };
  return md.renderer.render(tokens, md.options, {});
}
