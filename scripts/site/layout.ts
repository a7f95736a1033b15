/** The frame of every page: header with navigation, main column, footer with the run's facts. */
import { esc } from "./html.ts";

export interface NavItem {
  href: string;
  label: string;
}

export interface PageFrame {
  title: string;
  /** The title as HTML (may contain typeset math); defaults to the escaped title. */
  titleHtml?: string;
  body: string;
  /** "" for pages at the site root, "../../" for source/src/x.ts.html and so on. */
  root: string;
  nav: NavItem[];
  current?: string;
  footer: string;
  banner?: string;
  prev?: NavItem;
  next?: NavItem;
  wide?: boolean;
  /** Scripts the page loads at the end of its body, relative to the site's root (the live figures, the panels). */
  scripts?: string[];
}

/** The search form of every page's header: it opens search.html?q=… (scripts/site/search.ts). */
function searchForm(root: string): string {
  return (
    `<form class="search" action="${esc(root)}search.html" role="search">` +
    `<input type="search" name="q" aria-label="Search the book" placeholder="Search"></form>`
  );
}

/** The page's scripts: its own, and the live figures' when it holds one (classic scripts, at the end of the body). */
function pageScripts(f: PageFrame): string[] {
  const live = f.body.includes('class="live-figure') ? ["assets/live/figures-page.js"] : [];
  return [...(f.scripts ?? []), ...live];
}

export function page(f: PageFrame): string {
  const nav = f.nav
    .map(
      (n) =>
        `<a href="${esc(f.root + n.href)}"${n.href === f.current ? ' aria-current="page"' : ""}>${esc(n.label)}</a>`,
    )
    .join("");
  const pn =
    f.prev || f.next
      ? `<nav class="prevnext">${f.prev ? `<a class="prev" href="${esc(f.root + f.prev.href)}">← ${esc(f.prev.label)}</a>` : "<span></span>"}` +
        `${f.next ? `<a class="next" href="${esc(f.root + f.next.href)}">${esc(f.next.label)} →</a>` : "<span></span>"}</nav>`
      : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(f.title)} · pgbook</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${f.root}assets/katex/katex.min.css">
<link rel="stylesheet" href="${f.root}assets/style.css">
</head>
<body>
<header class="top"><a class="brand" href="${f.root}index.html">pgbook</a><nav class="main-nav">${nav}</nav>${searchForm(f.root)}</header>
<main class="${f.wide ? "wide" : ""}">
${f.banner ?? ""}
<h1>${f.titleHtml ?? esc(f.title)}</h1>
${f.body}
${pn}
</main>
<footer>${f.footer}</footer>
${pageScripts(f)
  .map((src) => `<script src="${esc(f.root + src)}"></script>\n`)
  .join("")}</body>
</html>
`;
}
