/**
 * The markup of a "check your code" panel (check-panel.ts makes it work): what to write, the book's checks it
 * will run (their titles, as the report and the grader name them), and, once a reader opens it, the editor, the
 * master seed and the run button. Without JavaScript the panel lists the checks and says it needs JavaScript.
 */
import { claimId } from "../../../spec/claims/index.ts";
import type { Panel } from "../../../spec/claims/index.ts";
import { CHECK_TIME_LIMIT_MS } from "./check-protocol.ts";
import { esc, scriptJson } from "../html.ts";

/** The code the editor starts with: the contract's signature and what the function computes. */
export function starterCode(p: Panel): string {
  return `export function ${p.fn}${p.signature} {\n  // ${p.doc}\n  throw new Error("not written yet");\n}\n`;
}

/** The panel for `p` under the checks' master seed. */
export function checkPanelHtml(p: Panel, master: string): string {
  const data = { fn: p.fn, claims: p.claims.map(claimId), master, starter: starterCode(p) };
  const items = p.claims
    .map(
      (c) =>
        `<li data-claim="${esc(claimId(c))}" data-status="not-run"><span class="check-verdict">not run</span> ` +
        `<span class="check-name">${esc(c.title)}</span></li>`,
    )
    .join("");
  return (
    `<section class="check-panel" id="check-${esc(p.fn)}" data-fn="${esc(p.fn)}">` +
    `<h3 class="check-title">Check your code: <code>${esc(p.fn)}</code></h3>` +
    `<p>Write <code>${esc(p.fn)}</code>, ${esc(p.doc)}, in TypeScript or JavaScript. “Run the checks” runs the ` +
    `book's own checks of it below — the same code vitest and the grader run, under the same seeds — in this page; ` +
    `nothing is sent anywhere. The rest of the contract is the book's, and your code may call it as ` +
    `<code>book.&lt;name&gt;</code>. A run that takes longer than ${CHECK_TIME_LIMIT_MS / 1000} s is stopped.</p>` +
    `<noscript><p>The panel needs JavaScript; <code>npm test</code> runs the same checks.</p></noscript>` +
    `<button type="button" class="check-open" hidden>Write ${esc(p.fn)} and check it</button>` +
    `<div class="check-work" hidden><div class="check-editor"></div>` +
    `<div class="check-controls"><label>master seed <input class="check-seed" value="${esc(master)}" ` +
    `spellcheck="false" size="12"></label> <button type="button" class="check-run">Run the checks</button></div>` +
    `</div><p class="check-status" role="status"></p>` +
    `<ol class="check-list">${items}</ol>` +
    `<script type="application/json" class="check-data">${scriptJson(data)}</script></section>`
  );
}
