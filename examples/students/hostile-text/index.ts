// Hostile: error messages and printed output full of markup, XML-breaking characters and terminal
// escape sequences (they must come out escaped in HTML/JUnit and stripped in the terminal).
export * from "./correct.ts";

const nasty = '</failure><script>alert("x")</script>]]><![CDATA[ & \u001b[2J\u001b[31mRED\u001b]0;pwned\u0007 \u0000\u0008 "quoted" \'single\'';

export function gibbsScore(_theta: Float64Array, _a: number): Float64Array {
  console.log(nasty.repeat(50));
  throw new Error(nasty + "x".repeat(10_000));
}
