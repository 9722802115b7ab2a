/**
 * Runs a JavaScript regex over file texts in a worker thread, under a time limit, and terminates the
 * worker on timeout or Stop: the fallback search of virtual workspaces, where ripgrep cannot reach
 * the files. Node only.
 */
import { Worker } from 'node:worker_threads';
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

/** The matching lines of each text; throws a `ToolError` on a bad pattern, on timeout and on Stop. */
export function matchInWorker(workerPath: string, job: RegexJob, options: { signal: AbortSignal; timeoutMs: number }): Promise<LineMatch[][]> {
  if (options.signal.aborted) return Promise.reject(new ToolError('Cancelled: the user stopped the search.'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath);
    const end = (settle: () => void) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const onAbort = () => end(() => reject(new ToolError('Cancelled: the user stopped the search.')));
    const timer = setTimeout(
      () => end(() => reject(new ToolError(`The regular expression took longer than ${options.timeoutMs / 1000} s and was stopped; simplify it (nested repetition such as (a+)+ can take exponential time).`))),
      options.timeoutMs,
    );
    options.signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (result: RegexJobResult) => end(() => (result.ok ? resolve(result.files) : reject(new ToolError(result.error)))));
    worker.once('error', (error) => end(() => reject(new ToolError(`The search failed: ${error.message}`))));
    worker.postMessage(job);
  });
}
