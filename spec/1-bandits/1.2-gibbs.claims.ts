/**
 * §1.2's claims about the Gibbs score (3)–(5), in the portable form (spec/claims/claim.ts) that vitest, the
 * grader and the book's "check your code" panel all run: the spec file 1.2-gibbs.spec.ts registers them.
 */
import fc from "fast-check";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { numericGradient } from "../../measure/stats/finite-diff.ts";
import { scoresActionRewards } from "../../measure/arbitraries/bandit.ts";
import { expectClose } from "../../measure/close.ts";
import { check, type Claim } from "../claims/claim.ts";
import { FD, shrinksLikeHSquared, softmax } from "./literal.ts";

const at = { file: "spec/1-bandits/1.2-gibbs.spec.ts", section: "1.2 An example: the Gibbs policy" };

/** ln πθ(a) by the literal softmax: the function whose gradient the score is. */
const lnPi = (a: number) => (th: Float64Array) => Math.log(softmax(th)[a]);

export const scoreMatchesDifferences: Claim = {
  ...at,
  title: "[eq 3] [eq 4] [eq 5] gibbsScore equals central finite differences of ln πθ(a)",
  kind: "property",
  implements: ["gibbsScore"],
  check: (impl, t) =>
    t.property(
      fc.property(scoresActionRewards(), ({ theta, a }) => {
        expectClose(
          impl.gibbsScore(theta, a),
          numericGradient(lnPi(a), theta),
          FD,
          "gibbsScore(θ, a) against finite differences",
        );
      }),
    ),
};

export const scoreErrorShrinksLikeH2: Claim = {
  ...at,
  title: "[eq 5] finite-difference error of the score shrinks like h² (h = 1e-2 against 5e-3)",
  kind: "exact",
  implements: ["gibbsScore"],
  check: (impl, t) => {
    // fixed instances where the third directional derivative is far from zero, so truncation dominates
    const rng = t.rng();
    let checked = 0;
    for (let trial = 0; trial < 20; trial++) {
      const theta = Float64Array.from({ length: 4 }, () => 4 * rng() - 2);
      const v = Float64Array.from({ length: 4 }, () => 2 * rng() - 1);
      const a = Math.floor(rng() * 4);
      const g = impl.gibbsScore(theta, a);
      const dir = g.reduce((s, gi, i) => s + gi * v[i], 0);
      // skip directions whose truncation error is within round-off (|err(h)| < 1e-9)
      if (shrinksLikeHSquared(lnPi(a), theta, v, dir)) checked++;
    }
    check(checked >= 15, `only ${checked} of 20 instances had a truncation error above round-off (at least 15 needed)`);
    t.fact("instances", checked);
  },
};

export const scoreIsEq4: Claim = {
  ...at,
  title: "[eq 4] gibbsScore equals 1ₐ − (1/Σ e^θa'') Σ e^θa' 1a', and its components sum to zero",
  kind: "property",
  implements: ["gibbsScore"],
  check: (impl, t) =>
    t.property(
      fc.property(scoresActionRewards(), ({ theta, a }) => {
        const e = Array.from(theta, Math.exp);
        const z = e.reduce((s, x) => s + x, 0);
        const eq4 = e.map((x, i) => (i === a ? 1 : 0) - x / z);
        const g = impl.gibbsScore(theta, a);
        expectClose(g, eq4, ACCURACY, "gibbsScore(θ, a)");
        // the exact components sum to 0; each is allowed abs + rel·|component|
        expectClose(
          g.reduce((s, x) => s + x, 0),
          0,
          { rel: 0, abs: theta.length * ACCURACY.abs + ACCURACY.rel * eq4.reduce((s, x) => s + Math.abs(x), 0) },
          "Σᵢ gibbsScore(θ, a)ᵢ",
        );
      }),
    ),
};
