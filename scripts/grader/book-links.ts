/**
 * Where the book marks each claim tag, so that a student's report can link a failed check to its
 * equation: "eq 12" → "01-bandits.html#eq-12". The chapters are read with the site builder's own
 * parser (scripts/site/markdown.ts), so the pages and anchors are the ones the site writes: an
 * equation's anchor is `tagId` of its tag, a figure's is its figure id, and a tag marked twice
 * links to its first mark.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./contract.ts";

/** Tag → "page.html#anchor", relative to the site's root folder. */
export type BookAnchors = ReadonlyMap<string, string>;

/**
 * The marks of the chapters in `dir` (default: the book's chapters/), by tag. Loaded on demand: the
 * parser typesets the math and the figure registry loads the plotting library (2–4 s here).
 */
export async function readBookAnchors(dir = path.join(ROOT, "chapters")): Promise<BookAnchors> {
  const [{ makeMarkdown }, { readChapters }, { figures }] = await Promise.all([
    import("../site/markdown.ts"),
    import("../site/chapters.ts"),
    import("../site/figures/index.ts"),
  ]);
  const figureTags = (id: string) => (Object.hasOwn(figures, id) ? [...figures[id].tags] : undefined);
  // The chapters' {{facts}} come from a run of the checks, which the grader does not have: they stay
  // unfilled (and their errors unread), which moves no mark.
  const { pages } = readChapters(makeMarkdown(), dir, "chapters", new Map(), figureTags);
  const out = new Map<string, string>();
  for (const p of pages)
    for (const m of p.marks) for (const t of m.tags) if (!out.has(t)) out.set(t, `${p.name}.html#${m.anchor}`);
  return out;
}

/** Where `npm pack` (scripts/tools/build-dist.ts) writes the anchors for a package without scripts/site/. */
export const PACKED_ANCHORS = "dist/book-anchors.json";

/** Anchors saved as JSON (tag → "page.html#anchor"), each checked to be a page and an anchor. */
function anchorsFrom(saved: unknown): BookAnchors | undefined {
  if (typeof saved !== "object" || saved === null) return undefined;
  const entries = Object.entries(saved as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === "string" && ANCHOR.test(v))
    ? new Map(entries as [string, string][])
    : undefined;
}

/** The anchors saved in the package (`file`), or an error naming the file and what is wrong with it. */
function packedAnchors(file: string): BookAnchors {
  if (!existsSync(file)) throw new Error(`${file} is missing (the package was not built by npm pack)`);
  const anchors = anchorsFrom(JSON.parse(readFileSync(file, "utf8")));
  if (!anchors) throw new Error(`${file}: expected an object of tag → "page.html#anchor"`);
  return anchors;
}

/** What the anchors are made of: the chapters, and the site builder's parser and figure registry. */
const INPUTS = ["chapters", "scripts/site"];
/** A page and an anchor as the site writes them (file names of chapters/, tagId and slug). */
const ANCHOR = /^[\w.-]+\.html#[\w-]+$/;

/** Every file under `dir`, in a fixed order. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .sort()
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * The book's anchors, kept in `.cache/` under a key made of the content of what they are read from,
 * so that a run of many gradings reads the chapters once.
 */
export async function bookAnchors(root = ROOT): Promise<BookAnchors> {
  // the installed package ships no site builder: its anchors were read when it was packed
  if (!existsSync(path.join(root, "scripts/site"))) return packedAnchors(path.join(root, PACKED_ANCHORS));
  const h = createHash("sha256");
  for (const f of INPUTS.flatMap((d) => files(path.join(root, d))))
    h.update(`${path.relative(root, f)}\0`).update(readFileSync(f));
  const file = path.join(root, ".cache", `book-anchors-${h.digest("hex").slice(0, 24)}.json`);
  try {
    const saved = anchorsFrom(JSON.parse(readFileSync(file, "utf8")));
    if (saved) return saved;
  } catch {
    // not saved yet (or unreadable): read the chapters
  }
  const anchors = await readBookAnchors(path.join(root, "chapters"));
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(Object.fromEntries(anchors)));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // a read-only checkout: the anchors are read again next time
  }
  return anchors;
}

/**
 * The base the links start from: `bookUrl` as given (a site's address, e.g. https://example.edu/pgbook/),
 * or by default this clone's site/ folder (built by `npm run site`) as a path relative to `from`.
 */
export function bookBase(bookUrl: string | undefined, from: string): string {
  if (bookUrl !== undefined) return bookUrl === "" || bookUrl.endsWith("/") ? bookUrl : `${bookUrl}/`;
  const rel = path.relative(path.resolve(from), path.join(ROOT, "site")).split(path.sep).join("/");
  return `${rel || "."}/`;
}

/** A --book-url the reports may link to: an http(s) or file address, or a path (anything without a scheme). */
export function bookUrlProblem(url: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return undefined;
  return /^(https?|file):/i.test(url) ? undefined : `--book-url ${url}: give an http(s) address or a path`;
}
