/**
 * How the seam (impl.ts) learns of an implementation kept elsewhere: a provider registered before the
 * specs load (the grader's vitest setup file does it). This module has no imports with side effects,
 * so a provider can register before impl.ts evaluates.
 */

/**
 * What a grader registers to put the implementation under test somewhere else (an isolated
 * process): `connect` returns an object of the contract's functions, which may also offer
 * `[RUN_BANDITS](specs, label)`, the bandit runs computed and verified the grader's way.
 */
export interface ImplProvider {
  connect(modulePath: string): Record<string | symbol, unknown>;
}

const PROVIDER = Symbol.for("pgbook.implProvider");
/** The key under which a provided implementation runs bandit experiments its own way (see runBanditsWith). */
export const RUN_BANDITS = Symbol.for("pgbook.runBandits");

/** Register the provider used when PGBOOK_SANDBOX is set (the grader's vitest setup file calls this). */
export function registerImplProvider(p: ImplProvider): void {
  (globalThis as Record<symbol, unknown>)[PROVIDER] = p;
}

/** The registered provider, if any. */
export function registeredProvider(): ImplProvider | undefined {
  return (globalThis as Record<symbol, unknown>)[PROVIDER] as ImplProvider | undefined;
}
