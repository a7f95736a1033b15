/**
 * Function arguments across the sandbox: streams as states, self-contained functions as source,
 * every other function as a callback reference (answered by the judging process).
 */
import { describe, expect, it } from "vitest";
import { stream } from "../../src/contract/random.ts";
import { decodeArgs, encodeArgs, portableSource, type Callback } from "../../scripts/grader/sandbox/protocol.ts";

const K = 3;

describe("sandbox function arguments", () => {
  it("a self-contained function crosses as its source; a closure, a method or a builtin does not", () => {
    expect(portableSource((t: number) => 10 / (100 + t))).toBeDefined();
    expect(
      portableSource(function f(x: number) {
        const y = Math.exp(x);
        return y + 1;
      }),
    ).toBeDefined();
    expect(portableSource((t: number) => K * t)).toBeUndefined();
    expect(
      portableSource(
        // eslint-disable-next-line @typescript-eslint/unbound-method -- a method's source (`reward(x) {…}`) is the case under test
        {
          reward(x: number) {
            return x;
          },
        }.reward,
      ),
    ).toBeUndefined();
    expect(portableSource(Math.exp)).toBeUndefined();
    expect(portableSource((t: number = K) => t)).toBeUndefined();
    const src = portableSource((t: number) => 10 / (100 + t))!;
    const portable = (0, eval)(`(${src})`) as (t: number) => number;
    expect(portable(100)).toBe(0.05);
  });

  it("streams, callbacks and portable functions are encoded by reference and decoded by the child's stubs", () => {
    const rng = stream("x");
    const reward = (s: string) => (s === "ab" ? K : 0);
    const schedule = (t: number) => 1 / (1 + t);
    const streams = new Map<unknown, number>();
    const states: unknown[] = [];
    const callbacks: Callback[] = [];
    const enc = encodeArgs(
      [{ task: { reward, answer: reward }, beta: schedule }, rng],
      streams,
      states as never,
      callbacks,
    );
    expect(callbacks).toEqual([reward, schedule]);
    expect(states).toHaveLength(1);
    const wire = structuredClone(enc);
    const seen: [number, string | undefined][] = [];
    const dec = decodeArgs(wire, ["R"], (id, src) => (seen.push([id, src]), `stub${id}`)) as [
      { task: { reward: unknown; answer: unknown }; beta: unknown },
      unknown,
    ];
    expect(dec[1]).toBe("R");
    expect(dec[0].task.reward).toBe("stub0");
    expect(dec[0].task.answer).toBe("stub0");
    expect(dec[0].beta).toBe("stub1");
    expect(seen.find(([id]) => id === 0)![1]).toBeUndefined();
    expect(seen.find(([id]) => id === 1)![1]).toMatch(/=>/);
    // without a callback table, a plain function is still refused
    expect(() => encodeArgs([reward], new Map(), [])).toThrow(/cannot pass a function argument/);
  });
});
