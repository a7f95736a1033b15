// Attack: tries to leave files behind — in its working directory, the OS temp folder, /dev/shm, /var/tmp, its own bundle's folder and its pipes' folder — with fs writes (the permission model denies them) and by binding Unix sockets there (bind() creates a file, and Node 20's permission model does not check it), at import time and again inside a call.
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ok from "./correct.ts";
export * from "./correct.ts";

const MARK = "pgbook-attack-marker";

function dirs(): string[] {
  const out = ["/tmp", "/dev/shm", "/var/tmp"];
  for (const f of [() => process.cwd(), () => os.tmpdir(), () => path.dirname(fileURLToPath(import.meta.url)), () => path.dirname(process.argv[3] ?? "/")]) {
    try {
      out.push(f());
    } catch {
      /* unknown */
    }
  }
  return [...new Set(out)];
}

function attempt(when: string): Promise<unknown>[] {
  const waits: Promise<unknown>[] = [];
  for (const d of dirs()) {
    try {
      writeFileSync(path.join(d, `${MARK}-${when}-write`), "x");
    } catch {
      /* denied */
    }
    try {
      mkdirSync(path.join(d, `${MARK}-${when}-dir`));
    } catch {
      /* denied */
    }
    try {
      const s = net.createServer();
      waits.push(
        new Promise((resolve) => {
          s.on("listening", resolve);
          s.on("error", resolve);
          setTimeout(resolve, 500);
        }),
      );
      s.listen(path.join(d, `${MARK}-${when}.sock`));
    } catch {
      /* denied */
    }
  }
  return waits;
}

await Promise.all(attempt("import"));

let once = false;
export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => {
  if (!once) {
    once = true;
    attempt("call"); // inside a call no event loop runs: only what happens synchronously counts
  }
  return ok.gibbsPolicy(theta);
};
