/**
 * One ripgrep run, read as it streams: each record goes to the caller as it arrives, and the process
 * is killed as soon as the caller has enough, the user stops, or the time is up. Node only, no `vscode`.
 */
import { spawn } from 'node:child_process';
import type { Deadline, DeadlineStop } from './deadline';
import { describeRipgrepError, RecordSplitter } from './ripgrep';
import { ToolError } from './types';

export interface RipgrepRun {
  rgPath: string;
  /** The folder searched; paths come out relative to it. */
  cwd: string;
  args: readonly string[];
  /** `--files --null` prints NUL-separated paths, `--json` one event a line. */
  separator: '\n' | '\0';
  /** The search's one deadline: the run is killed when it passes, and ends as what stopped it. */
  deadline: Deadline;
  /** Called for each record; returning false means the caller has enough. */
  onRecord(record: string): boolean;
}

/** How a run ended early; undefined when rg finished on its own. */
export type RipgrepStop = 'enough' | DeadlineStop | undefined;

/** Runs rg to its end or until stopped; throws a `ToolError` when rg refuses the search (a bad pattern). */
export function runRipgrep(run: RipgrepRun): Promise<RipgrepStop> {
  const { signal } = run.deadline;
  if (signal.aborted) return Promise.resolve(run.deadline.stop);
  return new Promise((resolve, reject) => {
    const child = spawn(run.rgPath, [...run.args], { cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const splitter = new RecordSplitter(run.separator);
    let stop: RipgrepStop;
    let records = 0;
    let stderr = '';
    const kill = (why: Exclude<RipgrepStop, undefined>) => {
      stop ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = () => kill(run.deadline.stop ?? 'aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    const deliver = (list: string[]) => {
      for (const record of list) {
        if (stop) return;
        records++;
        if (!run.onRecord(record)) kill('enough');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => deliver(splitter.push(chunk)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // The first lines say why; the rest is not needed.
      if (stderr.length < 4_000) stderr += chunk;
    });
    child.on('error', (error) => {
      finish();
      reject(new ToolError(`Could not start ripgrep (${run.rgPath}): ${error.message}`));
    });
    child.on('close', (code) => {
      finish();
      if (!stop) deliver(splitter.end());
      // Exit 1 is "no match"; 2 with results is a file it could not read, which does not spoil the rest.
      if (!stop && code === 2 && records === 0) reject(new ToolError(describeRipgrepError(stderr)));
      else resolve(stop);
    });
    function finish() {
      signal.removeEventListener('abort', onAbort);
    }
  });
}
