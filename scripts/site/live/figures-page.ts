/// <reference lib="dom" />
/**
 * The page's side of the live figures: under each live figure's static SVG, controls for its parameters
 * (controls.ts) and a status line saying whether the plot shows the settings the checks used. A change is
 * drawn after a short pause by the figure's own Web Worker (figure-worker.ts), whose source is loaded the
 * first time a reader changes something, through a `<script>` that sets a global string (it loads from
 * file:// too), and which starts from a Blob of that string. A newer request stops an older one: its worker
 * is terminated. Back at the checked settings, the static SVG is shown again, as the build drew it.
 */
import { buildControls } from "./controls.ts";
import {
  LIVE_DATA_CLASS,
  LIVE_FIGURE_CLASS,
  WORKER_FILE,
  WORKER_GLOBAL,
  type FigureReply,
  type FigureRequest,
  type LiveFigureData,
} from "./figure-protocol.ts";
import { LIVE_STYLE } from "./live-style.ts";
import {
  changedParams,
  checkedValues,
  describeSettings,
  movedParams,
  seedProblem,
  statusText,
  type ParamValues,
} from "./params.ts";

/** How long the controls must rest before a redraw starts, in ms. */
const PAUSE_MS = 350;

/** Where this script was loaded from (the worker's source file sits beside it): assets/live/ of the site. */
const base =
  (document.currentScript as HTMLScriptElement | null)?.src || new URL("assets/live/", document.baseURI).href;

let workerUrl: Promise<string> | undefined;
/** The Blob URL of the worker's code, loading its source file on the first call. */
function loadWorker(): Promise<string> {
  workerUrl ??= new Promise<string>((resolve, reject) => {
    const s = document.createElement("script");
    s.src = new URL(WORKER_FILE, base).href;
    s.onload = () => {
      const code = (globalThis as Record<string, unknown>)[WORKER_GLOBAL];
      if (typeof code !== "string") reject(new Error(`${WORKER_FILE} did not set ${WORKER_GLOBAL}`));
      else resolve(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    };
    s.onerror = () => reject(new Error(`could not load ${s.src}`));
    document.head.append(s);
  });
  // a failed load may be retried by the next change
  workerUrl.catch(() => (workerUrl = undefined));
  return workerUrl;
}

/** Make one live figure's controls and wire them to its worker. */
function setUp(figure: HTMLElement): void {
  const json = figure.querySelector(`script.${LIVE_DATA_CLASS}`)?.textContent;
  const plot = figure.querySelector<HTMLElement>(".live-plot");
  if (!json || !plot) return;
  const data = JSON.parse(json) as LiveFigureData;
  const checked = checkedValues(data.params);
  const staticSvg = plot.innerHTML;
  let values: ParamValues = { ...checked };
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let worker: Worker | undefined;
  let waiting = false;

  const controls = buildControls(data.params, values, {
    change(name, value) {
      values = { ...values, [name]: value };
      clearTimeout(timer);
      timer = setTimeout(() => void redraw(), PAUSE_MS);
    },
    reset() {
      clearTimeout(timer);
      values = { ...checked };
      controls.show(values);
      void redraw();
    },
  });
  plot.after(controls.root);
  controls.status("checked", statusText(data.params, checked));

  /** Stop a computation whose answer is no longer wanted. */
  const stop = () => {
    if (waiting) {
      worker?.terminate();
      worker = undefined;
      waiting = false;
    }
    figure.removeAttribute("aria-busy");
  };

  const settle = (state: "checked" | "yours" | "error", text: string) => {
    stop();
    controls.status(state, text);
    controls.resettable(movedParams(data.params, values).length > 0);
  };

  async function redraw(): Promise<void> {
    const mine = ++seq;
    const mineValues = values;
    const seedIssue = data.params
      .filter((d) => d.kind === "seed")
      .map((d) => seedProblem(String(mineValues[d.name])))
      .find((p) => p !== undefined);
    if (seedIssue) return settle("error", `Not drawn: ${seedIssue}. The plot keeps the last settings drawn.`);
    if (movedParams(data.params, mineValues).length === 0) {
      plot!.innerHTML = staticSvg;
      return settle("checked", statusText(data.params, mineValues));
    }
    stop();
    figure.setAttribute("aria-busy", "true");
    controls.resettable(true);
    controls.status(
      "busy",
      `Computing the figure at ${describeSettings(movedParams(data.params, mineValues), mineValues)}…`,
    );
    let url: string;
    try {
      url = await loadWorker();
    } catch (e) {
      if (mine === seq) settle("error", `The figure cannot be redrawn here: ${(e as Error).message}.`);
      return;
    }
    if (mine !== seq) return;
    const w = (worker ??= new Worker(url));
    waiting = true;
    w.onmessage = (e: MessageEvent<FigureReply>) => {
      if (e.data.seq !== seq) return; // a reply to a request superseded since
      waiting = false;
      if ("error" in e.data) return settle("error", `Could not redraw with your settings: ${e.data.error}`);
      plot!.innerHTML = e.data.svg;
      const changed = changedParams(data.params, mineValues);
      const how = changed.length
        ? `Redrawn with your settings (${describeSettings(changed, mineValues)}), not checked.`
        : `Redrawn at the checked settings: ${describeSettings(movedParams(data.params, mineValues), mineValues)}.`;
      plot!.querySelector("svg")?.setAttribute("aria-label", `${data.alt} ${how}`);
      settle(changed.length ? "yours" : "checked", statusText(data.params, mineValues));
    };
    w.onerror = (e) => {
      e.preventDefault();
      if (mine !== seq) return;
      waiting = false;
      worker = undefined;
      settle("error", `Could not redraw with your settings: ${e.message || "the worker failed"}`);
    };
    const request: FigureRequest = { seq: mine, id: data.id, spec: data.spec, params: data.params, values: mineValues };
    w.postMessage(request);
  }
}

function start(): void {
  const figures = document.querySelectorAll<HTMLElement>(`.${LIVE_FIGURE_CLASS}`);
  if (figures.length === 0) return;
  const style = document.createElement("style");
  style.textContent = LIVE_STYLE;
  document.head.append(style);
  figures.forEach(setUp);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
