/** Chapter 1's contract (placeholder until the chapter lands). */
export interface Chapter1 {}

export const CHAPTER1_FUNCTIONS = [] as const satisfies readonly (keyof Chapter1)[];
