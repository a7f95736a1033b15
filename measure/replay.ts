/**
 * The replay line a failing check prints: a shell command that reruns exactly that check with the
 * same master seed — under vitest, or under the grader when the check ran against a sandboxed
 * submission. Shared by the specs (spec/support/claim.ts) and the tests of the grader's text.
 */
import path from "node:path";
import { masterSeed } from "./seed.ts";
import { shellQuote } from "./shell.ts";

/** A word of the replay line as it is when nothing in it is special to a shell, else single-quoted. */
const word = (s: string): string => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : shellQuote(s));

/**
 * The shell command that replays one test under the current master seed, safe to paste: the
 * implementation's path (which a submission's folder name controls) and the title are single-quoted,
 * the spec file and the seed too when they hold anything a shell would read.
 */
export function replayLine(file: string, testTitle: string): string {
  if (process.env.PGBOOK_SANDBOX && process.env.PGBOOK_IMPL) return gradeReplay(file);
  const slow = file.endsWith(".slow.spec.ts") ? " --project slow" : "";
  const impl = process.env.PGBOOK_IMPL ? `PGBOOK_IMPL=${shellQuote(process.env.PGBOOK_IMPL)} ` : "";
  // -t takes a regular expression: the title's metacharacters escaped, then the whole quoted
  const title = testTitle.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  return `${impl}PGBOOK_SEED=${word(masterSeed())} npx vitest run${slow} ${word(file)} -t ${shellQuote(title)}`;
}

/**
 * Under the grader the replay is a grading: the figures' runs cross into the sandbox under opaque
 * seeds, so only the grader reproduces them. The spec file's checks are regraded with the same
 * master seed (PGBOOK_SEED, taken as it is, as the submission's content-keyed seed was).
 */
function gradeReplay(file: string): string {
  const m = /^spec\/(\d+)-[^/]+\/(.+?)(\.slow)?\.spec\.ts$/.exec(file);
  const where = m
    ? `--chapters ${m[1]} --specs ${shellQuote(m[2])}${m[3] ? " --slow" : ""}`
    : `--specs none --hidden ${shellQuote(path.dirname(path.resolve(file)))}`;
  return `PGBOOK_SEED=${word(masterSeed())} npm run grade -- ${shellQuote(process.env.PGBOOK_IMPL!)} ${where}`;
}
