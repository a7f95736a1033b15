/**
 * The chapters as the builder reads them: every `*.md` of the chapters folder with the checks' facts
 * filled in (`{{name}}`, facts.ts) and parsed into marks, and the join of marks with checks — every
 * mark needs a check, every tag of a check needs a mark. Problems come back as `file:line: message`.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { MarkdownIt } from "markdown-it";
import type { TestResult } from "../lib/run-specs.ts";
import { byTag, compareTags } from "./checks.ts";
import { fillFacts, type Fact } from "./facts.ts";
import { parsePage, type BuildError, type ParsedPage } from "./markdown.ts";

/** How to mark a tag that no chapter marks, by kind of tag. */
const HINT: Record<string, (n: string) => string> = {
  eq: (n) => `add \\tag{${n}} to its display equation`,
  fig: (n) =>
    `place a \`::: figure <id>\` whose registry entry (scripts/site/figures/chN.ts) lists "fig ${n}" in its tags`,
  sec: (n) => `add a \`::: claim sec ${n}\` … \`:::\` block where the section makes the claim`,
  erratum: (n) => `add a \`::: claim erratum ${n}\` … \`:::\` block (e.g. in chapters/errata.md)`,
};

function listPages(dir: string, label: string): { file: string; name: string; src: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => ({
      file: `${label}/${f}`,
      name: f.replace(/\.md$/, ""),
      src: readFileSync(path.join(dir, f), "utf8"),
    }));
}

/** A short label for navigation: "1. Bandits" from "Chapter 1: Bandits: …" or "1. Bandits: …". */
export function shortTitle(p: { title: string; name: string }): string {
  let t = p.title
    .replace(/^chapter\s+\d+\s*[:.—–-]\s*/i, "")
    .replace(/\$[^$]*\$/g, "")
    .trim();
  t = t.split(/:\s/)[0].trim();
  const n = /^(\d+)-/.exec(p.name);
  return n && !/^\d/.test(t) ? `${Number(n[1])}. ${t}` : t;
}

/**
 * The chapters of `dir` (named `label` in messages), facts filled in, parsed: the pages, and the
 * problems of filling (unknown or ambiguous facts), of parsing, and of an empty folder.
 */
export function readChapters(
  md: MarkdownIt,
  dir: string,
  label: string,
  facts: Map<string, Fact>,
  figureTags: (id: string) => string[] | undefined,
): { pages: ParsedPage[]; errors: BuildError[] } {
  const sources = listPages(dir, label);
  const errors: BuildError[] = [];
  // Numbers the chapters take from the checks, put in before the markdown is read.
  const filled = sources.map((s) => {
    const f = fillFacts(s.src, facts);
    for (const e of f.errors) errors.push({ file: s.file, line: e.line, message: e.message });
    return { ...s, src: f.text };
  });
  const pages = filled.map((s) => parsePage(md, s.file, s.name, s.src, figureTags));
  errors.push(...pages.flatMap((p) => p.errors));
  if (sources.length === 0) errors.push({ file: label, line: 1, message: "no chapters (*.md) found" });
  return { pages, errors };
}

/** Join marks with checks: every mark needs a check, every tag of a check needs a mark. */
export function joinErrors(pages: ParsedPage[], tests: TestResult[], loadErrors: string[]): BuildError[] {
  const errors: BuildError[] = [];
  const checks = byTag(tests);
  const marked = new Set<string>();
  const loadHint = loadErrors.length
    ? ` (note: ${loadErrors.length} spec file(s) failed to load; see the report of \`npm run verify\`)`
    : "";
  for (const p of pages)
    for (const m of p.marks)
      for (const tag of m.tags) {
        marked.add(tag);
        if (!checks.has(tag)) {
          const what = m.kind === "figure" ? `figure "${m.figureId}" names [${tag}]` : `[${tag}] is marked here`;
          errors.push({
            file: m.file,
            line: m.line,
            message: `${what} but no check carries the tag [${tag}] in its title${loadHint}`,
          });
        }
      }
  for (const [tag, ts] of [...checks].sort((a, b) => compareTags(a[0], b[0]))) {
    if (marked.has(tag)) continue;
    const t = ts[0];
    const [kind, ...rest] = tag.split(" ");
    const hint = HINT[kind]?.(rest.join(" ")) ?? "mark it in a chapter";
    const more = ts.length > 1 ? ` (and ${ts.length - 1} more check${ts.length > 2 ? "s" : ""})` : "";
    errors.push({
      file: t.file,
      line: t.line ?? 1,
      message: `the tag [${tag}] of "${t.title}"${more} is not marked in any chapter: ${hint}`,
    });
  }
  return errors;
}
