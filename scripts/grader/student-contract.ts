/**
 * What a submission imports as "pgbook/contract": the chapters' interfaces and name lists, and the
 * type of the seeded stream its random functions receive. Nothing else of the book is visible to it.
 */
export * from "../../src/contract/index.ts";
export type { Rng, RngState } from "../../src/contract/random.ts";
