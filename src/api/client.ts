import { MessageAccumulator, replayWholeMessage, type InvalidToolInput, type StreamHandlers } from './accumulator';
import {
  abortedError,
  ApiError,
  errorFromNetwork,
  errorFromResponse,
  errorFromStreamEvent,
  redactSecrets,
  timeoutError,
} from './errors';
import { costOfMessage, type Cost } from './pricing';
import { describeError, elapsedMs, SILENT_LOG, tracing, type Logger } from './log';
import { backoffDelay, DEFAULT_BACKOFF, MAX_SERVER_REQUESTED_WAIT_MS, parseRetryAfter, sleep, type BackoffOptions } from './retry';
import { sniffBodyFormat } from './bodyFormat';
import { SseDecoder } from './sse';
import type { Message, MessageRequest } from './types';
import { readCreditsBalance, type CreditsBalance } from './credits';

export { ApiError } from './errors';
export type { StreamHandlers } from './accumulator';

export interface ClientOptions {
  /** e.g. `https://api.aivideoapi.ai/v1`; `/messages` and `/credits` are appended. */
  baseUrl: string;
  apiKey: string;
  /** Longest wait for the response to start, and longest silence between two stream events. */
  timeoutMs: number;
  /** Retries of what is safe to retry; the settings hold the default (`src/chat/settings.ts`). */
  maxRetries: number;
  backoff?: BackoffOptions;
  /** Where requests, retries and failures are logged; nothing by default. */
  log?: Logger;
  /** Defaults to the global `fetch`, which inside VS Code follows the user's proxy settings. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** SSE streaming (the default) or one JSON response. */
  stream?: boolean;
  handlers?: StreamHandlers & {
    /** A failed attempt will be retried after `delayMs`. */
    onRetry?(attempt: number, delayMs: number, error: ApiError): void;
  };
}

export interface MessageResult {
  message: Message;
  cost: Cost;
  /** Tool calls whose input was not valid JSON (each has `input: {}`, or what was complete of a cut-off input). */
  invalidToolInputs: InvalidToolInput[];
}

type TimeoutStage = 'connect' | 'first_byte' | 'idle';

/**
 * A client for the provider's Messages API. One call is one user-visible answer: it retries what is
 * safe to retry before anything has been shown, and fails with an `ApiError` otherwise. It holds no
 * state between calls, so one instance may serve any number of concurrent requests.
 */
export class MessagesClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffOptions;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxRetries = options.maxRetries;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async createMessage(request: MessageRequest, options: RequestOptions = {}): Promise<MessageResult> {
    const stream = options.stream ?? true;
    // `stream` is always explicit: this provider streams when it is left out.
    const body = JSON.stringify({ ...request, stream });
    const what = `${request.model}, ${request.messages.length} message${request.messages.length === 1 ? '' : 's'}, ${body.length} bytes${request.tools?.length ? `, ${request.tools.length} tools` : ''}`;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      this.log.info(`POST /messages (${what})${attempt > 0 ? `, attempt ${attempt + 1}` : ''}`);
      if (tracing(this.log)) this.log.trace(`Request body: ${body}`);
      try {
        const result = await this.attempt(body, options, started);
        const { usage, stop_reason: stopReason } = result.message;
        this.log.info(
          `Answer complete in ${elapsedMs(started)} ms: ${stopReason ?? 'no stop reason'}, ${usage.input_tokens} in / ${usage.output_tokens} out tokens, ${Number(result.cost.credits.toFixed(4))} credits (${result.cost.source})`,
        );
        return result;
      } catch (error) {
        const failure = this.asApiError(error, options.signal);
        const wait = this.retryWait(failure, attempt);
        this.logFailure(failure, started);
        if (wait === undefined) throw failure;
        this.log.warn(`Retry ${attempt + 1} of ${this.maxRetries} in ${wait} ms`);
        options.handlers?.onRetry?.(attempt + 1, wait, failure);
        await sleep(wait, options.signal);
      }
    }
  }

  private get log(): Logger {
    return this.options.log ?? SILENT_LOG;
  }

  private logFailure(failure: ApiError, started: number): void {
    const line = `Request ${failure.code === 'aborted' ? 'stopped' : 'failed'} after ${elapsedMs(started)} ms: ${failure.status ?? '-'} ${failure.code} (${failure.type}): ${failure.message}`;
    if (failure.code === 'aborted') this.log.info(line);
    // The stack says where in the exchange it failed; the message has no key (see asApiError).
    else this.log.error(`${line}\n${describeError(failure)}`);
  }

  async getCredits(signal?: AbortSignal): Promise<CreditsBalance> {
    const exchange = new Exchange(signal, this.timeoutMs);
    try {
      const response = await this.send('GET', '/credits', undefined, exchange);
      const text = await readAll(response, exchange);
      if (!response.ok) throw errorFromResponse(response.status, text, undefined);
      return readCreditsBalance(text);
    } catch (error) {
      throw this.asApiError(error, signal);
    } finally {
      exchange.dispose();
    }
  }

  /** Undefined when the failure is final; otherwise the wait before the next attempt. */
  private retryWait(error: ApiError, attempt: number): number | undefined {
    if (!error.retryable || attempt >= this.maxRetries) return undefined;
    if (error.retryAfterMs !== undefined) {
      // A server that asks for a long pause gets an answer now, not a spinner for minutes.
      return error.retryAfterMs <= MAX_SERVER_REQUESTED_WAIT_MS ? error.retryAfterMs : undefined;
    }
    return backoffDelay(attempt, this.backoff);
  }

  private async attempt(body: string, options: RequestOptions, started: number): Promise<MessageResult> {
    const exchange = new Exchange(options.signal, this.timeoutMs);
    const accumulator = new MessageAccumulator(options.handlers);
    try {
      const response = await this.send('POST', '/messages', body, exchange);
      const requestId = response.headers.get('request-id') ?? response.headers.get('x-request-id');
      this.log.info(`Response ${response.status}, first byte after ${elapsedMs(started)} ms (${response.headers.get('content-type') ?? 'no content-type'})${requestId ? `, request id ${requestId}` : ''}`);
      if (!response.ok) {
        const text = await readAll(response, exchange);
        throw errorFromResponse(response.status, text, parseRetryAfter(response.headers));
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.includes('json')) {
        // A JSON answer is read as one, even to a streaming request: some proxies buffer.
        this.readJson(await readAll(response, exchange), accumulator);
      } else {
        // A body of another type, or of none, is read as what its first bytes show it to be.
        await this.readBody(response, exchange, accumulator, contentType.includes('text/event-stream'));
      }
      const message = accumulator.message!;
      return { message, cost: costOfMessage(message), invalidToolInputs: accumulator.invalidToolInputs };
    } catch (error) {
      const failure = this.asApiError(error, options.signal);
      accumulator.closeOpenBlocks();
      // Once text is on the screen, a retry would show it twice: the failure is final, with what came.
      throw failure.withPartial(accumulator.message, failure.retryable && !accumulator.contentStarted);
    } finally {
      exchange.dispose();
    }
  }

  private async send(method: string, path: string, body: string | undefined, exchange: Exchange): Promise<Response> {
    // `fetch` refuses such a key with an error that reads like a network failure, and it is retried.
    if (UNSENDABLE_IN_HEADER.test(this.options.apiKey)) throw malformedKeyError();
    exchange.arm('connect');
    try {
      return await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': 'application/json',
          accept: method === 'POST' ? 'text/event-stream, application/json' : 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body,
        signal: exchange.signal,
      });
    } catch (error) {
      throw exchange.failure() ?? errorFromNetwork(error, hostOf(this.baseUrl));
    }
  }

  /**
   * Reads an SSE stream as it arrives. Unless the server declared it one (`isSse`), the first bytes
   * decide: a body that begins like SSE is read as a stream, anything else is read whole as JSON.
   */
  private async readBody(response: Response, exchange: Exchange, accumulator: MessageAccumulator, isSse: boolean): Promise<void> {
    let done = false;
    const decoder = new SseDecoder((item) => {
      if (done) return;
      if (item === 'done') done = true;
      else accumulator.apply(item);
    });
    let format: 'sse' | 'json' | undefined = isSse ? 'sse' : undefined;
    /** Bytes read before the format was known, then all of a JSON body. */
    const held: Uint8Array[] = [];
    const reader = response.body?.getReader();
    exchange.arm('first_byte');
    try {
      for (;;) {
        const chunk = reader ? await reader.read().catch((error) => this.readFailure(error, exchange, accumulator)) : { done: true as const };
        if (chunk.done) break;
        exchange.touch('idle');
        if (format === 'sse') {
          decoder.push(chunk.value);
        } else {
          held.push(chunk.value);
          format ??= sniffBodyFormat(held);
          if (format !== 'sse') continue;
          for (const bytes of held.splice(0)) decoder.push(bytes);
        }
        // `message_stop` ends the exchange even when the server keeps the connection open afterwards.
        if (done || accumulator.ended) break;
      }
      if (format === 'sse') decoder.end();
    } finally {
      // Leaves no socket behind whether the stream ended, failed or was stopped.
      reader?.cancel().catch(() => undefined);
    }
    if (format !== 'sse') return this.readJson(Buffer.concat(held).toString('utf8'), accumulator);
    if (!accumulator.message) throw truncated('The server closed the stream before the answer began.');
    if (!accumulator.complete) throw truncated('The answer was cut off: the connection closed before it finished.');
  }

  /** A read of the body failed: the end of a complete answer, or the error to report. */
  private readFailure(error: unknown, exchange: Exchange, accumulator: MessageAccumulator): { done: true } {
    const failure = exchange.failure();
    if (failure) throw failure;
    // The stop reason had arrived: only `message_stop`, which adds nothing, was lost with the connection.
    if (accumulator.complete) return { done: true };
    // Once the answer has begun, the reader's question is not "can I reach the server" but
    // "what happened to my answer".
    if (accumulator.message) throw truncated('The answer was cut off: the connection dropped before it finished.');
    throw errorFromNetwork(error, hostOf(this.baseUrl));
  }

  private readJson(text: string, accumulator: MessageAccumulator): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError({ code: 'invalid_response', type: 'invalid_response', message: 'The server answered with something that is not JSON.', retryable: false });
    }
    const fields = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    if (fields?.type === 'error' || (fields?.error && !fields.content)) throw errorFromStreamEvent(parsed);
    if (!fields || !Array.isArray(fields.content)) {
      throw new ApiError({ code: 'invalid_response', type: 'invalid_response', message: 'The server answered without a message.', retryable: false });
    }
    replayWholeMessage(fields, accumulator);
  }

  /** Whatever was thrown, the caller gets an `ApiError` with no secret in its text. */
  private asApiError(error: unknown, signal: AbortSignal | undefined): ApiError {
    if (signal?.aborted) return error instanceof ApiError && error.code === 'aborted' ? error : abortedError();
    const apiError = error instanceof ApiError ? error : errorFromNetwork(error, hostOf(this.baseUrl));
    const safe = redactSecrets(apiError.message, this.options.apiKey);
    if (safe === apiError.message) return apiError;
    return new ApiError({ ...apiError, message: safe, partial: apiError.partial });
  }
}

/** What an HTTP header cannot carry: line breaks, NUL, and characters beyond Latin-1. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSENDABLE_IN_HEADER = /[\r\n\0]|[^\x00-\xff]/;

function malformedKeyError(): ApiError {
  return new ApiError({
    code: 'malformed_api_key',
    type: 'authentication_error',
    message:
      'The API key is malformed: it contains a line break or another character that cannot be sent. ' +
      'Set the key again (or fix the SONNET_API_KEY environment variable), as one line.',
    retryable: false,
  });
}

function truncated(message: string): ApiError {
  return new ApiError({ code: 'stream_truncated', type: 'stream_truncated', message, retryable: true });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function readAll(response: Response, exchange: Exchange): Promise<string> {
  exchange.arm('first_byte');
  try {
    return await response.text();
  } catch (error) {
    throw exchange.failure() ?? errorFromNetwork(error, 'the server');
  }
}

/**
 * The life of one HTTP exchange: a signal that fires on the caller's abort or on a timeout, and the
 * timer for the current stage. `dispose` removes both, so nothing outlives the exchange.
 */
class Exchange {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stage: TimeoutStage = 'connect';
  private lastActivity = 0;
  private timedOut: ApiError | undefined;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(private readonly callerSignal: AbortSignal | undefined, private readonly timeoutMs: number) {
    if (callerSignal?.aborted) this.controller.abort();
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the clock for the given stage. */
  arm(stage: TimeoutStage): void {
    this.stage = stage;
    this.lastActivity = Date.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(this.check, this.timeoutMs);
  }

  /**
   * Something arrived. Called once per chunk, so it only notes the time: the one running timer
   * re-arms itself for the remainder when it finds the exchange was active meanwhile.
   */
  touch(stage: TimeoutStage): void {
    this.stage = stage;
    this.lastActivity = Date.now();
  }

  private readonly check = (): void => {
    const silentFor = Date.now() - this.lastActivity;
    if (silentFor < this.timeoutMs) {
      this.timer = setTimeout(this.check, this.timeoutMs - silentFor);
      return;
    }
    this.timedOut = timeoutError(this.stage, Math.round(this.timeoutMs / 100) / 10);
    this.controller.abort();
  };

  /** Why the exchange was cut short by us, if it was. */
  failure(): ApiError | undefined {
    if (this.callerSignal?.aborted) return abortedError();
    return this.timedOut;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }
}
