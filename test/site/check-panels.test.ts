/**
 * The "check your code" panels' parts that run outside a browser: the portable claims run by runClaimOn (the
 * page's runner) hold for the reference and reject a faulty function with the message vitest gives; the panels'
 * placement finds each equation and names a missing one; the starter code and the bundles' sizes.
 */
import { describe, expect, it } from "vitest";
import * as reference from "../../src/index.ts";
import type { Contract } from "../../src/contract/index.ts";
import { claimSeed, runClaimOn } from "../../spec/claims/claim.ts";
import { PANELS } from "../../spec/claims/index.ts";
import { checkAssets, gzippedSizes } from "../../scripts/site/live/check-assets.ts";
import { starterCode } from "../../scripts/site/live/check-panel-html.ts";
import { placePanels } from "../../scripts/site/live/panel-placement.ts";
import { makeMarkdown, parsePage } from "../../scripts/site/markdown.ts";
import { rounded } from "../../scripts/site/live/same-verdict.ts";

const impl = reference as unknown as Contract;
const MASTER = "20251117";

describe("the panels' claims, run outside vitest", () => {
  it("every panel claim holds for the reference under the checks' master seed", () => {
    for (const p of PANELS)
      for (const c of p.claims) expect(runClaimOn(c, impl, claimSeed(MASTER, c), "-").status, c.title).toBe("passed");
  });

  it("a score without −πθ fails every gibbsScore claim, the first one with the finite-difference comparison", () => {
    const oneHot = {
      ...impl,
      gibbsScore: (theta: Float64Array, a: number) => Float64Array.from(theta, (_, i) => +(i === a)),
    };
    const claims = PANELS.find((p) => p.fn === "gibbsScore")!.claims;
    const out = claims.map((c) => runClaimOn(c, oneHot, claimSeed(MASTER, c), "replay here"));
    expect(out.map((o) => o.status)).toEqual(["failed", "failed", "failed"]);
    expect(out[0].message).toMatch(/^gibbsScore\(θ, a\) against finite differences\[\d+\] = /);
    expect(out[0].message).toMatch(/replay: replay here$/);
  });

  it("a throw inside the reader's function is reported with the function's name", () => {
    const throws = {
      ...impl,
      tdError: () => {
        throw new RangeError("no");
      },
    };
    const c = PANELS.find((p) => p.fn === "tdError")!.claims[0];
    const o = runClaimOn(c, throws, claimSeed(MASTER, c), "-");
    expect(o.status).toBe("failed");
    expect(o.message.split("\n").slice(0, 2).join("\n")).toMatch(/^no\n {2}\(tdError threw RangeError\)/);
  });

  it("seeds derive from the master seed, the file and vitest's full name", () => {
    const c = PANELS[0].claims[0];
    expect(claimSeed("7", c)).toBe(`7/${c.file}/${c.file} > ${c.section} > ${c.title}`);
  });
});

describe("placing the panels", () => {
  const md = makeMarkdown();
  const page = (src: string) => parsePage(md, "chapters/01-bandits.md", "01-bandits", src, () => undefined);

  it("puts a panel after the first equation with its tag, and names a page that lacks the equation", () => {
    const ok = placePanels([page("# One\n\n$$\nx \\tag{5}\n$$\n\n$$\ny \\tag{5}\n$$\n")], MASTER);
    expect(ok.errors).toEqual([]);
    const [first, second] = page("# One\n\n$$\nx \\tag{5}\n$$\n\n$$\ny \\tag{5}\n$$\n").marks;
    expect(ok.after(first)).toContain('id="check-gibbsScore"');
    expect(ok.after(second)).toBe("");
    const missing = placePanels([page("# One\n\n$$\nx \\tag{6}\n$$\n")], MASTER);
    expect(missing.errors.map((e) => e.message)).toEqual([
      'the "check your code" panel for gibbsScore follows [eq 5], which this page does not mark (spec/claims/index.ts)',
    ]);
  });

  it("starts the editor with the contract's signature", () => {
    expect(starterCode(PANELS[0])).toMatch(
      /^export function gibbsScore\(theta: Float64Array, a: number\): Float64Array \{\n/,
    );
  });
});

describe("the panels' scripts", () => {
  it("keep the page's own script small; the editor and the worker load only when used", async () => {
    const sizes = gzippedSizes(await checkAssets());
    // measured 2026-12-02: check-panel.js 1.3 KB, editor.js 170 KB, check-worker.js 129 KB gzipped
    expect(sizes["check-panel.js"]).toBeLessThan(8_000);
    expect(sizes["editor.js"]).toBeLessThan(250_000);
    expect(sizes["check-worker.js"]).toBeLessThan(250_000);
  });

  it("compares messages with numbers to 9 significant digits", () => {
    expect(rounded("ratio 0.9999876578061317, not in (3.5, 4.5)")).toBe(
      rounded("ratio 0.9999876578060395, not in (3.5, 4.5)"),
    );
    expect(rounded("ratio 0.99998, x")).not.toBe(rounded("ratio 0.99997, x"));
  });
});
