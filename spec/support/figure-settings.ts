/**
 * Figures pinned to their chapter: the settings a chapter states on its `::: figure <id>` line (parsed by
 * measure/figure-settings.ts) against the settings of the experiment the checks run, and a rate
 * design's numbers as facts for the chapter's placeholders. No implementation function is read here, so
 * every chapter's specs can use it whichever chapters a submission implements.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TestContext } from "vitest";
import { settingsMismatches, statedSettings, type StatedSettings } from "../../measure/figure-settings.ts";
import { claim } from "./claim.ts";

/** A chapter's markdown file, e.g. "03-total-return.md". */
const chapterPath = (file: string) => fileURLToPath(new URL(`../../chapters/${file}`, import.meta.url));

/**
 * The settings chapters/`file` states for figure `id`, or undefined (the test skipped) when the chapter
 * is not there and a submission is being graded: the check is about the book, not the submission.
 */
export function chapterSettings(
  ctx: TestContext,
  file: string,
  id: string,
): ReturnType<typeof statedSettings> | undefined {
  const p = chapterPath(file);
  if (!existsSync(p) && process.env.PGBOOK_IMPL) {
    ctx.skip();
    return undefined;
  }
  return statedSettings(readFileSync(p, "utf8"), id);
}

/** Assert that chapters/`file` states exactly these settings on its `::: figure <id>` line. */
export function expectChapterSettings(
  ctx: TestContext,
  file: string,
  id: string,
  actual: Record<string, number | readonly number[]>,
): void {
  const stated = chapterSettings(ctx, file, id);
  if (!stated) return;
  claim(ctx, "exact", {
    facts: { [`${id.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}.settingsLine`]: stated.line },
  });
  const bad = settingsMismatches(stated.settings, actual);
  if (bad.length)
    throw new Error(
      `figure ${id}: the experiment's settings differ from chapters/${file}:${stated.line}:\n  ${bad.join("\n  ")}`,
    );
}

/**
 * The settings comparison with each setting in turn changed (to the value in `change`): every change
 * must be caught and named. Returns the changes it missed (empty when the comparison can fail).
 */
export function uncaughtChanges(stated: StatedSettings, change: Record<string, number | readonly number[]>): string[] {
  const missed: string[] = [];
  for (const [k, v] of Object.entries(change)) {
    const bad = settingsMismatches(stated, { ...stated, [k]: v });
    if (bad.length !== 1 || !bad[0].startsWith(`${k}:`))
      missed.push(`${k} = ${String(v)}: ${bad.length ? bad.join("; ") : "no difference found"}`);
  }
  return missed;
}

/** Each stated setting moved off its value (the first entry of a list + 1): what a settings check must catch. */
export function everySettingChanged(stated: StatedSettings): Record<string, number[]> {
  return Object.fromEntries(Object.entries(stated).map(([k, v]) => [k, [v[0] + 1, ...v.slice(1)]]));
}

/** A rate design's numbers as facts under `prefix` (for a chapter's `{{prefix.critical}}` and so on). */
export function designFacts(
  prefix: string,
  d: { runs: number; p0: number; critical: number; p1: number; falseFailure: number },
): Record<string, number> {
  return {
    [`${prefix}.runs`]: d.runs,
    [`${prefix}.p0`]: d.p0,
    [`${prefix}.critical`]: d.critical,
    [`${prefix}.p1`]: d.p1,
    [`${prefix}.falseFailure`]: d.falseFailure,
  };
}

/** A rate claim's count and its design's numbers as facts under `prefix`. */
export function rateFacts(
  prefix: string,
  successes: number,
  d: Parameters<typeof designFacts>[1],
): Record<string, number> {
  return { [`${prefix}.successes`]: successes, ...designFacts(prefix, d) };
}
