// Attack: a top-level-await loop at import time (`for (;;) await null`): the module never finishes loading and, since only microtasks run, no timer or I/O callback ever fires in the child; every check must fail with `import` (or `timeout`) within the time limits.
export * from "./correct.ts";

let spins = 0;
for (;;) {
  await null;
  spins++;
}
