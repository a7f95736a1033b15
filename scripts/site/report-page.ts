/**
 * The verification report: the run's bound and calibration, a table of every claim (status, number
 * and kinds of checks, where it is marked) and every check grouped by spec file, with a banner
 * listing the failed checks and the spec files that failed to load.
 */
import { checkHtml, kindLabel } from "./checks.ts";
import { esc, tagId } from "./html.ts";
import { page } from "./layout.ts";
import { calibrationRow } from "./measured.ts";
import type { SiteFrame } from "./site-frame.ts";
import type { SiteSummary } from "./site-types.ts";

/** One row of the claims table. */
function claimRow(site: SiteFrame, tag: string): string {
  const { checks, tagStatus, where } = site.claims;
  const ts = checks.get(tag)!;
  const st = tagStatus.get(tag)!;
  const at = (where.get(tag) ?? [])
    .map(({ page: p, mark }) => `<a href="${p.name}.html#${mark.anchor}">${esc(p.name)}</a>`)
    .join(", ");
  return (
    `<tr id="${tagId(tag)}" class="${st}"><td>[${esc(tag)}]</td><td><span class="pill ${st === "held" ? "passed" : st}">${st}</span></td>` +
    `<td>${ts.length}</td><td>${esc([...new Set(ts.map(kindLabel))].join(", "))}</td><td>${at}</td></tr>`
  );
}

/** The checks of every spec file, each file under its heading (linked to its source page). */
function checkSections(site: SiteFrame): string {
  const { tests } = site.input.results;
  const files = [...new Set(tests.map((t) => t.file))].sort();
  return files
    .map((f) => {
      const ts = tests.filter((t) => t.file === f);
      const bad = ts.filter((t) => t.status === "failed").length;
      const href = site.links.spec(f);
      // collapsed to its title; a file with a failed check opens, and so does the check
      return (
        `<details class="spec-file"${bad ? " open" : ""}><summary><h3>${href ? `<a href="${esc(href)}">${esc(f)}</a>` : esc(f)} <span class="toc-meta">${ts.length} checks${bad ? `, <span class="bad">${bad} failed</span>` : ""}</span></h3></summary>` +
        ts.map((t) => checkHtml(t, site.links, true)).join("\n") +
        `</details>`
      );
    })
    .join("\n");
}

export function reportPage(site: SiteFrame, summary: SiteSummary): string {
  const { input } = site;
  const claimRows = site.claims.claimTags.map((tag) => claimRow(site, tag)).join("\n");
  const sections = checkSections(site);
  const failedList = input.results.tests.filter((t) => t.status === "failed");
  const loadList = input.results.errors.length
    ? `<div class="banner failed" role="alert"><strong>Spec files that failed to load:</strong><pre class="failure">${esc(input.results.errors.join("\n\n"))}</pre></div>`
    : "";
  const reportBanner = failedList.length
    ? `<div class="banner failed" role="alert"><strong>✗ ${failedList.length} check${failedList.length > 1 ? "s" : ""} failed:</strong> ` +
      failedList.map((t) => `${esc(t.fullName)} (${esc(t.file)})`).join("; ") +
      `</div>`
    : "";
  return page({
    title: "Verification report",
    body:
      `${loadList}<p>Every check of this build, by claim and then by spec file. ` +
      `Each one lists its kind, its design (samples, α, half-width, detectable deviation), its seed and the command that replays it.</p>` +
      `<table class="runinfo"><tr><th>total false-failure bound</th><td>${summary.bound.toExponential(2)} (Σα + Σβ over the statistical checks, at their default rates)</td></tr>` +
      `${calibrationRow(input.sourceRoot)}</table>` +
      `<h2>Claims</h2><div class="table-wrap"><table class="report"><thead><tr><th>tag</th><th>status</th><th>checks</th><th>kinds</th><th>marked in</th></tr></thead><tbody>${claimRows}</tbody></table></div>` +
      `<h2>Checks</h2><p>Each spec file opens to its checks, each check to its facts; failed ones are open.</p>${sections}`,
    root: "",
    nav: site.nav,
    current: "report.html",
    footer: site.footer,
    banner: reportBanner,
    wide: true,
  });
}
