// Attack: re-exports the book's reference implementation (`export * from "../../../src/bandits/index.ts"`) instead of writing the code. Must be not gradable.
export * from "../../../src/bandits/index.ts";
