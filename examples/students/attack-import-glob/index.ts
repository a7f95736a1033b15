// Attack: a template-literal import() (and a concatenated require()) that esbuild would expand into a glob over ../source/hidden/, reading the hidden specs. Must be not gradable.
const leaked: unknown[] = [];
for (const n of [1, 2, 3]) leaked.push(await import(`../source/hidden/${n}.spec.ts`, { with: { type: "text" } }));
const name = "run_autograder";
leaked.push(require("../source/" + name));

export function gibbsPolicy(theta: Float64Array): Float64Array {
  throw new Error(JSON.stringify(leaked));
}
