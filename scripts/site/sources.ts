/**
 * Source pages: every file of src/ and spec/ copied into the site as a plain page with numbered,
 * linkable lines (`source/src/bandits/gibbs.ts.html#L12`), and an index from exported function names to the
 * line that defines them, so a check links to its spec and to the code it exercises, offline.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { esc } from "./html.ts";

export interface SourceFile {
  /** Path relative to the project root, with forward slashes (e.g. src/bandits/gibbs.ts). */
  rel: string;
  text: string;
}

export interface FnSite {
  file: string;
  line: number;
}

function walk(root: string, dir: string, out: SourceFile[]): void {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return;
  for (const name of readdirSync(abs).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) walk(root, rel, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push({ rel, text: readFileSync(path.join(root, rel), "utf8") });
  }
}

/** The source files of `dirs` under `root` (default src/ and spec/). */
export function readSources(root: string, dirs = ["src", "measure", "spec"]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const d of dirs) walk(root, d, out);
  return out;
}

/** Where each exported function or constant is defined; implementations win over the contract. */
export function functionIndex(files: SourceFile[]): Map<string, FnSite> {
  const idx = new Map<string, FnSite>();
  const ordered = [...files]
    .filter((f) => f.rel.startsWith("src/"))
    .sort((a, b) => Number(a.rel.includes("/contract/")) - Number(b.rel.includes("/contract/")));
  for (const f of ordered) {
    f.text.split("\n").forEach((l, i) => {
      const m = /^export\s+(?:async\s+)?(?:function\*?\s+|const\s+|let\s+)([A-Za-z_$][\w$]*)/.exec(l);
      if (m && !idx.has(m[1])) idx.set(m[1], { file: f.rel, line: i + 1 });
    });
  }
  return idx;
}

/** The site path of a source file's page. */
export function sourcePage(rel: string): string {
  return `source/${rel}.html`;
}

/**
 * A source file as a page body: numbered lines, each with an anchor. The numbers are drawn by CSS from
 * `data-n` (generated content is never copied), and the lines are inline and joined by the file's own
 * newlines, so selecting the code and copying it gives back the file exactly.
 */
export function sourceBody(f: SourceFile): string {
  const last = f.text.endsWith("\n") ? "\n" : "";
  const lines = (last ? f.text.slice(0, -1) : f.text).split("\n");
  const rows = lines
    .map(
      (l, i) => `<span class="ln" id="L${i + 1}"><a class="n" href="#L${i + 1}" data-n="${i + 1}"></a>${esc(l)}</span>`,
    )
    .join("\n");
  return `<pre class="source">${rows}${last}</pre>`;
}
