/**
 * A vitest reporter for gradings: each test's result is appended, as one JSON line, to the file
 * named by PGBOOK_GRADE_STREAM the moment it finishes, so a grading stopped by its supervisor (or
 * one whose vitest died) still knows every result that was reached. Lines carry what the JSON
 * reporter would: file, full name (ancestors and title joined by spaces), status, messages, meta.
 */
import { appendFileSync } from "node:fs";
import type { Reporter, TestCase } from "vitest/node";

function names(t: TestCase): string[] {
  const out = [t.name];
  for (let p = t.parent; p.type === "suite"; p = p.parent) out.unshift(p.name);
  return out;
}

export default class StreamReporter implements Reporter {
  private readonly file = process.env.PGBOOK_GRADE_STREAM;

  onTestCaseResult(t: TestCase): void {
    if (!this.file) return;
    const r = t.result();
    const line = {
      file: t.module.moduleId,
      fullName: names(t).join(" "),
      path: names(t).join(" > "),
      title: t.name,
      status: r.state,
      duration: t.diagnostic()?.duration ?? 0,
      failureMessages: (r.errors ?? []).map((e) => e.stack ?? e.message),
      line: t.location?.line,
      meta: t.meta(),
    };
    appendFileSync(this.file, JSON.stringify(line) + "\n");
  }
}
