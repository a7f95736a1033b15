/**
 * The site builder's core: chapters + check results + figure registry → a static site in `outDir`.
 *
 * Input errors (malformed math, unknown directive or figure, a mark with no check, a tag no chapter
 * marks) stop the build before anything is written and come back as `file:line: message`. Otherwise
 * the site is written into a temporary sibling folder and swapped in, so a previous site survives any
 * failure. Failed checks do not stop the build: they are shown on their pages, the index and the report.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FigureDef } from "./figures/index.ts";
import type { TestResult } from "../lib/run-specs.ts";
import { badgeHtml, byTag, checkHtml, compareTags, kindLabel, statusOf, type Links, type Status } from "./checks.ts";
import { collectFacts, fillFacts, formatFact } from "./facts.ts";
import { esc, fmt, tagId } from "./html.ts";
import { page, type NavItem } from "./layout.ts";
import { makeMarkdown, parsePage, renderInline, renderPage, type BuildError, type Mark, type ParsedPage } from "./markdown.ts";
import { functionIndex, readSources, sourceBody, sourcePage, type SourceFile } from "./sources.ts";
import { calibrationRow } from "./measured.ts";

export type { BuildError } from "./markdown.ts";

/** What the builder needs from a run of the checks. */
export interface SiteResults {
  tests: TestResult[];
  errors: string[];
  masterSeed: string;
  seconds: { fast: number; slow: number };
  ranAt: string;
  cached?: boolean;
}

export interface SiteInput {
  /** Folder of the chapters' markdown files. */
  chaptersDir: string;
  /** How the chapters folder is named in messages (default "chapters"). */
  chaptersLabel?: string;
  results: SiteResults;
  outDir: string;
  figures: Record<string, FigureDef>;
  /** Project root whose src/ and spec/ are copied in as source pages (omit for none). */
  sourceRoot?: string;
  commit: string;
  /** Build date shown on the site (ISO 8601). */
  date: string;
  /** performance.now() when the build started, for the build time on the index page. */
  startedAt?: number;
}

export interface SiteSummary {
  pages: string[];
  claims: number;
  claimsHeld: number;
  claimsFailed: number;
  claimsSkipped: number;
  checks: number;
  checksFailed: number;
  /** Σα + Σβ over every check. */
  bound: number;
  /** Vitest's own errors (spec files that failed to load). */
  loadErrors: string[];
  failedTags: string[];
}

export type SiteOutcome = { ok: false; errors: BuildError[] } | ({ ok: true } & SiteSummary);

const SPECIAL = ["index", "notation", "errata", "references", "instructors"];
const SPECIAL_LABEL: Record<string, string> = { notation: "Notation", errata: "Errata", references: "References", instructors: "For instructors" };
/** The pages after the chapters, in navigation order. */
const BACK_MATTER = ["notation", "errata", "references", "instructors"];

const HINT: Record<string, (n: string) => string> = {
  eq: (n) => `add \\tag{${n}} to its display equation`,
  fig: (n) => `place a \`::: figure <id>\` whose registry entry (scripts/site/figures/chN.ts) lists "fig ${n}" in its tags`,
  sec: (n) => `add a \`::: claim sec ${n}\` … \`:::\` block where the section makes the claim`,
  erratum: (n) => `add a \`::: claim erratum ${n}\` … \`:::\` block (e.g. in chapters/errata.md)`,
};

/** Format errors as `file:line: message`, one per line, sorted by place. */
export function formatErrors(errors: BuildError[]): string {
  return [...errors]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
    .map((e) => `${e.file}:${e.line}: ${e.message}`)
    .join("\n");
}

function listPages(dir: string, label: string): { file: string; name: string; src: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => ({ file: `${label}/${f}`, name: f.replace(/\.md$/, ""), src: readFileSync(path.join(dir, f), "utf8") }));
}

/** A short label for navigation: "1. Bandits" from "Chapter 1: Bandits: …" or "1. Bandits: …". */
export function shortTitle(p: { title: string; name: string }): string {
  let t = p.title.replace(/^chapter\s+\d+\s*[:.—–-]\s*/i, "").replace(/\$[^$]*\$/g, "").trim();
  t = t.split(/:\s/)[0].trim();
  const n = /^(\d+)-/.exec(p.name);
  return n && !/^\d/.test(t) ? `${Number(n[1])}. ${t}` : t;
}

/** Join marks with checks: every mark needs a check, every tag of a check needs a mark. */
export function joinErrors(pages: ParsedPage[], tests: TestResult[], loadErrors: string[]): BuildError[] {
  const errors: BuildError[] = [];
  const checks = byTag(tests);
  const marked = new Set<string>();
  const loadHint = loadErrors.length ? ` (note: ${loadErrors.length} spec file(s) failed to load; see the report of \`npm run verify\`)` : "";
  for (const p of pages)
    for (const m of p.marks)
      for (const tag of m.tags) {
        marked.add(tag);
        if (!checks.has(tag)) {
          const what = m.kind === "figure" ? `figure "${m.figureId}" names [${tag}]` : `[${tag}] is marked here`;
          errors.push({ file: m.file, line: m.line, message: `${what} but no check carries the tag [${tag}] in its title${loadHint}` });
        }
      }
  for (const [tag, ts] of [...checks].sort((a, b) => compareTags(a[0], b[0]))) {
    if (marked.has(tag)) continue;
    const t = ts[0];
    const [kind, ...rest] = tag.split(" ");
    const hint = HINT[kind]?.(rest.join(" ")) ?? "mark it in a chapter";
    const more = ts.length > 1 ? ` (and ${ts.length - 1} more check${ts.length > 2 ? "s" : ""})` : "";
    errors.push({
      file: t.file,
      line: t.line ?? 1,
      message: `the tag [${tag}] of "${t.title}"${more} is not marked in any chapter: ${hint}`,
    });
  }
  return errors;
}

function katexDist(): string {
  return fileURLToPath(new URL("../../node_modules/katex/dist/", import.meta.url));
}

/** Build the site; returns the input errors (nothing written) or a summary of what was written. */
export async function buildSite(input: SiteInput): Promise<SiteOutcome> {
  const md = makeMarkdown();
  const label = input.chaptersLabel ?? "chapters";
  const sources = listPages(input.chaptersDir, label);
  const figureTags = (id: string) => (Object.hasOwn(input.figures, id) ? [...input.figures[id].tags] : undefined);
  // Numbers the chapters take from the checks ({{name}}, facts.ts), put in before the markdown is read.
  const facts = collectFacts(input.results.tests);
  const errors: BuildError[] = [];
  const filled = sources.map((s) => {
    const f = fillFacts(s.src, facts);
    for (const e of f.errors) errors.push({ file: s.file, line: e.line, message: e.message });
    return { ...s, src: f.text };
  });
  const pages = filled.map((s) => parsePage(md, s.file, s.name, s.src, figureTags));
  errors.push(...pages.flatMap((p) => p.errors));
  if (sources.length === 0) errors.push({ file: label, line: 1, message: "no chapters (*.md) found" });
  const { tests } = input.results;
  errors.push(...joinErrors(pages, tests, input.results.errors));
  if (errors.length) return { ok: false, errors };

  // Figures: rendered once per id, here, so a failing experiment is an input error too.
  const figureContext = {
    masterSeed: input.results.masterSeed,
    fact(name: string) {
      const f = facts.get(name);
      if (!f) throw new Error(`no check recorded the fact "${name}"`);
      if (f.conflict !== undefined) throw new Error(`the fact "${name}" is ambiguous: checks recorded ${formatFact(f.value)} and ${formatFact(f.conflict)}`);
      return f.value;
    },
  };
  const svgs = new Map<string, string>();
  for (const p of pages)
    for (const m of p.marks) {
      if (m.kind !== "figure" || svgs.has(m.figureId!)) continue;
      try {
        const svg = String(await input.figures[m.figureId!].render(figureContext));
        if (!/^\s*<svg[\s>]/.test(svg)) throw new Error("render() did not return an <svg> document");
        svgs.set(m.figureId!, svg.replace(/^\s*<svg/, `<svg aria-label="${esc(input.figures[m.figureId!].alt)}"`));
      } catch (e) {
        errors.push({ file: m.file, line: m.line, message: `figure "${m.figureId}" failed to render: ${(e as Error).message}` });
      }
    }
  if (errors.length) return { ok: false, errors };

  // Sources for links.
  const srcFiles: SourceFile[] = input.sourceRoot ? readSources(input.sourceRoot) : [];
  const srcSet = new Set(srcFiles.map((f) => f.rel));
  const fnIdx = functionIndex(srcFiles);
  const linksAt = (root: string): Links => ({
    spec: (file, line) => (srcSet.has(file) ? `${root}${sourcePage(file)}${line ? `#L${line}` : ""}` : undefined),
    fn: (name) => {
      const s = fnIdx.get(name);
      return s ? { href: `${root}${sourcePage(s.file)}#L${s.line}`, where: `${s.file}:${s.line}` } : undefined;
    },
  });
  const links = linksAt("");

  // Claims and their status.
  const checks = byTag(tests);
  const tagStatus = new Map<string, Status>([...checks].map(([t, ts]) => [t, statusOf(ts)]));
  const markStatus = (m: Mark) => statusOf(m.tags.flatMap((t) => checks.get(t) ?? []));
  const checksOf = (tags: string[]) => {
    const seen = new Set<TestResult>();
    return tags.flatMap((t) => checks.get(t) ?? []).filter((t) => !seen.has(t) && seen.add(t));
  };
  const where = new Map<string, { page: ParsedPage; mark: Mark }[]>();
  for (const p of pages) for (const m of p.marks) for (const t of m.tags) where.set(t, [...(where.get(t) ?? []), { page: p, mark: m }]);

  const claimTags = [...checks.keys()].sort(compareTags);
  const failedTags = claimTags.filter((t) => tagStatus.get(t) === "failed");
  const summary: SiteSummary = {
    pages: [],
    claims: claimTags.length,
    claimsHeld: claimTags.filter((t) => tagStatus.get(t) === "held").length,
    claimsFailed: failedTags.length,
    claimsSkipped: claimTags.filter((t) => tagStatus.get(t) === "skipped").length,
    checks: tests.length,
    checksFailed: tests.filter((t) => t.status === "failed").length,
    bound: tests.reduce((s, t) => s + (t.meta?.alpha ?? 0) + (t.meta?.beta ?? 0), 0),
    loadErrors: input.results.errors,
    failedTags,
  };

  // Navigation.
  const byName = new Map(pages.map((p) => [p.name, p]));
  const chapters = pages.filter((p) => !SPECIAL.includes(p.name));
  const nav: NavItem[] = [
    { href: "index.html", label: "Contents" },
    ...chapters.map((p) => ({ href: `${p.name}.html`, label: shortTitle(p) })),
    ...BACK_MATTER.filter((n) => byName.has(n)).map((n) => ({ href: `${n}.html`, label: SPECIAL_LABEL[n] })),
    { href: "report.html", label: "Report" },
  ];
  const footer =
    `pgbook · commit <code>${esc(input.commit)}</code> · master seed <code>${esc(input.results.masterSeed)}</code> · ` +
    `checks run ${esc(input.results.ranAt.slice(0, 16).replace("T", " "))} UTC · built ${esc(input.date.slice(0, 16).replace("T", " "))} UTC`;

  // Write into a temporary sibling folder, then swap.
  const outDir = path.resolve(input.outDir);
  mkdirSync(path.dirname(outDir), { recursive: true });
  const tmp = mkdtempSync(path.join(path.dirname(outDir), ".site-tmp-"));
  try {
    const write = (rel: string, html: string) => {
      const f = path.join(tmp, rel);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, html);
      summary.pages.push(rel);
    };
    mkdirSync(path.join(tmp, "assets", "katex"), { recursive: true });
    const kd = katexDist();
    cpSync(path.join(kd, "katex.min.css"), path.join(tmp, "assets", "katex", "katex.min.css"));
    cpSync(path.join(kd, "fonts"), path.join(tmp, "assets", "katex", "fonts"), { recursive: true });
    cpSync(fileURLToPath(new URL("./style.css", import.meta.url)), path.join(tmp, "assets", "style.css"));

    const hooks = {
      badge: (m: Mark) => badgeHtml(m.tags, checksOf(m.tags), links),
      figure: (m: Mark) => svgs.get(m.figureId!) ?? "",
    };
    const pageBanner = (p: ParsedPage) => {
      const bad = p.marks.filter((m) => markStatus(m) === "failed");
      if (!bad.length) return "";
      const items = bad.map((m) => `<a href="#${m.anchor}">${m.tags.map((t) => `[${esc(t)}]`).join(" ")}</a> (line ${m.line})`).join(", ");
      return `<div class="banner failed" role="alert"><strong>✗ ${bad.length} claim${bad.length > 1 ? "s" : ""} on this page failed ${bad.length > 1 ? "their" : "its"} checks:</strong> ${items}. Open the red badge for the failure and its replay command.</div>`;
    };

    for (const p of pages) {
      if (p.name === "index") continue;
      const ci = chapters.indexOf(p);
      const prev = ci > 0 ? chapters[ci - 1] : undefined;
      const next = ci >= 0 && ci < chapters.length - 1 ? chapters[ci + 1] : undefined;
      write(
        `${p.name}.html`,
        page({
          title: p.title.replace(/\$/g, ""),
          titleHtml: renderInline(md, p.title),
          body: renderPage(md, p, hooks),
          root: "",
          nav,
          current: `${p.name}.html`,
          footer,
          banner: pageBanner(p),
          prev: prev ? { href: `${prev.name}.html`, label: shortTitle(prev) } : ci >= 0 ? { href: "index.html", label: "Contents" } : undefined,
          next: next ? { href: `${next.name}.html`, label: shortTitle(next) } : undefined,
        }),
      );
    }

    // Source pages.
    for (const f of srcFiles) {
      const depth = f.rel.split("/").length; // source/<rel>.html sits depth folders below the root
      write(sourcePage(f.rel), page({ title: f.rel, body: sourceBody(f), root: "../".repeat(depth), nav, footer, wide: true }));
    }

    // Report: every claim and every check.
    const claimRows = claimTags
      .map((tag) => {
        const ts = checks.get(tag)!;
        const st = tagStatus.get(tag)!;
        const at = (where.get(tag) ?? []).map(({ page: p, mark }) => `<a href="${p.name}.html#${mark.anchor}">${esc(p.name)}</a>`).join(", ");
        return (
          `<tr id="${tagId(tag)}" class="${st}"><td>[${esc(tag)}]</td><td><span class="pill ${st === "held" ? "passed" : st}">${st}</span></td>` +
          `<td>${ts.length}</td><td>${esc([...new Set(ts.map(kindLabel))].join(", "))}</td><td>${at}</td></tr>`
        );
      })
      .join("\n");
    const files = [...new Set(tests.map((t) => t.file))].sort();
    const checkSections = files
      .map((f) => {
        const ts = tests.filter((t) => t.file === f);
        const bad = ts.filter((t) => t.status === "failed").length;
        const href = links.spec(f);
        return (
          `<h3>${href ? `<a href="${esc(href)}">${esc(f)}</a>` : esc(f)} <span class="toc-meta">${ts.length} checks${bad ? `, <span class="bad">${bad} failed</span>` : ""}</span></h3>` +
          ts.map((t) => checkHtml(t, links)).join("\n")
        );
      })
      .join("\n");
    const failedList = tests.filter((t) => t.status === "failed");
    const loadList = input.results.errors.length
      ? `<div class="banner failed" role="alert"><strong>Spec files that failed to load:</strong><pre class="failure">${esc(input.results.errors.join("\n\n"))}</pre></div>`
      : "";
    const reportBanner = failedList.length
      ? `<div class="banner failed" role="alert"><strong>✗ ${failedList.length} check${failedList.length > 1 ? "s" : ""} failed:</strong> ` +
        failedList.map((t) => `${esc(t.fullName)} (${esc(t.file)})`).join("; ") +
        `</div>`
      : "";
    write(
      "report.html",
      page({
        title: "Verification report",
        body:
          `${loadList}<p>Every check of this build, grouped by claim and then by spec file. ` +
          `Each one lists its kind, its design (samples, α, half-width, detectable deviation), its seed and the command that replays it.</p>` +
          `<table class="runinfo"><tr><th>total false-failure bound</th><td>${summary.bound.toExponential(2)} (Σα + Σβ over the statistical checks, at their default rates)</td></tr>` +
          `${calibrationRow(input.sourceRoot)}</table>` +
          `<h2>Claims</h2><table class="report"><thead><tr><th>tag</th><th>status</th><th>checks</th><th>kinds</th><th>marked in</th></tr></thead><tbody>${claimRows}</tbody></table>` +
          `<h2>Checks</h2>${checkSections}`,
        root: "",
        nav,
        current: "report.html",
        footer,
        banner: reportBanner,
        wide: true,
      }),
    );

    // Index: contents and the verification summary.
    const r = input.results;
    const buildSeconds = input.startedAt !== undefined ? (performance.now() - input.startedAt) / 1000 : undefined;
    const tocItem = (p: ParsedPage) => {
      const tags = [...new Set(p.marks.flatMap((m) => m.tags))];
      const bad = tags.filter((t) => tagStatus.get(t) === "failed").length;
      const meta = tags.length
        ? `${tags.length} claim${tags.length > 1 ? "s" : ""}: ${bad ? `<span class="bad">${bad} failed</span>, ` : ""}${tags.length - bad} ${bad ? "other" : "held"}`
        : "";
      return `<li><a href="${p.name}.html">${renderInline(md, p.title)}</a> <span class="toc-meta">${meta}</span></li>`;
    };
    const intro = byName.has("index") ? renderPage(md, byName.get("index")!, hooks) : "";
    const allHeld = summary.claimsFailed === 0 && summary.checksFailed === 0 && r.errors.length === 0;
    const banner = allHeld
      ? `<div class="banner held">✓ All ${summary.claims} claims held (${summary.checks} checks).</div>`
      : `<div class="banner failed" role="alert"><strong>✗ ${summary.claimsFailed} claim${summary.claimsFailed === 1 ? "" : "s"} failed` +
        `${summary.checksFailed ? ` (${summary.checksFailed} check${summary.checksFailed === 1 ? "" : "s"})` : ""}` +
        `${r.errors.length ? `; ${r.errors.length} spec file(s) failed to load` : ""}:</strong> ` +
        failedTags.map((t) => `<a href="report.html#${tagId(t)}">[${esc(t)}]</a>`).join(" ") +
        ` — see the <a href="report.html">report</a>.</div>`;
    const stat = (n: number | string, l: string, bad = false) => `<div><span class="n${bad ? " bad" : ""}">${n}</span><span class="l">${l}</span></div>`;
    const indexBody =
      `${intro}${banner}<div class="summary">` +
      stat(summary.claims, "claims checked") +
      stat(summary.claimsHeld, "held") +
      stat(summary.claimsFailed, "failed", summary.claimsFailed > 0) +
      stat(summary.checks, "checks") +
      stat(summary.bound.toExponential(1), "total false-failure bound Σα+Σβ") +
      `</div>` +
      `<table class="runinfo">` +
      `<tr><th>commit</th><td><code>${esc(input.commit)}</code></td></tr>` +
      `<tr><th>master seed</th><td><code>${esc(r.masterSeed)}</code> (replay any run with <code>PGBOOK_SEED=${esc(r.masterSeed)}</code>)</td></tr>` +
      `<tr><th>checks run</th><td>${esc(r.ranAt.replace("T", " ").slice(0, 19))} UTC${r.cached ? " (results reused: same sources, specs and seed)" : ""}</td></tr>` +
      `<tr><th>checks took</th><td>${(r.seconds.fast + r.seconds.slow).toFixed(1)} s (fast tier ${r.seconds.fast.toFixed(1)} s, slow tier ${r.seconds.slow.toFixed(1)} s)</td></tr>` +
      (buildSeconds !== undefined ? `<tr><th>site built</th><td>${esc(input.date.replace("T", " ").slice(0, 19))} UTC in ${buildSeconds.toFixed(1)} s${r.cached ? "" : " (checks included)"}</td></tr>` : "") +
      (summary.claimsSkipped ? `<tr><th>not attempted</th><td>${summary.claimsSkipped} claims</td></tr>` : "") +
      calibrationRow(input.sourceRoot) +
      `</table>` +
      `<h2>Contents</h2><ol class="toc">${chapters.map(tocItem).join("\n")}</ol>` +
      `<ul class="toc">${BACK_MATTER
        .filter((n) => byName.has(n))
        .map((n) => tocItem(byName.get(n)!))
        .join("\n")}<li><a href="report.html">Verification report</a> <span class="toc-meta">every check, with its design, seed and replay command</span></li></ul>`;
    write(
      "index.html",
      page({
        title: byName.get("index")?.title ?? "pgbook: policy gradient methods, verified",
        body: indexBody,
        root: "",
        nav,
        current: "index.html",
        footer,
        next: chapters[0] ? { href: `${chapters[0].name}.html`, label: shortTitle(chapters[0]) } : undefined,
      }),
    );

    // Swap in.
    if (existsSync(outDir)) {
      const old = `${tmp}-old`;
      renameSync(outDir, old);
      renameSync(tmp, outDir);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, outDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { ok: true, ...summary };
}

/** A short plain-text line for a failed check (for the terminal). */
export function failureLine(t: TestResult): string {
  return `✗ ${t.file}${t.line ? `:${t.line}` : ""} > ${t.fullName}\n  ${(t.failureMessages[0] ?? "").split("\n")[0].slice(0, 300)}\n  replay: ${t.meta?.replay ?? ""}`;
}

export { fmt };
