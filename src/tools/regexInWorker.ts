/**
 * Runs a JavaScript regex over file texts in a worker thread, and terminates the worker when the
 * search's deadline passes (Stop, or the time is up): the fallback search of virtual workspaces, where
 * ripgrep cannot reach the files. Node only.
 */
import { Worker } from 'node:worker_threads';
import type { Deadline } from './deadline';
import type { LineMatch } from './textSearch';
import { ToolError } from './types';

export interface RegexJob {
  query: string;
  isRegex?: boolean;
  caseSensitive?: boolean;
  texts: string[];
  /** Most matching lines, over all texts. */
  limit: number;
}

export type RegexJobResult = { ok: true; files: LineMatch[][] } | { ok: false; error: string };

const CANCELLED = 'Cancelled: the user stopped the search.';

/** The matching lines of each text; throws a `ToolError` on a bad pattern, at the deadline, and when the worker dies. */
export function matchInWorker(workerPath: string, job: RegexJob, deadline: Deadline): Promise<LineMatch[][]> {
  const { signal } = deadline;
  if (signal.aborted) return Promise.reject(new ToolError(deadline.stop === 'timedOut' ? tooLong(deadline) : CANCELLED));
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath);
    let settled = false;
    const end = (settle: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const fail = (message: string) => end(() => reject(new ToolError(message)));
    const onAbort = () => fail(deadline.stop === 'timedOut' ? tooLong(deadline) : CANCELLED);
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (result: RegexJobResult) => end(() => (result.ok ? resolve(result.files) : reject(new ToolError(result.error)))));
    worker.once('error', (error) => fail(`The search failed: ${error.message}`));
    // A worker that ends without answering (killed, out of memory, exited) would otherwise settle only at the deadline.
    worker.once('exit', (code) => fail(`The search failed: its worker thread stopped (exit code ${code}) before it answered.`));
    worker.postMessage(job);
  });
}

function tooLong(deadline: Deadline): string {
  return `The search took longer than ${deadline.timeoutMs / 1000} s and was stopped; simplify the regular expression (nested repetition such as (a+)+ can take exponential time) or narrow the search with include.`;
}
