/**
 * The master seed of a run. Default: a fixed value, so `npm test` is deterministic.
 * `PGBOOK_SEED=<n>` picks another; `PGBOOK_SEED=random` picks a fresh one (resolved once, in the
 * vitest config, so every worker of a run shares it). Each test derives its own seed from the master
 * seed, its file and its title, so tests never share a stream.
 */

/** A fresh seed in [1, 2^47] from the platform's cryptographic generator (Node's and the browser's alike). */
function freshSeed(): number {
  const w = globalThis.crypto.getRandomValues(new Uint32Array(2));
  return 1 + (w[0] & 0x7fff) * 4294967296 + w[1];
}

export const DEFAULT_MASTER_SEED = "20251117";

/** Resolve the environment's seed request to a concrete master seed (called once per run). */
export function resolveMasterSeed(env: NodeJS.ProcessEnv = process.env): string {
  const s = env.PGBOOK_SEED?.trim();
  if (!s) return DEFAULT_MASTER_SEED;
  if (s === "random") return String(freshSeed());
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(s))
    throw new Error(`PGBOOK_SEED must be "random" or a short word of letters and digits, got ${JSON.stringify(s)}`);
  return s;
}

/**
 * The master seed of the current run: PGBOOK_SEED as it is (trimmed), or the default when it is unset,
 * empty or "random" (a run that asked for a fresh seed has it in PGBOOK_SEED once the vitest config
 * resolved it; a tool outside vitest falls back to the default). The one fallback of every tool and figure.
 */
export function masterSeed(env: NodeJS.ProcessEnv = process.env): string {
  const s = env.PGBOOK_SEED?.trim();
  return s && s !== "random" ? s : DEFAULT_MASTER_SEED;
}
