/// <reference lib="dom" />
/**
 * The controls under a live figure, built by the page script: a slider per number (over the values the
 * figure offers, its current value shown beside it), a select per choice, a text field for the seed, a
 * status line and a button back to the checked settings. They report changes; figures-page.ts decides what
 * to draw.
 */
import {
  formatValue,
  seedProblem,
  SEED_MAX_LENGTH,
  type ParamDef,
  type ParamValue,
  type ParamValues,
} from "./params.ts";

/** The state the status line shows (its `data-state`, which the style and the browser check read). */
export type StatusState = "checked" | "yours" | "busy" | "error";

export interface Controls {
  /** The panel, to be placed under the figure. */
  root: HTMLElement;
  /** Show `values` in the controls (after "back to the checked settings"). */
  show(values: ParamValues): void;
  status(state: StatusState, text: string): void;
  /** Enable the reset button when the values are not the checked ones. */
  resettable(on: boolean): void;
}

export interface ControlEvents {
  /** A control now reads `value` (a seed that cannot seed a run is marked invalid in its field). */
  change(name: string, value: ParamValue): void;
  reset(): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

let uid = 0;

/** One labelled control for `d`, and how to show a value in it. */
function control(d: ParamDef, value: ParamValue, on: ControlEvents): { row: HTMLElement; show(v: ParamValue): void } {
  const row = el("div", `live-control live-${d.kind}`);
  row.dataset.param = d.name;
  if (d.view) row.dataset.view = "true";
  const id = `live-${d.name}-${++uid}`;
  const label = el("label", "live-name", d.label);
  label.htmlFor = id;
  row.append(label);
  const mark = (v: ParamValue) => row.classList.toggle("changed", v !== d.checked);
  if (d.kind === "slider") {
    const input = el("input");
    const out = el("output");
    Object.assign(input, { type: "range", id, min: "0", max: String(d.values.length - 1), step: "1" });
    out.htmlFor.add(id);
    const show = (v: ParamValue) => {
      input.value = String(Math.max(0, d.values.indexOf(v as number)));
      const text = formatValue(v);
      out.textContent = text;
      input.setAttribute("aria-valuetext", text);
      mark(v);
    };
    input.addEventListener("input", () => {
      const v = d.values[Number(input.value)];
      show(v);
      on.change(d.name, v);
    });
    row.append(input, out);
    show(value);
    return { row, show };
  }
  if (d.kind === "choice") {
    const select = el("select");
    select.id = id;
    for (const o of d.options) select.append(new Option(o.label, o.value));
    const show = (v: ParamValue) => {
      select.value = String(v);
      mark(v);
    };
    select.addEventListener("change", () => {
      mark(select.value);
      on.change(d.name, select.value);
    });
    row.append(select);
    show(value);
    return { row, show };
  }
  // a seed: any short text; one that cannot seed a run is marked and not drawn
  const input = el("input");
  Object.assign(input, { type: "text", id, spellcheck: false, autocomplete: "off", maxLength: SEED_MAX_LENGTH });
  const show = (v: ParamValue) => {
    input.value = String(v);
    input.setCustomValidity("");
    mark(v);
  };
  input.addEventListener("input", () => {
    const problem = seedProblem(input.value);
    input.setCustomValidity(problem ?? "");
    mark(input.value);
    on.change(d.name, input.value);
  });
  row.append(input);
  show(value);
  return { row, show };
}

/** The controls of `params` (fixed ones have none), showing `values`. */
export function buildControls(params: readonly ParamDef[], values: ParamValues, on: ControlEvents): Controls {
  const root = el("div", "live-panel");
  const line = el("p", "live-status");
  line.setAttribute("role", "status");
  const grid = el("div", "live-controls");
  const shown = params.filter((d) => d.kind !== "fixed").map((d) => ({ d, c: control(d, values[d.name], on) }));
  for (const { c } of shown) grid.append(c.row);
  const reset = el("button", "live-reset", "Back to the checked settings");
  reset.type = "button";
  reset.disabled = true;
  reset.addEventListener("click", () => on.reset());
  root.append(line, grid, reset);
  return {
    root,
    show: (v) => shown.forEach(({ d, c }) => c.show(v[d.name])),
    status(state, text) {
      line.dataset.state = state;
      line.textContent = text;
    },
    resettable: (b) => void (reset.disabled = !b),
  };
}
