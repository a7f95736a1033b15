/**
 * Write the student starter template (starter/index.ts) from the contract: one stub per function of
 * every chapter, typed by the contract so it compiles, each throwing "not implemented yet" so that
 * every check fails cleanly. Run `npx tsx scripts/grader/make-starter.ts` after a chapter's contract lands.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, chapterFunctions } from "./contract.ts";

export function starterSource(): string {
  const lines = [
    "/**",
    " * Your implementation of pgbook's contract. Each function's documentation (the equation it must",
    " * satisfy) is in the contract: src/contract/chapterN.ts of the book. Replace a stub's body with your",
    ' * code; delete a stub you do not attempt (its checks then count as "not attempted").',
    " * Grade yourself: npm run grade -- starter   (or the folder you copied this file to).",
    " * Randomness: use only the `rng` argument a function receives, never Math.random.",
    " */",
    'import type { Contract } from "pgbook/contract";',
    "",
    "function notImplemented(name: string): never {",
    "  throw new Error(`not implemented yet: ${name}`);",
    "}",
  ];
  for (const [chapter, fns] of chapterFunctions()) {
    if (!fns.length) continue;
    lines.push("", `// Chapter ${chapter}`);
    for (const f of fns) lines.push(`export const ${f}: Contract["${f}"] = () => notImplemented("${f}");`);
  }
  return lines.join("\n") + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts/grader/make-starter.ts")) {
  writeFileSync(path.join(ROOT, "starter/index.ts"), starterSource());
}
