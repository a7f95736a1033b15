/* global document, location */
// The site's search, run in search.html over the index the builder wrote into it (scripts/site/search.ts).
// A query naming a tag ("eq 21", "(21)", "sec 2.1", "erratum max-in-q") finds its marks first; otherwise every
// word of the query must begin a word of an entry's title, tags or text, and titles weigh more than text.
(() => {
  const entries = JSON.parse(document.getElementById("search-index").textContent);
  const input = document.getElementById("q");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const words = (s) =>
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .match(/[\p{L}\p{N}_]+/gu) ?? [];
  const index = entries.map((e) => ({
    e,
    title: words(e.t),
    tags: e.g.map((g) => g.toLowerCase()),
    text: words(`${e.g.join(" ")} ${e.x}`),
  }));
  const tagOf = (q) => {
    const s = q.trim().toLowerCase().replace(/\s+/g, " ");
    const eq = /^(?:eq\.?|equation) ?\(?(\d+)\)?$/.exec(s) ?? /^\((\d+)\)$/.exec(s);
    if (eq) return `eq ${eq[1]}`;
    const other = /^\[?(sec|fig|erratum)\.? (\S+?)\]?$/.exec(s);
    return other ? `${other[1]} ${other[2]}` : undefined;
  };
  const begins = (ws, term) => ws.some((w) => w.startsWith(term));

  function search(q) {
    const tag = tagOf(q);
    const terms = words(q);
    const found = [];
    for (const p of index) {
      const tagged = tag !== undefined && p.tags.includes(tag);
      if (!tagged && (!terms.length || !terms.every((t) => begins(p.title, t) || begins(p.text, t)))) continue;
      let score = tagged ? 100 : 0;
      for (const t of terms)
        score += (p.title.includes(t) ? 6 : begins(p.title, t) ? 4 : 0) + (begins(p.text, t) ? 1 : 0);
      found.push([score, p.e]);
    }
    return found.sort((a, b) => b[0] - a[0]).map((f) => f[1]);
  }

  /** The text around the first match, with each matching word marked. */
  function snippet(text, terms) {
    const lower = text.toLowerCase();
    const hits = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0);
    const at = hits.length ? Math.min(...hits) : 0;
    const start = Math.max(0, at - 60);
    const part = (start > 0 ? "…" : "") + text.slice(start, start + 180) + (start + 180 < text.length ? "…" : "");
    const out = document.createElement("div");
    out.className = "snippet";
    for (const piece of part.split(/([\p{L}\p{N}_]+)/u)) {
      const hit = terms.length && terms.some((t) => words(piece)[0]?.startsWith(t));
      out.append(hit ? Object.assign(document.createElement("mark"), { textContent: piece }) : piece);
    }
    return out;
  }

  function show(q) {
    list.replaceChildren();
    if (!q.trim()) return;
    const results = search(q);
    const terms = words(q);
    status.textContent = `${results.length} result${results.length === 1 ? "" : "s"} for “${q.trim()}”`;
    for (const e of results.slice(0, 50)) {
      const li = document.createElement("li");
      const a = Object.assign(document.createElement("a"), { href: e.h, textContent: e.t });
      const kind = Object.assign(document.createElement("span"), { className: "kind", textContent: e.k });
      li.append(a, " ", kind);
      if (e.x) li.append(snippet(e.x, terms));
      list.append(li);
    }
  }

  input.addEventListener("input", () => show(input.value));
  input.value = new URLSearchParams(location.search).get("q") ?? "";
  show(input.value);
})();
