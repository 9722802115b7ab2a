import type { Message } from './types';

/** Failures that happen on this side of the wire, next to the provider's own codes. */
export type LocalErrorCode =
  | 'network_error'
  | 'timeout'
  | 'aborted'
  | 'stream_truncated'
  | 'invalid_response'
  | 'missing_api_key';

export interface ApiErrorInit {
  status?: number;
  code: string;
  type: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  partial?: Message;
  cause?: unknown;
}

/**
 * Every failure of the client, whatever its origin: an HTTP error in either of the two body shapes, a
 * mid-stream `error` event, a network or timeout failure, or a stream that ended too soon. `retryable`
 * says whether the client itself may try again; `partial` keeps what had streamed before the failure.
 */
export class ApiError extends Error {
  readonly status?: number;
  readonly code: string;
  readonly type: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  partial?: Message;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.partial = init.partial;
  }

  /** A copy that can no longer be retried, because part of the answer has been shown. */
  withPartial(partial: Message | undefined, retryable = this.retryable): ApiError {
    return new ApiError({ ...this, message: this.message, retryable, partial });
  }
}

const STATUS_DEFAULTS: Record<number, { code: string; type: string; message: string }> = {
  400: { code: 'invalid_request', type: 'invalid_request_error', message: 'The request was invalid.' },
  401: { code: 'invalid_api_key', type: 'authentication_error', message: 'The API key was rejected.' },
  402: { code: 'insufficient_credits', type: 'billing_error', message: 'Your credit balance is too low.' },
  403: { code: 'ip_not_allowed', type: 'permission_error', message: 'This key may not be used from here.' },
  404: { code: 'not_found', type: 'invalid_request_error', message: 'The endpoint or model was not found.' },
  408: { code: 'request_timeout', type: 'api_error', message: 'The server timed out.' },
  413: { code: 'request_too_large', type: 'invalid_request_error', message: 'The request is too large.' },
  429: { code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'Too many requests.' },
  500: { code: 'internal_error', type: 'api_error', message: 'The server had an internal error.' },
  502: { code: 'bad_gateway', type: 'api_error', message: 'A gateway in front of the server failed.' },
  503: { code: 'upstream_error', type: 'upstream_error', message: 'The upstream provider is unavailable.' },
  504: { code: 'gateway_timeout', type: 'api_error', message: 'A gateway in front of the server timed out.' },
  529: { code: 'overloaded_error', type: 'overloaded_error', message: 'The model is overloaded.' },
};

/** A spend limit stays reached until someone raises it; the provider may name it by its code or its type. */
function isSpendLimit(code: string, type: string): boolean {
  return code === 'spend_limit_exceeded' || type === 'billing_error';
}

/** Which HTTP failures the client retries by itself; every other status is final. */
function isRetryableStatus(status: number, code: string, type: string): boolean {
  if (status === 429) return !isSpendLimit(code, type);
  return status === 408 || status === 500 || status === 502 || status === 503 || status === 504 || status === 529;
}

/** Error types that may arrive as an `error` event inside a stream, and whether they pass. */
const TRANSIENT_TYPES = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'upstream_error', 'internal_error']);

interface ErrorFields {
  code?: string;
  type?: string;
  message?: string;
}

/** Reads both shapes: the provider's `{error:{code,message,type}}` and Anthropic's `{type:'error',error:{type,message}}`. */
export function readErrorFields(body: unknown): ErrorFields | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const inner = (body as { error?: unknown }).error;
  if (inner && typeof inner === 'object') {
    const { code, type, message } = inner as Record<string, unknown>;
    return {
      code: typeof code === 'string' ? code : undefined,
      type: typeof type === 'string' ? type : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  }
  if (typeof inner === 'string') return { message: inner };
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? { message } : undefined;
}

/** An HTTP error response, from its status, headers and raw body text (JSON or not). */
export function errorFromResponse(status: number, bodyText: string, retryAfterMs: number | undefined): ApiError {
  let fields: ErrorFields | undefined;
  try {
    fields = readErrorFields(JSON.parse(bodyText));
  } catch {
    fields = undefined;
  }
  const fallback = STATUS_DEFAULTS[status] ?? {
    code: status >= 500 ? 'server_error' : 'http_error',
    type: 'api_error',
    message: `The server answered HTTP ${status}.`,
  };
  const type = fields?.type ?? fallback.type;
  const code = fields?.code ?? (fields?.type && fields.type !== 'error' ? fields.type : fallback.code);
  const message = fields?.message ?? describeNonJsonBody(status, bodyText, fallback.message);
  return new ApiError({ status, code, type, message, retryable: isRetryableStatus(status, code, type), retryAfterMs });
}

/** A proxy's HTML page is no message for a person: say what came back, briefly. */
function describeNonJsonBody(status: number, bodyText: string, fallback: string): string {
  const title = /<title>([^<]{1,120})<\/title>/i.exec(bodyText)?.[1]?.trim();
  return title ? `${fallback} (HTTP ${status}: ${title})` : `${fallback} (HTTP ${status})`;
}

/** An `event: error` inside a stream. */
export function errorFromStreamEvent(data: unknown): ApiError {
  const fields = readErrorFields(data) ?? {};
  const type = fields.type ?? 'api_error';
  const code = fields.code ?? type;
  return new ApiError({
    status: type === 'overloaded_error' ? 529 : undefined,
    code,
    type,
    message: fields.message ?? 'The server reported an error in the middle of the answer.',
    retryable: !isSpendLimit(code, type) && (TRANSIENT_TYPES.has(type) || TRANSIENT_TYPES.has(code)),
  });
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved (DNS is not answering)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/** `fetch` rejects with a bare "fetch failed"; the reason a person can act on is in its `cause`. */
export function errorFromNetwork(error: unknown, host: string): ApiError {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = (cause as { code?: unknown })?.code;
  const codeText = typeof code === 'string' ? code : undefined;
  let reason = codeText ? NETWORK_CAUSES[codeText] : undefined;
  if (!reason && codeText && /CERT|SSL|TLS|SELF_SIGNED/i.test(codeText)) {
    reason = `the TLS certificate was not accepted (${codeText})`;
  }
  reason ??= (cause as Error)?.message || 'the network request failed';
  return new ApiError({
    code: 'network_error',
    type: 'network_error',
    message: `Could not reach ${host}: ${reason}.`,
    retryable: true,
    cause: codeText,
  });
}

export function timeoutError(stage: 'connect' | 'first_byte' | 'idle', seconds: number): ApiError {
  const what = {
    connect: `The server did not answer within ${seconds} s.`,
    first_byte: `The server did not start answering within ${seconds} s.`,
    idle: `The answer stalled: nothing arrived for ${seconds} s.`,
  }[stage];
  return new ApiError({ code: 'timeout', type: 'timeout_error', message: what, retryable: true });
}

export function abortedError(): ApiError {
  return new ApiError({ code: 'aborted', type: 'aborted', message: 'The request was stopped.', retryable: false });
}

/** Removes anything that looks like an API key from text that may be shown or logged. */
export function redactSecrets(text: string, secret?: string): string {
  let out = secret && secret.length >= 4 ? text.split(secret).join('sk-…') : text;
  out = out.replace(/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-…');
  return out;
}
