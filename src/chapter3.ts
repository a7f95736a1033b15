/** Chapter 3's public API (filled in as the chapter lands). */
export {};
