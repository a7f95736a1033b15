/** Chapter 4's figures (see index.ts): id → { tags, render, alt }. Rendered with plot.ts. */
import type { FigureDef } from "./index.ts";

export const figures: Record<string, FigureDef> = {};
