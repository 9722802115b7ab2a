/**
 * One time limit for a whole search, whatever it runs on the way (a listing, several rg runs, file
 * reads, a worker): its signal aborts when the user stops or the time is up, and says which. Node only.
 */

/** Why a search ended before it was done. */
export type DeadlineStop = 'aborted' | 'timedOut';

export interface Deadline {
  /** Aborts when the caller's signal does or the time is up. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Why the signal aborted; undefined while it has not. */
  readonly stop: DeadlineStop | undefined;
  /** Clears the timer and the listener; call it when the search is over. */
  dispose(): void;
}

export function deadlineFor(callerSignal: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  let stop: DeadlineStop | undefined;
  const end = (why: DeadlineStop) => {
    stop ??= why;
    controller.abort();
  };
  const onAbort = () => end('aborted');
  const timer = setTimeout(() => end('timedOut'), timeoutMs);
  if (callerSignal.aborted) end('aborted');
  else callerSignal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timeoutMs,
    get stop() {
      return stop;
    },
    dispose() {
      clearTimeout(timer);
      callerSignal.removeEventListener('abort', onAbort);
    },
  };
}

/** Runs `work` under one deadline, cleared once it is done. */
export async function withDeadline<T>(callerSignal: AbortSignal, timeoutMs: number, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = deadlineFor(callerSignal, timeoutMs);
  try {
    return await work(deadline);
  } finally {
    deadline.dispose();
  }
}

/**
 * `work`'s result, or undefined as soon as the deadline passes first: for calls that may not heed a
 * cancellation (a remote file system's read or listing), which are then left to finish unheeded.
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T | undefined> {
  const { signal } = deadline;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
