/**
 * The index: the book's own introduction (chapters/index.md, if any), the verification summary
 * (claims held and failed, Σα + Σβ, commit, seed, dates and times, calibration) and the contents,
 * each entry with its count of claims.
 */
import { esc, tagId } from "./html.ts";
import { page } from "./layout.ts";
import { renderInline, renderPage, type ParsedPage } from "./markdown.ts";
import { calibrationRow } from "./measured.ts";
import { BACK_MATTER, type SiteFrame } from "./site-frame.ts";
import type { SiteSummary } from "./site-types.ts";
import { shortTitle } from "./chapters.ts";

/** An entry of the contents: the page's title and how many of its claims held. */
function tocItem(site: SiteFrame, p: ParsedPage): string {
  const tags = [...new Set(p.marks.flatMap((m) => m.tags))];
  const bad = tags.filter((t) => site.claims.tagStatus.get(t) === "failed").length;
  const meta = tags.length
    ? `${tags.length} claim${tags.length > 1 ? "s" : ""}: ${bad ? `<span class="bad">${bad} failed</span>, ` : ""}${tags.length - bad} ${bad ? "other" : "held"}`
    : "";
  return `<li><a href="${p.name}.html">${renderInline(site.md, p.title)}</a> <span class="toc-meta">${meta}</span></li>`;
}

/** The green banner when everything held, else the red one listing the failed claims. */
function summaryBanner(site: SiteFrame, summary: SiteSummary): string {
  const r = site.input.results;
  const allHeld = summary.claimsFailed === 0 && summary.checksFailed === 0 && r.errors.length === 0;
  return allHeld
    ? `<div class="banner held">✓ All ${summary.claims} claims held (${summary.checks} checks).</div>`
    : `<div class="banner failed" role="alert"><strong>✗ ${summary.claimsFailed} claim${summary.claimsFailed === 1 ? "" : "s"} failed` +
        `${summary.checksFailed ? ` (${summary.checksFailed} check${summary.checksFailed === 1 ? "" : "s"})` : ""}` +
        `${r.errors.length ? `; ${r.errors.length} spec file(s) failed to load` : ""}:</strong> ` +
        summary.failedTags.map((t) => `<a href="report.html#${tagId(t)}">[${esc(t)}]</a>`).join(" ") +
        ` — see the <a href="report.html">report</a>.</div>`;
}

/** The table of the run: commit, seed, when the checks ran and how long they and the build took. */
function runTable(site: SiteFrame, summary: SiteSummary, buildSeconds: number | undefined): string {
  const { input } = site;
  const r = input.results;
  return (
    `<table class="runinfo">` +
    `<tr><th>commit</th><td><code>${esc(input.commit)}</code></td></tr>` +
    `<tr><th>master seed</th><td><code>${esc(r.masterSeed)}</code> (replay any run with <code>PGBOOK_SEED=${esc(r.masterSeed)}</code>)</td></tr>` +
    `<tr><th>checks run</th><td>${esc(r.ranAt.replace("T", " ").slice(0, 19))} UTC${r.cached ? " (results reused: same sources, specs and seed)" : ""}</td></tr>` +
    `<tr><th>checks took</th><td>${(r.seconds.fast + r.seconds.slow).toFixed(1)} s (fast tier ${r.seconds.fast.toFixed(1)} s, slow tier ${r.seconds.slow.toFixed(1)} s)</td></tr>` +
    (buildSeconds !== undefined
      ? `<tr><th>site built</th><td>${esc(input.date.replace("T", " ").slice(0, 19))} UTC in ${buildSeconds.toFixed(1)} s${r.cached ? "" : " (checks included)"}</td></tr>`
      : "") +
    (summary.claimsSkipped ? `<tr><th>not attempted</th><td>${summary.claimsSkipped} claims</td></tr>` : "") +
    calibrationRow(input.sourceRoot) +
    `</table>`
  );
}

/** The index page; the build time shown is the time from `input.startedAt` to now. */
export function indexPage(site: SiteFrame, summary: SiteSummary): string {
  const { input, byName, chapters } = site;
  const buildSeconds = input.startedAt !== undefined ? (performance.now() - input.startedAt) / 1000 : undefined;
  const intro = byName.has("index") ? renderPage(site.md, byName.get("index")!, site.hooks) : "";
  const stat = (n: number | string, l: string, bad = false) =>
    `<div><span class="n${bad ? " bad" : ""}">${n}</span><span class="l">${l}</span></div>`;
  const body =
    `${intro}${summaryBanner(site, summary)}<div class="summary">` +
    stat(summary.claims, "claims checked") +
    stat(summary.claimsHeld, "held") +
    stat(summary.claimsFailed, "failed", summary.claimsFailed > 0) +
    stat(summary.checks, "checks") +
    stat(summary.bound.toExponential(1), "total false-failure bound Σα+Σβ") +
    `</div>` +
    runTable(site, summary, buildSeconds) +
    // the chapters' titles carry their numbers ("1. Bandits: …"), so the list draws none of its own
    `<h2>Contents</h2><ul class="toc">${chapters.map((p) => tocItem(site, p)).join("\n")}</ul>` +
    `<ul class="toc">${BACK_MATTER.filter((n) => byName.has(n))
      .map((n) => tocItem(site, byName.get(n)!))
      .join(
        "\n",
      )}<li><a href="report.html">Verification report</a> <span class="toc-meta">every check, with its design, seed and replay command</span></li></ul>`;
  return page({
    title: byName.get("index")?.title ?? "pgbook: policy gradient methods, verified",
    body,
    root: "",
    nav: site.nav,
    current: "index.html",
    footer: site.footer,
    next: chapters[0] ? { href: `${chapters[0].name}.html`, label: shortTitle(chapters[0]) } : undefined,
  });
}
