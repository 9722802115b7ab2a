/**
 * The worker thread that runs a model-written regex over file texts for the virtual-workspace search
 * (`regexInWorker.ts`): a pattern that backtracks for ever blocks this thread, never the host's, and
 * the host terminates it. Node only; bundled as `dist/regexWorker.js`.
 */
import { parentPort } from 'node:worker_threads';
import { buildMatcher, matchingLines } from './textSearch';
import type { RegexJob, RegexJobResult } from './regexInWorker';

parentPort?.on('message', (job: RegexJob) => {
  const matcher = buildMatcher(job.query, job);
  let result: RegexJobResult;
  if (!matcher.ok) {
    result = { ok: false, error: matcher.error };
  } else {
    let left = job.limit;
    const files = job.texts.map((text) => {
      const matches = left > 0 ? matchingLines(text, matcher.regex, left) : [];
      left -= matches.length;
      return matches;
    });
    result = { ok: true, files };
  }
  parentPort!.postMessage(result);
});
