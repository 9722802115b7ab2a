// Types for scripts/shutdown.mjs.

export const STOP_SIGNALS: readonly NodeJS.Signals[];
/** On SIGINT, SIGTERM, SIGHUP or the parent's exit: run `cleanup` once, end all children, exit. */
export function endTogether(cleanup: (reason: string) => Promise<void> | void): void;
