/**
 * A correct submission for Chapters 2–4 (average reward, total return, language models), written
 * apart from the book's reference code (src/) so that students can compare against it and so that
 * grading it tests the grader and the specs rather than the reference against itself. It differs
 * from src/ where there is a choice: the stationary distribution from dᵀ(I − P + 11ᵀ) = 1ᵀ, relative
 * values through the fundamental matrix (I − P + 1dᵀ), one Gaussian elimination for every solve; the
 * transformer with its weights as arrays of rows, position by position, its backward pass accumulated
 * into matrices of the same shapes.
 */
export * from "./average-reward.ts";
export * from "./total-return.ts";
export * from "./language-model.ts";
export * from "./network.ts";
