/** Chapter 4's contract (placeholder until the chapter lands). */
export interface Chapter4 {}

export const CHAPTER4_FUNCTIONS = [] as const satisfies readonly (keyof Chapter4)[];
