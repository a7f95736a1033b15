/**
 * Chapter 4, "A language model is a policy" (notes §3.2, Figure 3): the window moves by dropping its oldest
 * token and appending the new one, and πθ(·|S_t) is the softmax of token × position features.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { tinyLm as tinyArb } from "../../measure/arbitraries/lm.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";

describe("4.1 A language model is a policy (Figure 3)", () => {
  it("[fig 3] [sec 3.2] the next window drops the oldest token and appends the new one", (ctx) => {
    checkProperty(
      ctx,
      fc.property(fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 6 }), fc.nat({ max: 9 }), (w, a) => {
        const before = w.slice();
        const next = impl.nextWindow(w, a);
        expect(next).toEqual([...before.slice(1), a]);
        expect(w).toEqual(before); // the input is untouched
      }),
      { implements: ["nextWindow"] },
    );
  });

  it("[fig 3] πθ(·|S_t) is a distribution over the vocabulary read from token × position features only", (ctx) => {
    checkProperty(
      ctx,
      fc.property(tinyArb(), ({ model, theta, prompt }) => {
        expect(impl.lmParamCount(model)).toBe(model.vocab + model.window * model.vocab * model.vocab);
        const p = impl.lmPolicy(model, theta, prompt);
        expect(p.length).toBe(model.vocab);
        expectClose(
          p.reduce((s, x) => s + x, 0),
          1,
          ACCURACY,
          "Σ_a π(a|s)",
        );
        // the documented layout: logits b[a] + Σᵢ W[i][sᵢ][a], recomputed here independently
        const V = model.vocab;
        const z = Array.from({ length: V }, (_, a) => {
          let s = theta[a];
          for (let i = 0; i < model.window; i++) s += theta[V + (i * V + prompt[i]) * V + a];
          return s;
        });
        const m = Math.max(...z);
        const e = z.map((x) => Math.exp(x - m));
        const tot = e.reduce((s, x) => s + x, 0);
        expectClose(
          p,
          e.map((x) => x / tot),
          ACCURACY,
          "πθ(·|s)",
        );
      }),
      { implements: ["lmPolicy", "lmParamCount"] },
    );
  });
});
