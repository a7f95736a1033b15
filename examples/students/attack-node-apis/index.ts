// Attack: tries Node's ways around the permission model one by one — process.binding, the inspector, worker_threads, child_process, native addons, WASI, reading a host file, renicing its parent — and makes gibbsPolicy throw the names of those that worked.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import * as ok from "./correct.ts";
export * from "./correct.ts";

const escaped: string[] = [];
const refused = (e: unknown) => /ERR_ACCESS_DENIED|ERR_DLOPEN_DISABLED|EPERM|EACCES|ENOENT/.test(`${(e as { code?: string })?.code} ${(e as Error)?.message}`);
async function tryIt(name: string, f: () => unknown): Promise<void> {
  try {
    await f();
    escaped.push(name);
  } catch (e) {
    if (!refused(e)) escaped.push(`${name} (${String((e as Error)?.message ?? e).slice(0, 80)})`);
  }
}

await tryIt("process.binding", () => Object.keys((process as unknown as { binding(n: string): object }).binding("fs")).length);
await tryIt("inspector.open", async () => {
  const inspector = await import("node:inspector");
  inspector.open(0);
  inspector.close();
});
await tryIt("inspector.Session", async () => {
  const inspector = await import("node:inspector");
  const s = new inspector.Session();
  s.connect();
  s.disconnect();
});
await tryIt("worker_threads", async () => {
  const { Worker } = await import("node:worker_threads");
  await new Worker("0", { eval: true }).terminate();
});
await tryIt("child_process", () => execFileSync("/bin/sh", ["-c", "echo escaped"]));
await tryIt("process.dlopen", () => process.dlopen({ exports: {} }, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
await tryIt("wasi", async () => {
  const { WASI } = await import("node:wasi");
  return new WASI({ version: "preview1", preopens: { "/": "/" } });
});
await tryIt("read /etc/hostname", () => readFileSync("/etc/hostname", "utf8"));
if (process.ppid > 1)
  await tryIt("os.setPriority(parent)", () => {
    os.setPriority(process.ppid, os.getPriority(process.ppid));
  });

export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => {
  if (escaped.length) throw new Error(`escaped the permission model by: ${escaped.join(", ")}`);
  return ok.gibbsPolicy(theta);
};
