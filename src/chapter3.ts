/** Chapter 3's public API: total return over a finite horizon (notes §3.1, equations (28)–(30)). */
export * from "./episodic/index.ts";
