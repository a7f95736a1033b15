/**
 * A vitest reporter that prints the run's statistical budget: how many checks are statistical,
 * the sum of their false-failure rates (the total false-failure bound, Bonferroni) and the master seed.
 */
import type { Reporter, TestModule } from "vitest/node";
import { masterSeed } from "../../measure/seed.ts";

export default class BudgetReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let checks = 0;
    let statistical = 0;
    let total = 0;
    let controls = 0;
    let alphas = 0;
    let betas = 0;
    let rates = 0;
    let worstP1Gap = 0;
    let notRun = 0;
    const kinds: Record<string, number> = {};
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        // a check filtered out (-t, .only) or skipped neither ran nor spent any of the budget
        const state = t.result().state;
        if (state !== "passed" && state !== "failed") {
          notRun++;
          continue;
        }
        const meta = t.meta().pgbook;
        checks++;
        if (!meta) continue;
        kinds[meta.kind] = (kinds[meta.kind] ?? 0) + 1;
        if (meta.alpha !== undefined || meta.beta !== undefined) {
          statistical++;
          total += (meta.alpha ?? 0) + (meta.beta ?? 0);
          alphas += meta.alpha ?? 0;
          betas += meta.beta ?? 0;
        }
        // one rate claim per label with a p1 (controls record p1 too, with their exact controlRate)
        const facts = meta.facts ?? {};
        for (const key of Object.keys(facts)) {
          if (!key.endsWith(".p1")) continue;
          const label = key.slice(0, -3);
          if (facts[`${label}.controlRate`] !== undefined) continue;
          rates++;
          const p0 = facts[`${label}.p0`];
          const p1 = facts[key];
          if (typeof p0 === "number" && typeof p1 === "number") worstP1Gap = Math.max(worstP1Gap, Math.abs(p0 - p1));
        }
        if (meta.control) controls++;
      }
    }
    const byKind = Object.entries(kinds)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ");
    process.stdout.write(
      `\n pgbook  master seed ${masterSeed()} · ${checks} checks ran (${byKind || "none tagged"})` +
        (notRun ? `, ${notRun} did not (skipped or filtered out)` : "") +
        " · " +
        `${statistical} statistical (${controls} negative controls) · total false-failure bound Σα + Σβ = ` +
        `${alphas.toExponential(2)} + ${betas.toExponential(2)} = ${total.toExponential(2)}\n` +
        (rates
          ? `         ${rates} rate claims, each failing with probability ≥ 0.999 at its p1 (widest |p0 − p1| ${worstP1Gap.toFixed(3)}; power, not in the bound)\n`
          : "") +
        `         replay this run: PGBOOK_SEED=${masterSeed()} npm test · fresh seeds: PGBOOK_SEED=random npm test\n`,
    );
  }
}
