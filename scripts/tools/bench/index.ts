/** Every chapter's benchmark entries, in chapter order. A chapter adds its file here. */
import { entries as ch1 } from "./ch1.ts";
import { entries as ch2 } from "./ch2.ts";
import { entries as ch3 } from "./ch3.ts";
import { entries as tools } from "./tools.ts";
import { entries as ch4 } from "./ch4.ts";
import type { BenchEntry } from "./types.ts";

export const entries: BenchEntry[] = [...ch1, ...ch2, ...ch3, ...ch4, ...tools];
