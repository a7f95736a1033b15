/** Chapter 2's contract (placeholder until the chapter lands). */
export interface Chapter2 {}

export const CHAPTER2_FUNCTIONS = [] as const satisfies readonly (keyof Chapter2)[];
