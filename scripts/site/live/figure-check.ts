/**
 * The browser check of the live figures, at 1280 and 390 px: on each chapter page given, the first live
 * figure's "runs" slider (or its first slider of a checked setting) is moved to its first value with the
 * keyboard, as a reader would; the plot must change and the status say "not checked"; "Back to the checked
 * settings" must bring back the static SVG and the status of the checked settings; the controls must fit the
 * page (no sideways scroll); and no console error may appear. At the first width, the button must also work
 * when pressed while a redraw is being computed (busy indicator on), and the figure's worker is asked for the
 * checked settings directly: its SVG must be the static one, drawn in Chromium from the same spec and code.
 */
import type { BrowserContext, Page } from "playwright-core";
import { LIVE_DATA_CLASS, LIVE_FIGURE_CLASS, WORKER_FILE, WORKER_GLOBAL } from "./figure-protocol.ts";

/** How long a redraw may take here (2 cores shared with other work), in ms. */
const REDRAW_MS = 60_000;
/** How long a superseded redraw is given to (wrongly) show up: longer than any live figure's, in ms. */
const SUPERSEDED_MS = 4_000;

/** The page state the check reads: the first live figure's plot markup and status. */
const STATE = `(() => {
  const f = document.querySelector(".${LIVE_FIGURE_CLASS}");
  const plot = f && f.querySelector(".live-plot");
  const status = f && f.querySelector(".live-status");
  return {
    id: f ? f.dataset.liveFigure : null,
    plot: plot ? plot.innerHTML : null,
    state: status ? status.dataset.state : null,
    status: status ? status.textContent : null,
    busy: f ? f.getAttribute("aria-busy") === "true" : false,
  };
})()`;

interface State {
  id: string | null;
  plot: string | null;
  state: string | null;
  status: string | null;
  busy: boolean;
}

/** What overflows sideways: the page, or the figure's panel beyond its figure. */
const FIT = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push("the page scrolls sideways: " + doc.scrollWidth + " px wide in " + doc.clientWidth);
  const f = document.querySelector(".${LIVE_FIGURE_CLASS}");
  const panel = f && f.querySelector(".live-panel");
  if (panel) {
    const fig = f.closest("figure").getBoundingClientRect();
    for (const e of panel.querySelectorAll("input, select, output, button, label")) {
      const r = e.getBoundingClientRect();
      if (r.right > fig.right + 1 || r.left < fig.left - 1)
        out.push(e.tagName.toLowerCase() + " of the controls reaches " + Math.round(r.left) + "–" + Math.round(r.right) + " px, outside its figure (" + Math.round(fig.left) + "–" + Math.round(fig.right) + ")");
    }
    if (panel.scrollWidth > panel.clientWidth + 1) out.push("the controls scroll sideways inside their panel");
  }
  return out;
})()`;

/**
 * Ask a fresh worker for the page's live figure number `index` at its checked settings (the same Blob-URL
 * worker the page script starts), and compare its SVG with the static one as the page holds them (aria-label
 * aside: the build adds it). Resolves to the figure's id, a problem or null, and the time the worker took.
 */
const sameAtChecked = (index: number) => `(async () => {
  const f = document.querySelectorAll(".${LIVE_FIGURE_CLASS}")[${index}];
  const data = JSON.parse(f.querySelector("script.${LIVE_DATA_CLASS}").textContent);
  if (typeof globalThis.${WORKER_GLOBAL} !== "string")
    await new Promise((ok, fail) => {
      const s = document.createElement("script");
      s.src = new URL("assets/live/${WORKER_FILE}", document.baseURI).href;
      s.onload = ok;
      s.onerror = () => fail(new Error("could not load " + s.src));
      document.head.append(s);
    });
  const url = URL.createObjectURL(new Blob([globalThis.${WORKER_GLOBAL}], { type: "text/javascript" }));
  const w = new Worker(url);
  const values = Object.fromEntries(data.params.map((p) => [p.name, p.checked]));
  const reply = await new Promise((ok) => {
    w.onmessage = (e) => ok(e.data);
    w.onerror = (e) => ok({ error: e.message || "the worker failed" });
    w.postMessage({ seq: 1, id: data.id, spec: data.spec, params: data.params, values });
  });
  w.terminate();
  if (reply.error) return { id: data.id, problem: "the worker failed at the checked settings: " + reply.error, ms: 0 };
  const svg = (html) => {
    const d = document.createElement("div");
    d.innerHTML = html;
    const s = d.querySelector("svg");
    s.removeAttribute("aria-label");
    return s.outerHTML;
  };
  const same = svg(reply.svg) === svg(f.querySelector(".live-plot").innerHTML);
  return { id: data.id, problem: same ? null : "the worker's SVG at the checked settings differs from the static SVG", ms: reply.ms };
})()`;

/** A figure redrawn at its checked settings by the worker. */
interface Redrawn {
  id: string;
  problem: string | null;
  ms: number;
}

async function state(page: Page): Promise<State> {
  return await page.evaluate<State>(STATE);
}

/** Wait until the first live figure's state passes `ok`; the last state seen when it never does. */
async function waitFor(page: Page, ok: (s: State) => boolean, ms: number): Promise<{ ok: boolean; last: State }> {
  const until = Date.now() + ms;
  let last = await state(page);
  while (!ok(last) && Date.now() < until) {
    await page.waitForTimeout(100);
    last = await state(page);
  }
  return { ok: ok(last), last };
}

/** One page at one width: the problems found, each starting with the page and the width. */
async function checkPage(
  context: BrowserContext,
  url: string,
  rel: string,
  width: number,
  compareWorker: boolean,
): Promise<{ problems: string[]; workerMs?: number }> {
  const page = await context.newPage();
  const where = `${rel} at ${width} px`;
  const problems: string[] = [];
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  let workerMs: number | undefined;
  try {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url);
    const first = await state(page);
    if (!first.id) return { problems: [`${where}: no live figure on the page`] };
    const fig = `${where}, figure ${first.id}`;
    if (first.state !== "checked" || !first.status?.startsWith("These are the settings the checks used"))
      problems.push(`${fig}: the status at load is "${first.status}", not the checked settings`);
    problems.push(...(await page.evaluate<string[]>(FIT)).map((p) => `${fig}: ${p}`));

    const figure = page.locator(`.${LIVE_FIGURE_CLASS}`).first();
    const runs = figure.locator('.live-slider[data-param="runs"] input');
    const slider = (await runs.count()) ? runs : figure.locator(".live-slider:not([data-view]) input").first();
    if ((await slider.count()) === 0) {
      problems.push(`${fig}: no slider under the figure (the page script did not build its controls)`);
      return { problems };
    }
    await slider.scrollIntoViewIfNeeded();
    await slider.focus();
    await slider.press("Home");
    const moved = await waitFor(page, (s) => s.state !== "busy" && s.plot !== first.plot, REDRAW_MS);
    if (!moved.ok)
      problems.push(
        `${fig}: moving a slider did not redraw the plot within ${REDRAW_MS / 1000} s (status: "${moved.last.status}")`,
      );
    else if (moved.last.state !== "yours" || !moved.last.status?.includes("not checked"))
      problems.push(`${fig}: after moving a slider the status is "${moved.last.status}", not "… not checked …"`);
    problems.push(...(await page.evaluate<string[]>(FIT)).map((p) => `${fig}, after the redraw: ${p}`));

    await figure.locator("button.live-reset").click();
    const back = await waitFor(page, (s) => s.plot === first.plot && s.state === "checked", 5_000);
    if (!back.ok)
      problems.push(
        `${fig}: "Back to the checked settings" did not bring back the static SVG and the checked status ` +
          `(status: "${back.last.status}", plot ${back.last.plot === first.plot ? "static" : "not the static one"})`,
      );

    if (compareWorker) {
      // a request superseded: the first slider to its far end (a redraw of the checked number of runs, which takes
      // a while), then straight back to the checked settings while the worker computes; the busy indicator shows
      // meanwhile, and the stale answer must never replace the static SVG
      const farSlider = figure.locator(".live-slider:not([data-view]) input").first();
      const atEnd = await farSlider.evaluate((e) => (e as HTMLInputElement).value === (e as HTMLInputElement).max);
      await farSlider.press(atEnd ? "Home" : "End");
      const busy = await waitFor(page, (s) => s.busy && s.state === "busy", 5_000);
      if (!busy.ok)
        problems.push(`${fig}: no busy indicator while the figure was computed (status: "${busy.last.status}")`);
      await figure.locator("button.live-reset").click();
      await page.waitForTimeout(SUPERSEDED_MS);
      const after = await state(page);
      if (after.plot !== first.plot || after.state !== "checked")
        problems.push(
          `${fig}: a redraw superseded by "Back to the checked settings" still changed the figure ` +
            `(status: "${after.status}", plot ${after.plot === first.plot ? "static" : "not the static one"})`,
        );

      const r = await page.evaluate<Redrawn>(sameAtChecked(0));
      if (r.problem) problems.push(`${fig}: ${r.problem}`);
      workerMs = r.ms;
    }
  } catch (e) {
    problems.push(`${where}: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    await page.close();
  }
  problems.push(...errors.map((e) => `${where}: console error: ${e}`));
  return { problems, workerMs };
}

/**
 * The live figures' browser check on the chapter pages `pages` (paths from the site's root, opened through
 * `pageUrl`), at each of `widths`; the problems found, none when all is well. `log` hears how long each
 * checked figure took to redraw in the worker.
 */
export async function checkLiveFigures(
  context: BrowserContext,
  pageUrl: (rel: string) => string,
  opts: { pages?: string[]; widths?: number[]; log?: (line: string) => void } = {},
): Promise<string[]> {
  const pages = opts.pages ?? ["01-bandits.html", "02-average-return.html", "03-total-return.html"];
  const widths = opts.widths ?? [1280, 390];
  const problems: string[] = [];
  for (const rel of pages)
    for (const [i, width] of widths.entries()) {
      const r = await checkPage(context, pageUrl(rel), rel, width, i === 0);
      problems.push(...r.problems);
      if (r.workerMs !== undefined)
        opts.log?.(
          `[live] ${rel}: its first live figure redrawn at the checked settings in ${Math.round(r.workerMs)} ms`,
        );
    }
  return problems;
}

/**
 * Every live figure of the pages `pages` redrawn by a fresh worker at its checked settings, one at a time:
 * how long the worker took (computing the data and drawing them), and whether it drew the static SVG.
 */
export async function timeLiveFigures(
  context: BrowserContext,
  pageUrl: (rel: string) => string,
  pages: string[],
): Promise<Redrawn[]> {
  const out: Redrawn[] = [];
  for (const rel of pages) {
    const page = await context.newPage();
    try {
      await page.goto(pageUrl(rel));
      const n = await page.locator(`.${LIVE_FIGURE_CLASS}`).count();
      for (let i = 0; i < n; i++) out.push(await page.evaluate<Redrawn>(sameAtChecked(i)));
    } finally {
      await page.close();
    }
  }
  return out;
}
