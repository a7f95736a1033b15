/**
 * Where the "check your code" panels go: each after the first marked equation carrying its tag on its chapter's
 * page (spec/claims/index.ts names both). A panel whose page is built but holds no such equation is an input
 * error, named like the other errors of a build.
 */
import { PANELS, type Panel } from "../../../spec/claims/index.ts";
import type { BuildError, Mark, ParsedPage } from "../markdown.ts";
import { checkPanelHtml } from "./check-panel-html.ts";

export interface Placement {
  /** The panel HTML to put after the equation `m`, or "". */
  after(m: Mark): string;
  errors: BuildError[];
  /** The pages that carry a panel (they load the panel's script). */
  pages: Set<string>;
}

export function placePanels(pages: ParsedPage[], master: string, panels: Panel[] = PANELS): Placement {
  const at = new Map<string, Panel>();
  const errors: BuildError[] = [];
  const withPanels = new Set<string>();
  for (const p of panels) {
    const page = pages.find((x) => x.name === p.page);
    if (!page) continue;
    const mark = page.marks.find((m) => m.kind === "eq" && m.tags.includes(p.tag));
    if (!mark) {
      errors.push({
        file: page.file,
        line: 1,
        message: `the "check your code" panel for ${p.fn} follows [${p.tag}], which this page does not mark (spec/claims/index.ts)`,
      });
      continue;
    }
    at.set(`${mark.file}#${mark.anchor}`, p);
    withPanels.add(page.name);
  }
  return {
    after: (m) => {
      const p = at.get(`${m.file}#${m.anchor}`);
      return p ? checkPanelHtml(p, master) : "";
    },
    errors,
    pages: withPanels,
  };
}
