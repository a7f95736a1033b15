/**
 * What the site shows of the measurements in measured/ (written by `npm run calibrate`): the date and
 * result of the last calibration of the statistical checks. Missing or unreadable files show as "not run".
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { esc } from "./html.ts";

interface CalibrationFile {
  date: string;
  alpha: number;
  seeds: string[];
  tiers?: string[];
  checks: { failures: number; runs: number }[];
  suspicious: string[];
  otherFailures?: { check: string; seeds: string[] }[];
  totalFailures?: number;
  expectedFailuresBound?: number;
}

export interface CalibrationSummary {
  date: string;
  ok: boolean;
  /** One line of plain text: date, design and result. */
  text: string;
}

/** Names in a line of text: the first `max`, then how many more. */
function named(xs: string[], max = 5, sep = "; "): string {
  return xs.slice(0, max).join(sep) + (xs.length > max ? `${sep}and ${xs.length - max} more` : "");
}

/** Read measured/calibration.json under `root`; undefined when there is none. */
export function calibrationSummary(root: string): CalibrationSummary | undefined {
  const f = path.join(root, "measured", "calibration.json");
  if (!existsSync(f)) return undefined;
  let c: CalibrationFile;
  try {
    c = JSON.parse(readFileSync(f, "utf8")) as CalibrationFile;
  } catch {
    return undefined;
  }
  const total = c.totalFailures ?? c.checks.reduce((s, x) => s + x.failures, 0);
  const other = c.otherFailures ?? [];
  const ok = c.suspicious.length === 0 && other.length === 0;
  const n = c.checks.length;
  const result = ok
    ? `every one of ${n} Monte Carlo checks failed no more often than its stated rate allows (${total} failure${total === 1 ? "" : "s"} in all` +
      (c.expectedFailuresBound !== undefined ? `, at most ${c.expectedFailuresBound.toFixed(1)} expected` : "") +
      `)`
    : [
        c.suspicious.length
          ? `${c.suspicious.length} of ${n} Monte Carlo check${n === 1 ? "" : "s"} failed more often than ${c.suspicious.length === 1 ? "its" : "their"} stated rate allows: ${named(c.suspicious)}`
          : `no Monte Carlo check failed more often than its stated rate allows`,
        other.length
          ? `${other.length} exact/property check${other.length === 1 ? "" : "s"} failed under some seed: ` +
            named(other.map((o) => `${o.check} (seed${o.seeds.length === 1 ? "" : "s"} ${named(o.seeds, 3, ", ")})`))
          : "",
      ]
        .filter(Boolean)
        .join("; ");
  return {
    date: c.date,
    ok,
    text: `${c.date.slice(0, 10)}: ${c.seeds.length} master seeds at α = ${c.alpha} per check (${(c.tiers ?? ["fast"]).join(" + ")} tier) — ${result}`,
  };
}

/** A row of the index's and the report's run table: the last calibration, or how to run one. */
export function calibrationRow(root: string | undefined): string {
  if (!root) return "";
  const c = calibrationSummary(root);
  const text = c
    ? `${c.ok ? "" : '<strong class="bad">✗ </strong>'}${esc(c.text)}`
    : "not run yet (<code>npm run calibrate -- --seeds 100 --alpha 0.01</code>)";
  return `<tr><th>last calibration</th><td>${text}</td></tr>`;
}
