/**
 * How wide a figure's text is, for vega's layout. Without a canvas (the build has none), vega guesses
 * 0.8 em for every character, about 1.4 times the real width of a sans-serif font: legend labels were cut
 * at their label limit, legends grew wider than the plot, and a long rotated y-axis title reserved empty
 * space above the plot. The widths below are those of DejaVu Sans, the font the figures' `system-ui` stack
 * falls back to on Linux and the widest of the fonts it names (San Francisco, Segoe UI, Roboto, Helvetica
 * and Arial are narrower), so text laid out with them fits on every reader's screen.
 */

/** Advance widths in thousandths of an em (DejaVu Sans Book, measured with Chromium's canvas at 1000 px). */
const TABLE: [string, number[]][] = [
  [" !\"#$%&'()*+,-./", [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337]],
  ["0123456789:;<=>?@", [636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000]],
  ["ABCDEFGHIJKLM", [684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863]],
  ["NOPQRSTUVWXYZ", [748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685]],
  ["[\\]^_`{|}~", [390, 337, 390, 838, 500, 500, 636, 337, 636, 838]],
  ["abcdefghijklm", [613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974]],
  ["nopqrstuvwxyz", [634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525]],
  ["αβγδεζηθικλμ", [659, 638, 592, 612, 541, 544, 634, 612, 338, 589, 592, 636]],
  ["νξοπρστυφχψω", [559, 558, 612, 602, 635, 634, 602, 579, 660, 578, 660, 837]],
  ["ΓΔΘΛΞΠΣΦΨΩ", [557, 684, 787, 684, 632, 752, 632, 787, 787, 764]],
  ["₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 528, 528, 528, 246, 246]],
  ["ₐₑₒₓₕₖₗₘₙₚₛₜ", [392, 417, 414, 444, 404, 426, 166, 623, 398, 428, 373, 295]],
  ["⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁱⁿ", [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 528, 528, 179, 398]],
  ["−≤≥≈≠÷·×∼→←↦⟨⟩", [838, 838, 838, 838, 838, 838, 318, 838, 838, 838, 838, 838, 390, 390]],
  ["ℓ…∑∇√∞∈°±–—’“”", [413, 1000, 674, 669, 637, 833, 871, 500, 838, 500, 1000, 318, 518, 518]],
];

const EM = new Map<string, number>();
for (const [chars, widths] of TABLE) {
  const list = [...chars];
  if (list.length !== widths.length)
    throw new Error(`text-width table: "${chars}" has ${list.length} characters, ${widths.length} widths`);
  list.forEach((c, i) => EM.set(c, widths[i] / 1000));
}

/** A character outside the table: vega's own guess, wider than any letter of the table but W and M. */
const UNKNOWN_EM = 0.8;
/** DejaVu Sans Bold over Book on the figures' prose, measured: 1.13. */
const BOLD = 1.15;

/** Width in px of `text` set at `fontSize` px (bold when `fontWeight` is "bold" or at least 600). */
export function textWidth(text: string, fontSize: number, fontWeight?: string | number): number {
  let em = 0;
  for (const c of text) em += EM.get(c) ?? UNKNOWN_EM;
  const bold = fontWeight === "bold" || fontWeight === "bolder" || Number(fontWeight) >= 600;
  return em * fontSize * (bold ? BOLD : 1);
}

/** The text item fields vega hands to `textMetrics.width`. */
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  /** Width beyond which vega truncates the text with an ellipsis; 0 or absent for none. */
  limit?: number;
}

/**
 * `textMetrics.width` for vega (it calls a user-defined one for both layout and truncation): the width of the
 * text as drawn, at most its `limit` when vega will truncate it there. vega's default font size is 11 px.
 */
export function vegaTextWidth(item: TextItem, text: string | number | null | undefined): number {
  const s = text == null ? "" : String(text).trim();
  const w = textWidth(s, item.fontSize ?? 11, item.fontWeight);
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
}
