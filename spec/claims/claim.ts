/**
 * One claim, three runners. A portable claim is a check written once, as a function of the implementation
 * under test and of a few tools (its seed, a seeded stream, a property runner, a place for facts), with no
 * runner's API in it: vitest runs it through spec/support/run-claim.ts (and so does the grader, which runs the
 * specs), and the book's pages run it in a Web Worker on a reader's function (scripts/site/live/). Its title,
 * section and spec file name it exactly as vitest does, so every runner derives the same seed from a master seed.
 */
import type fc from "fast-check";
import type { Contract } from "../../src/contract/index.ts";
import { derive, seed32, stream, type Rng } from "../../src/contract/random.ts";
import type { CheckKind } from "../../measure/claim-meta.ts";
import { runProperty } from "./property.ts";

/** What a claim's check may use besides the implementation: all its randomness comes from `seed`. */
export interface ClaimTools {
  /** The check's seed; every draw of the check derives from it. */
  seed: string;
  /** A stream seeded with the check's seed. */
  rng(): Rng;
  /** Run a fast-check property under the check's seed (claims/property.ts); throws its failure. */
  property<T>(property: fc.IProperty<T>, o?: { numRuns?: number }): void;
  /** Record a number the check measured (shown by the site; the browser shows it beside the verdict). */
  fact(name: string, value: number): void;
}

export interface Claim {
  /** The spec file that registers it, relative to the repository (part of its seed). */
  file: string;
  /** The title of the `describe` it sits in. */
  section: string;
  /** The check's title, with its tags ("[eq 5] …"). */
  title: string;
  kind: CheckKind;
  /** The contract functions the check exercises (the grader grades those; the page's panel offers the first). */
  implements: (keyof Contract)[];
  /** The check: returns when the claim holds for `impl`, throws an Error saying why otherwise. */
  check(impl: Contract, t: ClaimTools): void;
}

/** An assertion of a portable claim: throws an AssertionError with `message` unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw Object.assign(new Error(message), { name: "AssertionError" });
}

/**
 * The seed vitest derives for the claim's test under `master` (spec/support/claim.ts: the file, then the test's
 * full name, which vitest writes as "file > describe > title").
 */
export function claimSeed(master: string, c: Pick<Claim, "file" | "section" | "title">): string {
  return derive(master, c.file, `${c.file} > ${c.section} > ${c.title}`);
}

/** The 32-bit seed fast-check gets from a check's seed (as spec/support/claim.ts's testSeed32). */
export const propertySeed = (seed: string): number => seed32(seed) | 0;

/** The outcome of a claim on one implementation, as a runner outside vitest reports it. */
export interface Outcome {
  status: "passed" | "failed";
  /** The failure's message ("" when it held). */
  message: string;
  /** The error's name when it failed (AssertionError for the check's own comparisons). */
  errorName?: string;
  /** The error's stack, for a runner that maps it to the reader's code. */
  stack?: string;
  facts: Record<string, number>;
}

/** Run `c` on `impl` under `seed` without vitest; `replay` tells the reader how to rerun it (printed on failure). */
export function runClaimOn(c: Claim, impl: Contract, seed: string, replay: string): Outcome {
  const facts: Record<string, number> = {};
  const tools: ClaimTools = {
    seed,
    rng: () => stream(seed),
    property: (p, o) =>
      runProperty(p, { seed: propertySeed(seed), numRuns: o?.numRuns ?? 100, fns: c.implements, replay }),
    fact: (name, value) => void (facts[name] = value),
  };
  try {
    c.check(impl, tools);
    return { status: "passed", message: "", facts };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(`threw ${String(e)}`);
    return { status: "failed", message: err.message, errorName: err.name, stack: err.stack, facts };
  }
}
