/**
 * Text made safe for where it goes: shell words (`shellQuote`, measure/shell.ts) and the replay
 * lines built with it (`replayLine`, measure/replay.ts), checked by handing them to a real
 * POSIX shell and reading back what it received; nothing in a hostile string may run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { replayLine } from "../../measure/replay.ts";
import { shellQuote } from "../../measure/shell.ts";
import { clean, escapeHtml } from "../../scripts/grader/text.ts";

/** A scratch folder as the shell's working directory: anything a string manages to run would leave a file here. */
const CWD = mkdtempSync(path.join(tmpdir(), "pgbook-shell-"));
const sh = (script: string) => execFileSync("sh", ["-c", script], { cwd: CWD, encoding: "utf8" });

const HOSTILE = [
  "",
  "plain",
  "a b  c",
  "it's",
  "''",
  "'\\''",
  'say "hi"',
  "$(touch ran-dollar)",
  "`touch ran-backquote`",
  "$HOME ${PATH} $0 $1 $@",
  "a; touch ran-semicolon",
  "a && touch ran-and | cat > ran-pipe",
  "*",
  "~",
  "~root/x",
  "-n",
  "--help",
  "\\",
  "back\\slash\\'quote",
  "line\nbreak\n",
  "tab\there",
  "cr\rhere",
  "!!",
  "é ☃ 𝔼[∇]",
  "#not a comment",
  "a=b",
  "{a,b}",
  "[abc]?",
  "\u001b[31mred\u001b[0m",
];

describe("shellQuote", () => {
  it("gives one shell word that is exactly the string, for hostile strings (a round trip through sh -c 'printf %s …')", () => {
    for (const s of HOSTILE) expect(sh(`printf %s ${shellQuote(s)}`), JSON.stringify(s)).toBe(s);
    // several words stay several arguments, each whole
    expect(
      sh(`printf '%s\\0' ${HOSTILE.map(shellQuote).join(" ")}`)
        .split("\0")
        .slice(0, -1),
    ).toEqual(HOSTILE);
    expect(readdirSync(CWD)).toEqual([]); // nothing ran
  });

  it("is single quotes with ' written as '\\''", () => {
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
  });
});

describe("replayLine", () => {
  const before = process.env.PGBOOK_IMPL;
  afterEach(() => {
    if (before === undefined) delete process.env.PGBOOK_IMPL;
    else process.env.PGBOOK_IMPL = before;
  });

  /** Run a replay line with `npx` replaced by a shell function that prints what it was given. */
  function parse(line: string): string[] {
    const out = sh(`npx() { printf '%s\\0' "$PGBOOK_IMPL" "$PGBOOK_SEED" "$@"; }\n${line}`);
    return out.split("\0").slice(0, -1);
  }

  it("quotes the submission's path, the spec file and the title: a pasted line passes them whole and runs nothing else", () => {
    const impl = "/tmp/class of 2025/$(touch ran-impl)/`touch ran-tick`/it's; touch ran-semi/index.ts";
    process.env.PGBOOK_IMPL = impl;
    const title = "[eq 5] it's $(touch ran-title) (a|b) * 2";
    const file = "hidden dir/it's a.spec.ts";
    const line = replayLine(file, title);
    const [gotImpl, seed, ...args] = parse(line);
    expect(gotImpl).toBe(impl);
    expect(seed).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(args.slice(0, 3)).toEqual(["vitest", "run", file]);
    expect(args[3]).toBe("-t");
    // -t is a regular expression that matches exactly the title's text
    expect(new RegExp(args[4]).test(title)).toBe(true);
    expect(args[4]).toBe("\\[eq 5\\] it's \\$\\(touch ran-title\\) \\(a\\|b\\) \\* 2");
    expect(args).toHaveLength(5);
    expect(readdirSync(CWD)).toEqual([]);
  });

  it("keeps ordinary lines as they were (bare spec path and seed, quoted title), without an implementation", () => {
    delete process.env.PGBOOK_IMPL;
    const line = replayLine("spec/1-bandits/1.1-gibbs.spec.ts", "[eq 2] gibbsPolicy is the softmax");
    expect(line).toMatch(
      /^PGBOOK_SEED=[A-Za-z0-9_.-]+ npx vitest run spec\/1-bandits\/1\.1-gibbs\.spec\.ts -t '\\\[eq 2\\\] gibbsPolicy is the softmax'$/,
    );
    expect(parse(line).slice(0, 1)).toEqual([""]);
  });

  it("uses the one primitive for the title: the same quoting as shellQuote", () => {
    delete process.env.PGBOOK_IMPL;
    expect(replayLine("a.spec.ts", "it's").endsWith(` -t ${shellQuote("it's")}`)).toBe(true);
  });
});

describe("text primitives the reports rely on", () => {
  it("clean strips control sequences and caps the length; escapeHtml escapes markup", () => {
    expect(clean("\u001b[31mred\u001b[0m\u0007")).toBe("red");
    expect(clean("x".repeat(30), 10)).toBe(`${"x".repeat(10)}… [20 characters cut]`);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
