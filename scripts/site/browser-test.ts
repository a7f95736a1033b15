/**
 * `npm run test:browser`: open every page of the built site in headless Chromium (Debian's
 * `chromium` package through playwright-core) and check what a reader sees: no console errors, no
 * request leaving the site, math typeset by KaTeX (no raw `$$`), a badge at every mark, every figure
 * drawn, every internal link resolving, a source page's code copied back exactly as its file; then how
 * every page looks at 1280 and 390 px (looks.ts: no sideways scroll, nothing wider than its column, an
 * equation's number, math and badge apart, no cut or stray SVG labels), and the search, from file://
 * (search-check.ts). Saves viewport screenshots of every page but the source pages at both widths.
 *
 *   --site <dir>     the site to test (default site/; built with `npm run site` when missing)
 *   --no-build       fail instead of building when the site is missing
 *   --shots <dir>    where the screenshots go (default artifacts/screenshots/, as <width>/<page>.png)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";
import { formatLooks, looksAt, looksTable, LOOKS_WIDTHS, VIEWPORT_HEIGHT, type LooksProblem } from "./looks.ts";
import { checkSearch, searchProbes } from "./search-check.ts";
import { checkLiveBook } from "./live/live-check.ts";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".js": "text/javascript",
};

/** A static server for `dir` on a free local port. */
export function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const f = path.join(dir, path.normalize(rel));
    if (!f.startsWith(dir) || !existsSync(f) || statSync(f).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(f)] ?? "application/octet-stream" }).end(readFileSync(f));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      resolve({ server, origin: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}` });
    }),
  );
}

interface PageInfo {
  rawMath: boolean;
  katexErrors: number;
  katex: number;
  marks: number;
  unbadged: string[];
  figures: { id: string; ok: boolean }[];
  links: string[];
  fontsOk: boolean;
}

/** Runs in the page (plain JS: the project's type-check has no DOM library). */
const PAGE_PROBE = `(() => {
  const text = document.body.innerText;
  const marks = [...document.querySelectorAll(".marked")];
  return {
    rawMath: /\\$\\$/.test(text.replace(/PGBOOK_SEED=\\S+/g, "")),
    katexErrors: document.querySelectorAll(".katex-error").length,
    katex: document.querySelectorAll(".katex").length,
    marks: marks.length,
    unbadged: marks.filter((m) => !m.querySelector(":scope > .badge, :scope > .claim-head > .badge")).map((m) => m.id),
    figures: [...document.querySelectorAll("figure.figure")].map((f) => {
      const svg = f.querySelector("svg");
      const box = svg && svg.getBoundingClientRect();
      return { id: f.id, ok: !!svg && !!box && box.width > 50 && box.height > 50 && svg.querySelectorAll("path, line, rect").length > 3 };
    }),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    fontsOk: [...document.fonts].filter((f) => f.family.startsWith("KaTeX") && f.status === "error").length === 0,
  };
})()`;

/** The text a reader gets by selecting a source page's whole listing and copying it. */
const COPY_PROBE = `(() => {
  const pre = document.querySelector("pre.source");
  if (!pre) return "";
  const r = document.createRange();
  r.selectNodeContents(pre);
  const s = getSelection();
  s.removeAllRanges();
  s.addRange(r);
  const text = s.toString();
  s.removeAllRanges();
  return text;
})()`;

/** Where two texts first differ, by line: "at line 3: \"…\" where the file has \"…\"". */
function copyDiff(got: string, want: string): string {
  const a = got.split("\n");
  const b = want.split("\n");
  const i = a.findIndex((l, k) => l !== b[k]);
  const at = i < 0 ? a.length : i;
  return `at line ${at + 1}: ${JSON.stringify(a[at] ?? "(end)")} where the file has ${JSON.stringify(b[at] ?? "(end)")} (${a.length} lines copied, ${b.length} in the file)`;
}

function htmlPages(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...htmlPages(dir, rel));
    else if (name.endsWith(".html")) out.push(rel);
  }
  return out;
}

export interface BrowserReport {
  pages: number;
  /** Every problem as a line of text (the looks problems formatted by formatLooks among them). */
  problems: string[];
  /** The looks problems, one object each (page, width, kind, element, measurement). */
  looks: LooksProblem[];
  /** Screenshots written (viewport, one per non-source page and width). */
  screenshots: string[];
  marks: number;
  figures: number;
  links: number;
}

export interface CheckOptions {
  /** Folder for viewport screenshots of the non-source pages (`<width>/<page>.png`); none when absent. */
  shotsDir?: string;
  /** Widths to judge the looks at (default 1280 and 390 px); [] skips the looks. */
  widths?: readonly number[];
  /** The project the source pages were made from: their code, selected and copied, must be its files'. */
  sourceRoot?: string;
  /** The equation and function the search must find, when the site has them (search-check.ts). */
  search?: { eq?: string; fn?: string };
}

/** A headless Chromium with an empty profile; `close()` also removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "pgbook-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: LOOKS_WIDTHS[0], height: VIEWPORT_HEIGHT[LOOKS_WIDTHS[0]] },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Visit every page of `siteDir` and return the problems found (empty when all is well). */
export async function checkSite(
  siteDir: string,
  opts: CheckOptions = {},
  browser?: BrowserContext,
): Promise<BrowserReport> {
  const dir = path.resolve(siteDir);
  const pages = htmlPages(dir);
  const widths = opts.widths ?? LOOKS_WIDTHS;
  const { server, origin } = await serve(dir);
  const own = browser ? undefined : await launchChromium();
  const context = browser ?? own!.context;
  const problems: string[] = [];
  const report: BrowserReport = {
    pages: pages.length,
    problems,
    looks: [],
    screenshots: [],
    marks: 0,
    figures: 0,
    links: 0,
  };
  const page = await context.newPage();
  try {
    let current = "";
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${current}: console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith("data:")) problems.push(`${current}: request outside the site: ${u}`);
    });
    page.on("requestfailed", (r) =>
      problems.push(`${current}: request failed: ${r.url()} (${r.failure()?.errorText})`),
    );
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${current}: HTTP ${r.status()} for ${r.url()}`);
    });
    const targets = new Map<string, string>(); // link → the page it was found on
    for (const rel of pages) {
      current = rel;
      await page.setViewportSize({ width: LOOKS_WIDTHS[0], height: VIEWPORT_HEIGHT[LOOKS_WIDTHS[0]] });
      const resp = await page.goto(`${origin}/${rel}`, { waitUntil: "load" });
      if (!resp?.ok()) problems.push(`${rel}: HTTP ${resp?.status()}`);
      await page.evaluate("document.fonts.ready.then(() => true)");
      const info = await page.evaluate<PageInfo>(PAGE_PROBE);
      if (info.rawMath && !rel.startsWith("source/"))
        problems.push(`${rel}: raw $$ in the page text (math not typeset)`);
      if (info.katexErrors) problems.push(`${rel}: ${info.katexErrors} KaTeX error element(s)`);
      if (!info.fontsOk) problems.push(`${rel}: a KaTeX font failed to load`);
      if (info.unbadged.length) problems.push(`${rel}: marks without a badge: ${info.unbadged.join(", ")}`);
      for (const f of info.figures) if (!f.ok) problems.push(`${rel}: figure ${f.id} has no drawn SVG`);
      const hasTeX =
        !rel.startsWith("source/") &&
        rel !== "report.html" &&
        /\$[^$\s]/.test(
          readFileSync(path.join(dir, rel), "utf8")
            .replace(/<script[\s\S]*?<\/script>/g, "")
            .replace(/<[^>]*>/g, "")
            .replace(/PGBOOK_SEED=\S+/g, ""),
        );
      if (hasTeX && info.katex === 0) problems.push(`${rel}: TeX in the page but no KaTeX output`);
      report.marks += info.marks;
      report.figures += info.figures.length;
      for (const l of info.links) if (!targets.has(l)) targets.set(l, rel);
      if (opts.sourceRoot && rel.startsWith("source/")) {
        const file = path.join(opts.sourceRoot, rel.replace(/^source\//, "").replace(/\.html$/, ""));
        const copied = await page.evaluate<string>(COPY_PROBE);
        // a selection never holds the file's final newline
        const want = existsSync(file) ? readFileSync(file, "utf8").replace(/\n$/, "") : undefined;
        if (want === undefined)
          problems.push(`${rel}: no file ${path.relative(opts.sourceRoot, file)} to compare its code with`);
        else if (copied !== want)
          problems.push(`${rel}: the code copied from the page differs from the file ${copyDiff(copied, want)}`);
      }
      for (const width of widths) {
        let shot: string | undefined;
        if (opts.shotsDir && !rel.startsWith("source/")) {
          shot = path.join(opts.shotsDir, String(width), `${rel.replace(/\.html$/, "").replace(/[^\w.-]+/g, "_")}.png`);
          mkdirSync(path.dirname(shot), { recursive: true });
          report.screenshots.push(shot);
        }
        const found = await looksAt(page, rel, width, shot);
        report.looks.push(...found);
        problems.push(...found.map(formatLooks));
      }
    }
    problems.push(...(await checkSearch(context, dir, searchProbes(dir, opts.search))));
    // Internal links: the file exists and the fragment names an element on it.
    const ids = new Map<string, Set<string>>();
    for (const [href, from] of targets) {
      if (!href.startsWith(origin)) {
        problems.push(`${from}: link leaves the site: ${href}`);
        continue;
      }
      report.links++;
      const u = new URL(href);
      const rel = decodeURIComponent(u.pathname).replace(/^\//, "") || "index.html";
      const f = path.join(dir, rel);
      if (!existsSync(f)) {
        problems.push(`${from}: broken link to ${rel}`);
        continue;
      }
      if (u.hash) {
        if (!ids.has(rel))
          ids.set(rel, new Set([...readFileSync(f, "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
        const id = decodeURIComponent(u.hash.slice(1));
        if (!ids.get(rel)!.has(id)) problems.push(`${from}: link to ${rel}#${id}: no such anchor`);
      }
    }
  } finally {
    await page.close();
    await own?.close();
    server.close();
  }
  return report;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const { values } = parseArgs({
    options: {
      site: { type: "string", default: "site" },
      "no-build": { type: "boolean", default: false },
      shots: { type: "string", default: "artifacts/screenshots" },
    },
  });
  const t0 = performance.now();
  const siteDir = path.resolve(values.site);
  if (!existsSync("/usr/bin/chromium") && !process.env.PGBOOK_CHROMIUM) {
    console.error(
      "test:browser needs Debian's Chromium at /usr/bin/chromium: `apt-get install -y chromium` (or set PGBOOK_CHROMIUM=/path/to/chrome)",
    );
    process.exit(2);
  }
  if (!existsSync(path.join(siteDir, "index.html"))) {
    if (values["no-build"]) {
      console.error(`${values.site}/index.html missing: run \`npm run site\` first`);
      process.exit(2);
    }
    console.log(`[browser] ${values.site}/ missing: building it with \`npm run site -- --allow-failures\``);
    const b = spawnSync("npx", ["tsx", "scripts/site/site.ts", "--allow-failures", "--out", values.site], {
      stdio: "inherit",
    });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const shotsDir = path.resolve(values.shots);
  rmSync(shotsDir, { recursive: true, force: true });
  const r = await checkSite(siteDir, {
    shotsDir,
    sourceRoot: process.cwd(),
    search: { eq: "21", fn: "policyGradient" },
  });
  const t1 = performance.now();
  const chromium = await launchChromium();
  try {
    r.problems.push(...(await checkLiveBook(chromium.context, siteDir, (line) => console.log(line))));
  } finally {
    await chromium.close();
  }
  console.log(
    `[browser] the live book (panels, same verdicts) checked in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );
  for (const p of r.problems) console.log(`✗ ${p}`);
  console.log(`[browser] looks problems by kind and width:\n${looksTable(r.looks)}`);
  console.log(
    `[browser] ${r.pages} pages at ${LOOKS_WIDTHS.join(" and ")} px, ${r.marks} marks, ${r.figures} figures, ${r.links} internal links checked in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      ` · ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} (${r.looks.length} of looks)` +
      ` · ${r.screenshots.length} screenshots in ${path.relative(process.cwd(), shotsDir)}/`,
  );
  process.exit(r.problems.length ? 1 : 0);
}
