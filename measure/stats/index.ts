/** The book's measuring tools: bounds, exact binomial tails, finite differences, moments. */
export * from "./bounds.ts";
export * from "./binomial.ts";
export * from "./finite-diff.ts";
export * from "./moments.ts";
