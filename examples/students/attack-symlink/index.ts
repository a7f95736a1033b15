// Attack: leak.ts is a symlink to a file outside the folder (here a classmate's; on Gradescope ../source/run_autograder). Must be not gradable.
export * from "./leak.ts";
