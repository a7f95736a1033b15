/**
 * Batches in columns (scripts/grader/sandbox/packing.ts): a packing changes no value and gives each
 * row arrays of its own; batches of another shape are left as they are; and a malformed packing,
 * which a child could send as its results, is refused rather than expanded into something else.
 */
import { describe, expect, it } from "vitest";
import {
  pack,
  packStates,
  packValues,
  unpack,
  unpackStates,
  unpackValues,
  type Packed,
} from "../../scripts/grader/sandbox/packing.ts";
import { fastStream, fromState, stream, type RngState } from "../../src/contract/random.ts";

const rows = (n: number): unknown[][] =>
  Array.from({ length: n }, (_, i) => [Float64Array.of(i, -0, NaN), i === 3 ? -0 : i / 7, { __pgbookRng: i % 5 }]);

describe("batches in columns", () => {
  it("round-trips numbers, Float64Arrays and stream references bit for bit (−0, NaN), each row with arrays of its own", () => {
    const r = rows(40);
    const p = pack(r)!;
    expect(p.cols.map((c) => c.t)).toEqual(["f64", "num", "rng"]);
    const back = unpack(p, 5);
    expect(back).toEqual(r);
    expect(Object.is(back[3][1], -0)).toBe(true);
    expect(Object.is((back[0][0] as Float64Array)[1], -0)).toBe(true);
    expect(back[0][0]).not.toBe(back[1][0]);
    expect((back[0][0] as Float64Array).buffer).not.toBe((back[1][0] as Float64Array).buffer);
    // a row's array changed after unpacking leaves the packing (and so a second unpacking) untouched
    (back[0][0] as Float64Array)[0] = 99;
    expect((unpack(p, 5)[0][0] as Float64Array)[0]).toBe(0);
  });

  it("leaves small batches and batches of mixed shape as they are", () => {
    expect(pack(rows(15))).toBeUndefined();
    const mixedLength = rows(40);
    mixedLength[7][0] = Float64Array.of(1);
    expect(pack(mixedLength)).toBeUndefined();
    const plainArray = rows(40);
    plainArray[9][0] = [1, 2, 3];
    expect(pack(plainArray)).toBeUndefined();
    const otherArity = rows(40);
    otherArity[2] = otherArity[2].slice(0, 2);
    expect(pack(otherArity)).toBeUndefined();
    const refWithMore = rows(40);
    refWithMore[5][2] = { __pgbookRng: 1, extra: 1 };
    expect(pack(refWithMore)).toBeUndefined();
    // empty arrays cross as they are (a packed column holds at least one number per row)
    expect(packValues(Array.from({ length: 40 }, () => new Float64Array(0)))).toBeUndefined();
    // results never pack stream references
    expect(packValues(Array.from({ length: 40 }, (_, i) => ({ __pgbookRng: i })))).toBeUndefined();
    expect(packValues(Array.from({ length: 40 }, () => [1, 2]))).toBeUndefined();
  });

  it("packs results: numbers, or Float64Arrays of one length", () => {
    const nums = Array.from({ length: 20 }, (_, i) => (i === 1 ? -0 : i - 0.5));
    expect(unpackValues(packValues(nums)!, 20)).toEqual(nums);
    const arrays = Array.from({ length: 20 }, (_, i) => Float64Array.of(i, 1 / (i + 1)));
    expect(unpackValues(packValues(arrays)!)).toEqual(arrays);
  });

  it.each<[string, (p: Packed) => unknown]>([
    ["a count that does not match the columns", (p) => (p.count = 41)],
    ["a negative count", (p) => (p.count = -1)],
    ["a fractional count", (p) => (p.count = 2.5)],
    ["a Float64Array column cut short", (p) => ((p.cols[0] as { v: Float64Array }).v = new Float64Array(3))],
    ["a length that does not divide the column", (p) => ((p.cols[0] as { len: number }).len = 7)],
    ["a column of no known kind", (p) => ((p.cols[1] as { t: string }).t = "str")],
    ["a number column of another type", (p) => ((p.cols[1] as { v: unknown }).v = [1, 2])],
    ["a stream index out of range", (p) => ((p.cols[2] as { v: Int32Array }).v[4] = 5)],
    ["a negative stream index", (p) => ((p.cols[2] as { v: Int32Array }).v[0] = -1)],
    ["no columns", (p) => ((p as { cols: unknown }).cols = undefined)],
    ["an empty list of columns with a huge count", (p) => ((p.cols = []), (p.count = 1e9))],
    [
      "empty arrays with a huge count (rows the data does not bound)",
      (p) => ((p.count = 1e9), (p.cols = [{ t: "f64", len: 0, v: new Float64Array(0) }])),
    ],
  ])("refuses a malformed packing: %s", (_, spoil) => {
    const p = pack(rows(40))!;
    expect(() => unpack(p, 5)).not.toThrow();
    spoil(p);
    expect(() => unpack(p, 5)).toThrow();
  });

  it("refuses stream references where none may be (results), and results of another count", () => {
    expect(() => unpack(pack(rows(40))!)).toThrow(/not a packed column/);
    expect(() => unpackValues(packValues(Array.from({ length: 20 }, (_, i) => i))!, 21)).toThrow(
      /20 packed results for 21/,
    );
    expect(() => unpackValues(pack(rows(40))!)).toThrow();
  });

  it("packs Alea stream states and restores streams that draw the same numbers", () => {
    const streams = Array.from({ length: 20 }, (_, i) => stream(`packing/${i}`));
    streams.forEach((r, i) => {
      for (let k = 0; k < i; k++) r();
    });
    const states = streams.map((r) => r.state!());
    const back = unpackStates(packStates(states)!, 20);
    expect(back).toEqual(states);
    back.forEach((st, i) => expect(fromState(st)()).toBe(streams[i]()));
    // few states, or any other kind, cross as they are
    expect(packStates(states.slice(0, 15))).toBeUndefined();
    const withFast = [...states, fastStream(stream("f")).state!()];
    expect(packStates(withFast)).toBeUndefined();
    const odd = [...states, { kind: "alea", s: { c: 1, s0: 0, s1: 0, s2: "0" } } as RngState];
    expect(packStates(odd)).toBeUndefined();
    // malformed: not groups of four, another count than expected
    expect(() => unpackStates(new Float64Array(7))).toThrow(/groups of four/);
    expect(() => unpackStates(packStates(states)!, 21)).toThrow(/20 packed stream states for 21/);
  });
});
