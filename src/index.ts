/**
 * pgbook's public API: the reference implementation of every chapter, plus the seeded random
 * streams. The measuring tools live apart, in measure/.
 */
export * from "./contract/random.ts";
export * from "./bandits/index.ts";
export * from "./average-return/index.ts";
export * from "./total-return/index.ts";
export * from "./language-models/index.ts";
