// A long-running script ends together with everything it started, however it is asked to stop:
// SIGINT (Ctrl+C), SIGTERM (a process manager, `timeout`, an editor task; npm passes it on to its
// script), SIGHUP (the terminal closed), or its parent going away without a word (npm dies of a SIGHUP
// sent to it alone and does not pass that one on, so only the changed parent pid tells).

import { childrenOf, killTree } from './process-tree.mjs';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How often the parent is looked at: the longest a vanished parent goes unnoticed. */
const PARENT_POLL_MS = 250;

/**
 * From now on, a stop signal or the loss of the parent runs `cleanup` (once), ends every process this
 * one started that is still running (a build, an install, a server `cleanup` did not know of yet),
 * and exits.
 * @param {(reason: string) => Promise<void> | void} cleanup
 */
export function endTogether(cleanup) {
  let ending;
  const end = (reason) => {
    ending ??= (async () => {
      try {
        await cleanup(reason);
      } catch (err) {
        console.error(`while stopping: ${err instanceof Error ? err.message : err}`);
      }
      await Promise.all(childrenOf(process.pid).map((pid) => killTree(pid)));
      process.exit(0);
    })();
  };
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      // A second Ctrl+C while the first is being handled: the person wants out now.
      if (ending && signal === 'SIGINT') process.exit(130);
      end(signal);
    });
  }
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) end('parent exited');
  }, PARENT_POLL_MS).unref();
}
