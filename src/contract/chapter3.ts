/** Chapter 3's contract (placeholder until the chapter lands). */
export interface Chapter3 {}

export const CHAPTER3_FUNCTIONS = [] as const satisfies readonly (keyof Chapter3)[];
