/**
 * Exact rational numbers for the measuring tools: mathjs's `Fraction` (fraction.js, bigint numerator
 * and denominator), with the conversions the book needs made strict. mathjs's own `fraction(0.3)`
 * approximates any double by a nearby fraction (π becomes 11985110/3814979); here a double is only
 * ever read as the decimal it prints as, and refused when that decimal is too long to be what was written.
 */
import { fraction, type Fraction } from "mathjs";

export type Rational = Fraction;

/** The integer n, or n/d for integers (bigint or safe integers); throws on a zero denominator. */
export function rational(n: number | bigint, d: number | bigint = 1n): Rational {
  const big = (x: number | bigint, what: string): bigint => {
    if (typeof x === "bigint") return x;
    if (!Number.isSafeInteger(x)) throw new RangeError(`rational: the ${what} ${x} is not a safe integer`);
    return BigInt(x);
  };
  const den = big(d, "denominator");
  if (den === 0n) throw new RangeError("rational: zero denominator");
  return fraction(big(n, "numerator"), den);
}

export const ZERO: Rational = rational(0);
export const ONE: Rational = rational(1);

/**
 * The number a decimal text stands for: an integer, a decimal with an optional exponent ("0.125",
 * "-2.5e-3", ".5"), or a quotient of integers ("11/34", "-3/17"). Returns null for any other text
 * (so "1/0", "0x10", "1/3.5", "abc" and "" are refused, never approximated).
 */
export function parseRational(text: string): Rational | null {
  const t = text.trim();
  const q = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(t);
  if (q) return BigInt(q[2]) === 0n ? null : fraction(BigInt(q[1]), BigInt(q[2]));
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const digits = BigInt(`${m[2]}${m[3] ?? ""}` || "0");
  const exp = Number(m[4] ?? 0) - (m[3] ?? "").length;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 10_000) return null;
  const sign = m[1] === "-" ? -1n : 1n;
  return exp >= 0 ? fraction(sign * digits * 10n ** BigInt(exp), 1n) : fraction(sign * digits, 10n ** BigInt(-exp));
}

/** Significant digits of the shortest decimal that prints a finite double (String(x)). */
export function significantDigits(x: number): number {
  const mantissa = String(Math.abs(x)).split(/[eE]/)[0].replace(".", "").replace(/^0+/, "");
  return Math.max(1, mantissa.replace(/0+$/, "").length);
}

/**
 * The most significant digits a decimal may have and still come back unchanged from the double
 * nearest to it (DBL_DIG = 15): such a decimal is the shortest text that prints that double.
 */
export const EXACT_DECIMAL_DIGITS = 15;

/**
 * A JSON number as the exact decimal it was written as, or the reason it cannot be: not finite, or
 * printing with more than 15 significant digits (0.1 + 0.2 prints as 0.30000000000000004, 1/3 as
 * 0.3333333333333333), where the written text may have been any of many decimals.
 */
export function exactDecimal(x: number): { value: Rational } | { problem: string } {
  if (!Number.isFinite(x)) return { problem: `expected a finite number, got ${x}` };
  const digits = significantDigits(x);
  if (digits > EXACT_DECIMAL_DIGITS)
    return {
      problem: `${x} has ${digits} significant digits, more than a JSON number keeps exactly (at most ${EXACT_DECIMAL_DIGITS}); write it as a string such as "1/3"`,
    };
  const v = parseRational(String(x));
  return v === null ? { problem: `cannot read ${x} as a decimal` } : { value: v };
}

/** A JSON value (a number, or a string as parseRational reads it) as an exact rational, or the reason it is not one. */
export function rationalFromJson(v: unknown): { value: Rational } | { problem: string } {
  if (typeof v === "number") return exactDecimal(v);
  if (typeof v === "string") {
    const r = parseRational(v);
    return r === null
      ? { problem: `expected a number or a fraction such as "11/34", got ${JSON.stringify(v)}` }
      : { value: r };
  }
  return { problem: `expected a number or a fraction such as "11/34", got ${JSON.stringify(v)}` };
}

/** "11/34", "-3/17", "0", "1": the reduced fraction as text (the form parseRational reads back). */
export function show(x: Rational): string {
  return x.toFraction();
}

/** TeX for a reduced fraction: `\tfrac{29}{16}`, `-\tfrac{3}{17}`, or the integer. */
export function tex(x: Rational): string {
  if (x.d === 1n) return (x.s < 0n ? "-" : "") + x.n.toString();
  return `${x.s < 0n ? "-" : ""}\\tfrac{${x.n}}{${x.d}}`;
}

/** The double nearest to x (mathjs's valueOf). */
export const toNumber = (x: Rational): number => x.valueOf();

export function sum(xs: Iterable<Rational>): Rational {
  let s = ZERO;
  for (const x of xs) s = s.add(x);
  return s;
}
