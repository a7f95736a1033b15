/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The page's side of the "check your code" panels (markup: check-panel-html.ts). Loaded on chapter pages; small:
 * the editor (editor.js) is loaded when a reader opens a panel, the checks' worker (check-worker.js) when they
 * first run it. Both come through <script> tags, which also load from file://; the worker is started from a Blob
 * of its source. A run that has not finished within CHECK_TIME_LIMIT_MS is stopped by terminating the worker.
 */
import { CHECK_TIME_LIMIT_MS, type CheckReply, type CheckResult } from "./check-protocol.ts";

interface PanelData {
  fn: string;
  claims: string[];
  master: string;
  starter: string;
}

interface Editor {
  get(): string;
  set(text: string): void;
}

type Globals = {
  PGBOOK_EDITOR?: { mount(parent: HTMLElement, doc: string, label: string): Editor };
  PGBOOK_CHECK_WORKER?: string;
};
const g = globalThis as unknown as Globals;

/** Where the site's assets are: beside this script. */
const base = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src ?? "";
  return src.slice(0, src.lastIndexOf("/") + 1);
})();

const loading = new Map<string, Promise<void>>();
/** Load `assets/live/<name>` once, through a script tag. */
function loadScript(name: string): Promise<void> {
  let p = loading.get(name);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement("script");
      s.src = base + name;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${name}`));
      document.head.append(s);
    });
    loading.set(name, p);
  }
  return p;
}

const text = (tag: string, cls: string, content: string) => {
  const el = document.createElement(tag);
  el.className = cls;
  el.textContent = content;
  return el;
};

function showResult(li: HTMLElement, r: CheckResult): void {
  li.dataset.status = r.status;
  li.querySelector(".check-verdict")!.textContent = r.status === "passed" ? "held" : "failed";
  li.querySelector(".check-detail")?.remove();
  const facts = Object.entries(r.facts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const lines = [
    r.line !== undefined ? `your code threw at line ${r.line}:` : "",
    r.status === "passed" ? `held in ${Math.round(r.ms)} ms${facts ? ` (${facts})` : ""}` : r.message,
  ].filter(Boolean);
  li.append(text("pre", "check-detail", lines.join("\n")));
}

function setUp(panel: HTMLElement): void {
  const data = JSON.parse(panel.querySelector(".check-data")!.textContent) as PanelData;
  const open = panel.querySelector<HTMLButtonElement>(".check-open")!;
  const work = panel.querySelector<HTMLElement>(".check-work")!;
  const runButton = panel.querySelector<HTMLButtonElement>(".check-run")!;
  const seedInput = panel.querySelector<HTMLInputElement>(".check-seed")!;
  const status = panel.querySelector<HTMLElement>(".check-status")!;
  const items = new Map(
    [...panel.querySelectorAll<HTMLElement>(".check-list li")].map((li) => [li.dataset.claim!, li]),
  );
  let editor: Editor | undefined;
  let worker: Worker | undefined;
  let runId = 0;
  open.hidden = false;

  open.addEventListener("click", () => {
    open.disabled = true;
    status.textContent = "loading the editor…";
    loadScript("editor.js").then(
      () => {
        work.hidden = false;
        open.hidden = true;
        status.textContent = "";
        editor = g.PGBOOK_EDITOR!.mount(
          panel.querySelector<HTMLElement>(".check-editor")!,
          data.starter,
          `your ${data.fn}`,
        );
        (panel as HTMLElement & { pgbookEditor?: Editor }).pgbookEditor = editor;
      },
      (e: Error) => {
        open.disabled = false;
        status.textContent = e.message;
      },
    );
  });

  const stop = () => {
    worker?.terminate();
    worker = undefined;
  };

  runButton.addEventListener("click", () => {
    if (!editor) return;
    const id = ++runId;
    const master = seedInput.value.trim() || data.master;
    for (const li of items.values()) {
      li.dataset.status = "running";
      li.querySelector(".check-verdict")!.textContent = "running";
      li.querySelector(".check-detail")?.remove();
    }
    status.textContent = "running the checks…";
    runButton.disabled = true;
    const finish = (message: string) => {
      clearTimeout(timer);
      runButton.disabled = false;
      status.textContent = message;
      for (const li of items.values())
        if (li.dataset.status === "running") {
          li.dataset.status = "not-run";
          li.querySelector(".check-verdict")!.textContent = "not run";
        }
    };
    const timer = setTimeout(() => {
      if (id !== runId) return;
      stop();
      finish(
        `stopped after ${CHECK_TIME_LIMIT_MS / 1000} s: your ${data.fn} did not return in time (an endless loop?). ` +
          "The checks still running were not finished.",
      );
    }, CHECK_TIME_LIMIT_MS);
    loadScript("check-worker.js").then(
      () => {
        if (id !== runId) return;
        stop();
        worker = new Worker(URL.createObjectURL(new Blob([g.PGBOOK_CHECK_WORKER!], { type: "text/javascript" })));
        let held = 0;
        worker.onmessage = (e: MessageEvent<CheckReply>) => {
          const m = e.data;
          if (m.id !== id) return;
          if (m.kind === "error") return finish(m.message);
          if (m.kind === "done") return finish(`${held} of ${items.size} checks held (master seed ${master})`);
          if (m.result.status === "passed") held++;
          const li = items.get(m.result.claim);
          if (li) showResult(li, m.result);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          finish(`the checks stopped: ${e.message}`);
        };
        worker.postMessage({ id, mode: "function", fn: data.fn, code: editor!.get(), claims: data.claims, master });
      },
      (e: Error) => finish(e.message),
    );
  });
}

for (const panel of document.querySelectorAll<HTMLElement>(".check-panel")) setUp(panel);
