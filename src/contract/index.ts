/**
 * The contract: what an implementation under test provides, chapter by chapter. The specs see the
 * implementation only through this type (via spec/support/impl.ts), so the same suite checks the
 * book's reference code in src/ and a student's module. The measuring tools are not part of it.
 */
import type { Chapter1 } from "./chapter1.ts";
import type { Chapter2 } from "./chapter2.ts";
import type { Chapter3 } from "./chapter3.ts";
import type { Chapter4 } from "./chapter4.ts";

export type { Chapter1, Chapter2, Chapter3, Chapter4 };

/** Everything a complete implementation provides. */
export type Contract = Chapter1 & Chapter2 & Chapter3 & Chapter4;

/** The contract's function names by chapter (used by the seam and the grader). */
export { CHAPTER1_FUNCTIONS } from "./chapter1.ts";
export { CHAPTER2_FUNCTIONS } from "./chapter2.ts";
export { CHAPTER3_FUNCTIONS } from "./chapter3.ts";
export { CHAPTER4_FUNCTIONS } from "./chapter4.ts";

/** The accuracy every function must meet (the checks allow at least this). */
export { ACCURACY, RESIDUAL } from "./accuracy.ts";
