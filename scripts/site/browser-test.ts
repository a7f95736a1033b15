/**
 * `npm run test:browser`: open every page of the built site in headless Chromium (Debian's
 * `chromium` package through playwright-core) and check what a reader sees: no console errors, no
 * request leaving the site, math typeset by KaTeX (no raw `$$`), a badge at every mark, every figure
 * drawn, every internal link resolving. Saves a screenshot of a chapter page to artifacts/.
 *
 *   --site <dir>     the site to test (default site/; built with `npm run site` when missing)
 *   --no-build       fail instead of building when the site is missing
 *   --shot <page>    the page to screenshot (default: the first chapter)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

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
  problems: string[];
  screenshot?: string;
  marks: number;
  figures: number;
  links: number;
}

/** Visit every page of `siteDir` and return the problems found (empty when all is well). */
export async function checkSite(siteDir: string, opts: { shot?: string; shotPath?: string; sourcePages?: "all" | "sample" } = {}): Promise<BrowserReport> {
  const dir = path.resolve(siteDir);
  const all = htmlPages(dir);
  // Source pages are many and plain; visit a sample of them (links into them are still all checked).
  const sources = all.filter((p) => p.startsWith("source/"));
  const pages = [...all.filter((p) => !p.startsWith("source/")), ...(opts.sourcePages === "all" ? sources : sources.slice(0, 3))];
  const { server, origin } = await serve(dir);
  const profile = mkdtempSync(path.join(tmpdir(), "pgbook-chromium-"));
  const problems: string[] = [];
  const report: BrowserReport = { pages: pages.length, problems, marks: 0, figures: 0, links: 0 };
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1100, height: 1400 },
  });
  try {
    const page = await context.newPage();
    let current = "";
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${current}: console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith("data:")) problems.push(`${current}: request outside the site: ${u}`);
    });
    page.on("requestfailed", (r) => problems.push(`${current}: request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${current}: HTTP ${r.status()} for ${r.url()}`);
    });
    const targets = new Map<string, string>(); // link → the page it was found on
    for (const rel of pages) {
      current = rel;
      const resp = await page.goto(`${origin}/${rel}`, { waitUntil: "load" });
      if (!resp?.ok()) problems.push(`${rel}: HTTP ${resp?.status()}`);
      await page.evaluate("document.fonts.ready.then(() => true)");
      const info = await page.evaluate<PageInfo>(PAGE_PROBE);
      if (info.rawMath) problems.push(`${rel}: raw $$ in the page text (math not typeset)`);
      if (info.katexErrors) problems.push(`${rel}: ${info.katexErrors} KaTeX error element(s)`);
      if (!info.fontsOk) problems.push(`${rel}: a KaTeX font failed to load`);
      if (info.unbadged.length) problems.push(`${rel}: marks without a badge: ${info.unbadged.join(", ")}`);
      for (const f of info.figures) if (!f.ok) problems.push(`${rel}: figure ${f.id} has no drawn SVG`);
      const hasTeX = !rel.startsWith("source/") && rel !== "report.html" && /\$[^$\s]/.test(readFileSync(path.join(dir, rel), "utf8").replace(/<[^>]*>/g, "").replace(/PGBOOK_SEED=\S+/g, ""));
      if (hasTeX && info.katex === 0) problems.push(`${rel}: TeX in the page but no KaTeX output`);
      report.marks += info.marks;
      report.figures += info.figures.length;
      for (const l of info.links) if (!targets.has(l)) targets.set(l, rel);
      if (opts.shotPath && rel === opts.shot) {
        await page.screenshot({ path: opts.shotPath, fullPage: false });
        report.screenshot = opts.shotPath;
        const fig = page.locator("figure.figure").first();
        if ((await fig.count()) > 0) await fig.screenshot({ path: opts.shotPath.replace(/\.png$/, "-figure.png") });
      }
    }
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
        if (!ids.has(rel)) ids.set(rel, new Set([...readFileSync(f, "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
        const id = decodeURIComponent(u.hash.slice(1));
        if (!ids.get(rel)!.has(id)) problems.push(`${from}: link to ${rel}#${id}: no such anchor`);
      }
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return report;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const { values } = parseArgs({
    options: { site: { type: "string", default: "site" }, "no-build": { type: "boolean", default: false }, shot: { type: "string" } },
  });
  const t0 = performance.now();
  const siteDir = path.resolve(values.site);
  if (!existsSync("/usr/bin/chromium") && !process.env.PGBOOK_CHROMIUM) {
    console.error("test:browser needs Debian's Chromium at /usr/bin/chromium: `apt-get install -y chromium` (or set PGBOOK_CHROMIUM=/path/to/chrome)");
    process.exit(2);
  }
  if (!existsSync(path.join(siteDir, "index.html"))) {
    if (values["no-build"]) {
      console.error(`${values.site}/index.html missing: run \`npm run site\` first`);
      process.exit(2);
    }
    console.log(`[browser] ${values.site}/ missing: building it with \`npm run site -- --allow-failures\``);
    const b = spawnSync("npx", ["tsx", "scripts/site/site.ts", "--allow-failures", "--out", values.site], { stdio: "inherit" });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const chapters = readdirSync(siteDir).filter((f) => /^\d+-.*\.html$/.test(f)).sort();
  const shot = values.shot ?? chapters[0] ?? "index.html";
  mkdirSync("artifacts", { recursive: true });
  const shotPath = path.resolve("artifacts", `screenshot-${shot.replace(/\.html$/, "").replace(/[^\w.-]+/g, "_")}.png`);
  const r = await checkSite(siteDir, { shot, shotPath });
  for (const p of r.problems) console.log(`✗ ${p}`);
  console.log(
    `[browser] ${r.pages} pages, ${r.marks} marks, ${r.figures} figures, ${r.links} internal links checked in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      ` · ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}` +
      (r.screenshot ? ` · screenshot ${path.relative(process.cwd(), r.screenshot)}` : ""),
  );
  process.exit(r.problems.length ? 1 : 0);
}
