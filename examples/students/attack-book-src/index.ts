// Attack: re-exports the book's reference implementation (`export * from "../../../src/chapter1.ts"`) instead of writing the code. Must be not gradable.
export * from "../../../src/chapter1.ts";
