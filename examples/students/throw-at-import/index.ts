// Hostile: the module throws while it is being loaded.
export * from "./correct.ts";

throw new Error("the module refuses to load");
