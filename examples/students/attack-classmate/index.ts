// Attack: re-exports another student's folder (`export * from "../correct/index.ts"`) instead of writing the code. Must be not gradable.
export * from "../correct/index.ts";
