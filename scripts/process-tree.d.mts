// Types for scripts/process-tree.mjs.

/** The direct children of `pid`. */
export function childrenOf(pid: number): number[];
/** All descendants of `pid` (Linux /proc), deepest last. */
export function descendants(pid: number): number[];
/** Whether `pid` still runs (a zombie does not). */
export function isRunning(pid: number): boolean;
/** SIGTERM the group of `pid` and all its descendants; SIGKILL what is left after `graceMs`. */
export function killTree(pid: number, opts?: { graceMs?: number }): Promise<void>;
