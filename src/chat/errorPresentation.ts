import { ApiError } from '../api/errors';
import type { ErrorAction, ErrorPresentation } from '../shared/protocol';

/** The failure when there is no key to send: the user cancelled the prompt for one. */
export function missingApiKeyError(): ApiError {
  return new ApiError({
    code: 'missing_api_key',
    type: 'authentication_error',
    message: "Sonnet Chat needs an API key to send your message. It is kept in VS Code's secret storage.",
    retryable: false,
  });
}

/** The failure when the current turn alone does not fit the context window; it is not sent. */
export function contextOverflowError(message: string): ApiError {
  return new ApiError({ code: 'context_overflow', type: 'invalid_request_error', message, retryable: false });
}

function card(title: string, message: string, actions: ErrorAction[], setting?: string): ErrorPresentation {
  return setting === undefined ? { title, message, actions } : { title, message, actions, setting };
}

/**
 * How a failure reads in the chat, with the buttons that fix it, following the provider's error table.
 * The message is the provider's own where it sent one (the client has already removed any key from it).
 */
export function errorPresentation(error: unknown): ErrorPresentation {
  if (!(error instanceof ApiError)) {
    const detail = error instanceof Error && error.message ? error.message : String(error);
    return card('Something went wrong', detail, ['retry']);
  }
  const { status, code, type, message } = error;

  if (code === 'missing_api_key') return card('No API key', message, ['setApiKey']);
  // Not the provider's verdict: the key never left the machine.
  if (code === 'malformed_api_key') return card('API key malformed', message, ['setApiKey']);
  // Sending it again would fail the same way: the fix is a shorter message.
  if (code === 'context_overflow') return card('Message too long', message, []);
  if (status === 401 || code === 'invalid_api_key' || type === 'authentication_error') {
    return card('API key rejected', message, ['setApiKey']);
  }
  if (code === 'insufficient_credits' || status === 402) {
    return card('Not enough credits', message, ['topUp', 'retry']);
  }
  if (code === 'spend_limit_exceeded') {
    return card('Spend limit reached', `${message} The limit is set on the key, in the provider's dashboard.`, ['topUp', 'retry']);
  }
  if (status === 403 || code === 'ip_not_allowed') {
    return card('Not allowed from here', `${message} The key's IP allowlist does not include this machine.`, ['setApiKey']);
  }
  if (code === 'model_not_found' || (status === 404 && code !== 'task_not_found')) {
    return card('Model not found', message, ['openSettings'], 'sonnet.model');
  }
  if (status === 400 || status === 404 || status === 413 || code === 'invalid_request') {
    return card('Request rejected', message, ['openSettings', 'retry']);
  }
  if (status === 429 || code === 'rate_limit_exceeded') return card('Rate limited', message, ['retry']);
  if (status === 529 || code === 'overloaded_error') return card('Model overloaded', message, ['retry']);
  if (code === 'upstream_error') return card('Upstream provider failed', message, ['retry']);
  if (code === 'network_error') return card('Cannot reach the server', message, ['retry', 'openSettings'], 'sonnet.baseUrl');
  if (code === 'timeout') return card('Request timed out', message, ['retry', 'openSettings'], 'sonnet.requestTimeoutSeconds');
  if (code === 'stream_truncated') return card('Answer cut off', message, ['retry']);
  if (code === 'invalid_response') return card('Unexpected answer from the server', message, ['retry', 'openSettings'], 'sonnet.baseUrl');
  if (status !== undefined && status >= 500) return card('Server error', message, ['retry']);
  return card('Request failed', message, ['retry']);
}
