/**
 * Lines as the rows a vega-lite spec reads (`series`, `x`, `y`): the one place a figure's named series
 * become data. No dependencies, so the browser's figure worker bundles it too.
 */

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export type SeriesRow = { series: string; x: number; y: number };

/** One row per point of each series; a length mismatch or a non-finite point is an error naming the series. */
export function seriesRows(series: Series[]): SeriesRow[] {
  const out: SeriesRow[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length)
      throw new Error(`series "${s.name}": x has ${s.x.length} values, y has ${s.y.length}`);
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y))
        throw new Error(`series "${s.name}": non-finite point at index ${i} (${x}, ${y})`);
      out.push({ series: s.name, x, y });
    }
  }
  return out;
}
