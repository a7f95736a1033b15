/**
 * The browser test of the "check your code" panels (called by scripts/site/browser-test.ts): on each chapter's
 * panel, at each width, a reader opens the editor, pastes a function and runs the checks. A correct function
 * (written here, apart from the book's reference) must hold every check; a faulty one must fail the check it
 * breaks, with the grader's message; one that throws must be failed with the line it threw at; one that never
 * returns must be stopped after the stated time. Returns the problems found (empty when all is well).
 */
import type { BrowserContext, Page } from "playwright-core";
import { CHECK_TIME_LIMIT_MS } from "./check-protocol.ts";

/** What a pasted function must do: every check held, or these checks failed with messages matching. */
interface Case {
  label: string;
  code: string;
  /** Titles (substrings) of the checks that must fail, each with a pattern its message must match; the rest hold. */
  fails?: { title: string; message: RegExp }[];
  /** The run never ends: the panel must say it stopped it. */
  hangs?: true;
  /** The line the panel must name as where the code threw. */
  line?: number;
}

interface PanelCases {
  page: string;
  fn: string;
  cases: Case[];
}

const SCORE_OK = `export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  const top = Math.max(...theta);
  const e = Array.from(theta, (x) => Math.exp(x - top));
  const z = e.reduce((s, x) => s + x, 0);
  return Float64Array.from(e, (x, i) => (i === a ? 1 : 0) - x / z);
}
`;

const RTG = (from: string) => `export function reinforceRewardToGo(problem, theta: Float64Array, episode) {
  const g = new Float64Array(theta.length);
  const T = episode.actions.length;
  for (let t = 0; t < T; t++) {
    let G = 0;
    for (let k = ${from}; k < T; k++) G += episode.rewards[k];
    const s = book.episodicScore(problem, theta, episode.states[t], episode.actions[t]);
    for (let i = 0; i < g.length; i++) g[i] += G * s[i];
  }
  return g;
}
`;

export const PANEL_CASES: PanelCases[] = [
  {
    page: "01-bandits.html",
    fn: "gibbsScore",
    cases: [
      { label: "a correct gibbsScore (log-sum-exp)", code: SCORE_OK },
      {
        label: "a gibbsScore without −πθ",
        code: `export function gibbsScore(theta: Float64Array, a: number): Float64Array {\n  const g = new Float64Array(theta.length);\n  g[a] = 1;\n  return g;\n}\n`,
        fails: [
          { title: "gibbsScore equals central finite differences", message: /against finite differences\[\d+\]/ },
          { title: "shrinks like h²", message: /error ratio|shrinks|truncation|instances/ },
          { title: "gibbsScore equals 1ₐ", message: /gibbsScore\(θ, a\)/ },
        ],
      },
      {
        label: "a gibbsScore that throws on line 3",
        code: `export function gibbsScore(theta: Float64Array, a: number): Float64Array {\n  const p = book.gibbsPolicy(theta);\n  if (p.length > 0) throw new RangeError("not yet");\n  return p;\n}\n`,
        fails: [
          {
            title: "gibbsScore equals central finite differences",
            message: /not yet[\s\S]*gibbsScore threw RangeError/,
          },
          { title: "shrinks like h²", message: /not yet/ },
          { title: "gibbsScore equals 1ₐ", message: /not yet/ },
        ],
        line: 3,
      },
      {
        label: "a gibbsScore that never returns",
        code: `export function gibbsScore(theta: Float64Array, a: number): Float64Array {\n  for (;;) {}\n}\n`,
        hangs: true,
      },
    ],
  },
  {
    page: "02-average-return.html",
    fn: "tdError",
    cases: [
      {
        label: "a correct tdError",
        code: `export function tdError(reward: number, lambda: number, qNext: number, q: number): number {\n  return reward - lambda + (qNext - q);\n}\n`,
      },
      {
        label: "a tdError that adds λ",
        code: `export function tdError(reward: number, lambda: number, qNext: number, q: number): number {\n  return reward + lambda + qNext - q;\n}\n`,
        fails: [{ title: "one critic step", message: /^tdError(\[0\])? = .*, expected .*: error .* > allowed/ }],
      },
    ],
  },
  {
    page: "03-total-return.html",
    fn: "reinforceRewardToGo",
    cases: [
      { label: "a correct reward-to-go", code: RTG("t") },
      {
        label: "a reward-to-go that starts a step late",
        code: RTG("t + 1"),
        fails: [{ title: "reward-to-go estimator is unbiased", message: /E\[reinforceRewardToGo\]/ }],
      },
    ],
  },
];

/** The panel's state after a run: each check's verdict and text, and the status line. */
async function outcome(page: Page, fn: string) {
  return page.$eval(`#check-${fn}`, (panel) => ({
    status: panel.querySelector(".check-status")?.textContent ?? "",
    checks: [...panel.querySelectorAll<HTMLElement>(".check-list li")].map((li) => ({
      title: li.querySelector(".check-name")?.textContent ?? "",
      status: li.dataset.status ?? "",
      detail: li.querySelector(".check-detail")?.textContent ?? "",
    })),
  }));
}

/** Open `fn`'s panel, paste `code` (select all, then the text as a paste inserts it) and read it back. */
async function paste(page: Page, fn: string, code: string): Promise<string | undefined> {
  const panel = page.locator(`#check-${fn}`);
  const open = panel.locator(".check-open");
  if (await open.isVisible()) await open.click();
  const content = panel.locator(".cm-content");
  await content.waitFor({ state: "visible", timeout: 15_000 });
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  const got = await page.$eval(`#check-${fn}`, (el) =>
    (el as HTMLElement & { pgbookEditor?: { get(): string } }).pgbookEditor?.get(),
  );
  return got === code ? undefined : `the editor holds ${JSON.stringify(got)} after pasting`;
}

async function runCase(page: Page, p: PanelCases, c: Case, width: number): Promise<string[]> {
  const where = `${p.page} at ${width} px, ${c.label}`;
  const pasted = await paste(page, p.fn, c.code);
  if (pasted) return [`${where}: ${pasted}`];
  const t0 = Date.now();
  await page.locator(`#check-${p.fn} .check-run`).click();
  await page.waitForFunction(
    (fn) => {
      const panel = document.querySelector(`#check-${fn}`)!;
      return !panel.querySelector<HTMLButtonElement>(".check-run")!.disabled;
    },
    p.fn,
    { timeout: CHECK_TIME_LIMIT_MS + 60_000 },
  );
  const seconds = (Date.now() - t0) / 1000;
  const o = await outcome(page, p.fn);
  const problems: string[] = [];
  if (c.hangs) {
    if (!/^stopped after \d+ s/.test(o.status)) problems.push(`${where}: not stopped (status "${o.status}")`);
    if (seconds < CHECK_TIME_LIMIT_MS / 1000) problems.push(`${where}: stopped after ${seconds} s, before the limit`);
    if (o.checks.some((x) => x.status === "passed"))
      problems.push(`${where}: a check held for code that never returns`);
    return problems;
  }
  if (!/^\d+ of \d+ checks held/.test(o.status))
    problems.push(`${where}: the run did not finish (status "${o.status}")`);
  for (const x of o.checks) {
    const fail = c.fails?.find((f) => x.title.includes(f.title));
    if (!fail && x.status !== "passed") problems.push(`${where}: "${x.title}" ${x.status}: ${x.detail.slice(0, 300)}`);
    if (fail && x.status !== "failed") problems.push(`${where}: "${x.title}" ${x.status}, expected to fail`);
    if (fail && x.status === "failed" && !fail.message.test(x.detail))
      problems.push(`${where}: "${x.title}" failed with "${x.detail.slice(0, 300)}", not matching ${fail.message}`);
    if (fail && c.line !== undefined && !x.detail.includes(`your code threw at line ${c.line}`))
      problems.push(`${where}: "${x.title}" does not name line ${c.line}: "${x.detail.slice(0, 300)}"`);
  }
  for (const f of c.fails ?? [])
    if (!o.checks.some((x) => x.title.includes(f.title))) problems.push(`${where}: no check titled "${f.title}"`);
  return problems;
}

/** Every panel case at 1280 and 390 px; `pageUrl` turns a page's name into its URL. */
export async function checkPanels(
  context: BrowserContext,
  pageUrl: (rel: string) => string,
  widths: number[] = [1280, 390],
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const width of widths)
    for (const p of PANEL_CASES) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pageUrl(p.page));
      for (const c of p.cases) {
        const t0 = Date.now();
        try {
          problems.push(...(await runCase(page, p, c, width)));
        } catch (e) {
          problems.push(`${p.page} at ${width} px, ${c.label}: ${(e as Error).message.split("\n")[0]}`);
        }
        log(`  panel ${p.fn} at ${width} px: ${c.label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0)
        problems.push(`${p.page} at ${width} px: with the panel open the page scrolls sideways by ${wide} px`);
      problems.push(...errors.map((e) => `${p.page} at ${width} px: console error: ${e}`));
      await page.close();
    }
  return problems;
}
