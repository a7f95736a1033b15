/**
 * The figures' cache (scripts/site/figure-cache.ts): a figure kept under the build's key is reused without
 * drawing it again; another key, a damaged file or a missing one draw every figure afresh; and the key moves
 * when the results' key or a file of scripts/site/ changes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { figureCacheKey, readFigureCache, writeFigureCache } from "../../scripts/site/figure-cache.ts";
import { renderFigures } from "../../scripts/site/figure-svgs.ts";
import type { FigureDef } from "../../scripts/site/figures/index.ts";
import type { ParsedPage } from "../../scripts/site/markdown.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const page = {
  marks: [{ kind: "figure", tags: ["fig 1"], file: "chapters/x.md", line: 3, anchor: "fig-a", figureId: "a" }],
} as unknown as ParsedPage;

function counting(): { defs: Record<string, FigureDef>; calls: () => number } {
  let n = 0;
  const defs: Record<string, FigureDef> = {
    a: { tags: ["fig 1"], alt: "A", render: () => (n++, '<svg xmlns="http://www.w3.org/2000/svg"></svg>') },
  };
  return { defs, calls: () => n };
}

describe("the figures' cache", () => {
  it("reuses a figure kept under the same key and draws it again under another", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pgbook-figcache-")), "figures.json");
    const { defs, calls } = counting();
    const first = await renderFigures([page], defs, new Map(), "1", { file, key: "k1" });
    expect(calls()).toBe(1);
    const again = await renderFigures([page], defs, new Map(), "1", { file, key: "k1" });
    expect(calls()).toBe(1);
    expect(again.svgs).toEqual(first.svgs);
    await renderFigures([page], defs, new Map(), "1", { file, key: "k2" });
    expect(calls()).toBe(2);
  });

  it("ignores a damaged file or another key's", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgbook-figcache-"));
    const file = path.join(dir, "figures.json");
    writeFileSync(file, "{ not json");
    expect(readFigureCache({ file, key: "k" }).size).toBe(0);
    writeFigureCache({ file, key: "other" }, new Map([["a", "<svg/>"]]));
    expect(readFigureCache({ file, key: "k" }).size).toBe(0);
    expect(readFigureCache({ file, key: "other" }).get("a")).toBe("<svg/>");
  });

  it("has a key that moves with the results' key", () => {
    expect(figureCacheKey(ROOT, "r1")).toBe(figureCacheKey(ROOT, "r1"));
    expect(figureCacheKey(ROOT, "r1")).not.toBe(figureCacheKey(ROOT, "r2"));
  });
});
