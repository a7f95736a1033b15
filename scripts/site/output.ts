/**
 * Writing a built site without ever leaving a half-written one: every file goes into a temporary
 * sibling folder of `outDir` (with KaTeX's CSS and fonts, the site's style sheet and search script), which is then
 * swapped in; on any failure the temporary folder is removed and the previous site is left as it was.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Write one page (`rel`: its path in the site). */
export type WritePage = (rel: string, html: string) => void;

function katexDist(): string {
  return fileURLToPath(new URL("../../node_modules/katex/dist/", import.meta.url));
}

/** The static files every site holds: KaTeX's CSS and fonts, style.css and the search page's script. */
function copyAssets(dir: string): void {
  mkdirSync(path.join(dir, "assets", "katex"), { recursive: true });
  const kd = katexDist();
  cpSync(path.join(kd, "katex.min.css"), path.join(dir, "assets", "katex", "katex.min.css"));
  cpSync(path.join(kd, "fonts"), path.join(dir, "assets", "katex", "fonts"), { recursive: true });
  for (const f of ["style.css", "search.js"])
    cpSync(fileURLToPath(new URL(`./${f}`, import.meta.url)), path.join(dir, "assets", f));
}

/** Write the site made by `pages` into `outDir`, swapped in whole; the pages written, in order. */
export function writeSiteAtomically(outDir: string, pages: (write: WritePage) => void): string[] {
  const out = path.resolve(outDir);
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = mkdtempSync(path.join(path.dirname(out), ".site-tmp-"));
  const written: string[] = [];
  try {
    copyAssets(tmp);
    pages((rel, html) => {
      const f = path.join(tmp, rel);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, html);
      written.push(rel);
    });
    if (existsSync(out)) {
      const old = `${tmp}-old`;
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return written;
}
