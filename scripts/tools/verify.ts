/**
 * Run every check (both tiers) and print a summary by claim: for each tag, how many checks back
 * it and whether they all held. Exits 1 when any check fails. (`npm run site` builds on this.)
 */
import { runTier, type TestResult } from "../lib/run-specs.ts";

const fast = runTier("fast");
const slow = runTier("slow");
const tests: TestResult[] = [...fast.tests, ...slow.tests];
const byTag = new Map<string, TestResult[]>();
for (const t of tests) for (const tag of t.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), t]);

const order = (tag: string) => {
  const [kind, rest] = tag.split(" ");
  const k = ["eq", "fig", "sec", "erratum"].indexOf(kind);
  return [k, Number.parseFloat(rest) || 0, rest] as const;
};
const tags = [...byTag.keys()].sort((a, b) => {
  const x = order(a);
  const y = order(b);
  return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
});
let failedClaims = 0;
let bound = 0;
for (const t of tests) bound += (t.meta?.alpha ?? 0) + (t.meta?.beta ?? 0);
console.log("claim            checks  held  kinds");
for (const tag of tags) {
  const ts = byTag.get(tag)!;
  const held = ts.filter((t) => t.status === "passed").length;
  const kinds = [...new Set(ts.map((t) => t.meta?.kind ?? "exact"))].join(", ");
  if (held < ts.length) failedClaims++;
  console.log(
    `${(held === ts.length ? "✓ " : "✗ ") + tag.padEnd(15)} ${String(ts.length).padStart(6)} ${String(held).padStart(5)}  ${kinds}`,
  );
}
const failed = tests.filter((t) => t.status === "failed");
for (const t of failed)
  console.log(`\nFAILED ${t.file} > ${t.fullName}\n${t.failureMessages.join("\n").slice(0, 2000)}`);
for (const e of [...fast.errors, ...slow.errors]) console.log(`\nERROR ${e}`);
console.log(
  `\n${tags.length} claims, ${tags.length - failedClaims} held, ${failedClaims} failed · ${tests.length} checks ` +
    `(${failed.length} failed) · total false-failure bound ${bound.toExponential(2)} · checks took ${(fast.seconds + slow.seconds).toFixed(1)} s`,
);
process.exit(failed.length || fast.errors.length || slow.errors.length ? 1 : 0);
