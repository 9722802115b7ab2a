/**
 * How long a command is waited for, the same whichever way it runs: until it exits, until its
 * timeout (it goes on running, and the model gets what it printed so far), a short while for a
 * command in the background, or until Stop, which ends its process tree.
 */
import { OutputCapture } from './outputCapture';

/** How long a `background: true` command is watched for its first output before the result returns. */
export const BACKGROUND_WAIT_MS = 3_000;

export interface CommandExit {
  /** Undefined when the shell did not say (shell integration may not), null when a signal ended it. */
  exitCode: number | null | undefined;
  signal?: string;
}

export type CommandState = 'exited' | 'timedOut' | 'background' | 'stopped';

export interface CommandReport {
  state: CommandState;
  exit?: CommandExit;
  durationMs: number;
  /** What it printed, plain and cut to size (see `OutputCapture`). */
  output: string;
  /** Characters it printed in all, before cutting. */
  printed: number;
}

export interface RunningCommand {
  capture: OutputCapture;
  /** Settles when the command has exited and its output has been read. */
  exited: Promise<CommandExit>;
  /** Ends its process tree (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

export async function awaitCommand(
  running: RunningCommand,
  options: { timeoutMs: number; background: boolean; signal: AbortSignal; backgroundWaitMs?: number; started?: number },
): Promise<CommandReport> {
  const started = options.started ?? performance.now();
  const waitMs = options.background ? Math.min(options.timeoutMs, options.backgroundWaitMs ?? BACKGROUND_WAIT_MS) : options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const outcome = await Promise.race([
    running.exited.then((exit) => ({ state: 'exited' as const, exit })),
    new Promise<{ state: 'timedOut' | 'background' }>((resolve) => {
      timer = setTimeout(() => resolve({ state: options.background ? 'background' : 'timedOut' }), waitMs);
    }),
    new Promise<{ state: 'stopped' }>((resolve) => {
      onAbort = () => resolve({ state: 'stopped' });
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (outcome.state === 'stopped') {
    await running.stop();
  } else if (outcome.state !== 'exited') {
    // Still running: a later Stop of the turn still ends it, until it exits by itself.
    options.signal.removeEventListener('abort', onAbort);
    const stopLater = () => void running.stop();
    options.signal.addEventListener('abort', stopLater, { once: true });
    void running.exited.finally(() => options.signal.removeEventListener('abort', stopLater));
  } else {
    options.signal.removeEventListener('abort', onAbort);
  }
  return {
    ...outcome,
    durationMs: Math.round(performance.now() - started),
    output: running.capture.text(),
    printed: running.capture.received,
  };
}
