/**
 * A figure's markup on a chapter page (inside the `figure-svg` block of markdown.ts). A live figure's SVG
 * comes with its data for the page script (figures-page.ts): the compiled spec, the parameters and their
 * checked values, as JSON in the page; the controls are built by the script, so without JavaScript the
 * page shows the static SVG alone. A figure that is not live may say why under it.
 */
import { esc } from "../html.ts";
import { LIVE_DATA_CLASS, LIVE_FIGURE_CLASS, type LiveFigureData } from "./figure-protocol.ts";

/** JSON safe inside a `<script>` element: no `<` that could close it or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** A live figure: its static SVG (the checked settings) and its data for the page script. */
export function liveFigureHtml(data: LiveFigureData, svg: string): string {
  return (
    `<div class="${LIVE_FIGURE_CLASS}" data-live-figure="${esc(data.id)}"><div class="live-plot">${svg}</div>` +
    `<script type="application/json" class="${LIVE_DATA_CLASS}">${scriptJson(data)}</script></div>`
  );
}

/** A figure that is not live, with the sentence that says why (`note`), when it has one. */
export function staticFigureHtml(svg: string, note?: string): string {
  return note ? `${svg}<p class="figure-note">${esc(note)}</p>` : svg;
}
