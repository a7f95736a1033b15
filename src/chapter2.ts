/** Chapter 2's public API (filled in as the chapter lands). */
export {};
