// Types for scripts/shutdown.mjs.

/** On SIGINT, SIGTERM, SIGHUP or the parent's exit: run `cleanup` once, end all children, exit. */
export function endTogether(cleanup: (reason: string) => Promise<void> | void): void;
