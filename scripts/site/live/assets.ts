/**
 * Every script of the live book, bundled once per process (a build and its tests share them): the "check your
 * code" panels' (check-assets.ts) and the live figures' (figure-assets.ts). They are written under assets/live/ of the site.
 */
import { checkAssets } from "./check-assets.ts";
import { figureAssets } from "./figure-assets.ts";

let bundled: Promise<Record<string, string>> | undefined;

/** The live book's files, by name under assets/live/. */
export function liveAssets(): Promise<Record<string, string>> {
  bundled ??= Promise.all([checkAssets(), figureAssets()]).then(([c, f]) => ({ ...c, ...f.files }));
  return bundled;
}
