import { abortedError } from './errors';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A number in [0, 1); injectable so tests are repeatable. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 8_000, random: Math.random };

/** The longest wait a server may ask for before the client gives up rather than sit silent. */
export const MAX_SERVER_REQUESTED_WAIT_MS = 60_000;

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with up to 25% jitter taken off so
 * that many clients throttled at once do not come back in step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponential = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
  return Math.round(exponential * (1 - options.random() * 0.25));
}

/**
 * How long the server asked us to wait: `retry-after-ms`, else `retry-after` as seconds or an HTTP
 * date. Undefined when it said nothing usable.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A wait that ends early, with an `aborted` error, when the signal fires; it leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
