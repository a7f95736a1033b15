/**
 * pgbook's public API: the reference implementation of every chapter, plus the seeded random
 * streams. The measuring tools (src/stats) are exported separately as "pgbook/stats".
 */
export * from "./random.ts";
export * from "./chapter1.ts";
export * from "./chapter2.ts";
export * from "./chapter3.ts";
export * from "./chapter4.ts";
