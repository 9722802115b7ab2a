import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { MessagesClient } from '../../src/api/client';
import { errorFromNetwork } from '../../src/api/errors';
import { anthropicError, providerError, providerErrors, sseReply, type ProviderErrorCode } from '../fixtures/transcripts';
import { clientFor, REQUEST, rejectsWithApiError, TEST_KEY, useMockProvider } from './helpers';

describe('MessagesClient errors', () => {
  const mock = useMockProvider();

  const finalCodes: ProviderErrorCode[] = ['invalid_request', 'invalid_api_key', 'insufficient_credits', 'ip_not_allowed', 'model_not_found', 'task_not_found', 'spend_limit_exceeded'];
  for (const code of finalCodes) {
    it(`reads ${providerErrors[code].status} ${code} from the provider's error shape and does not retry it`, async () => {
      mock().enqueue(providerError(code), sseReply({ blocks: [{ type: 'text', text: 'must not be reached' }] }));
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.deepEqual(
        { status: error.status, code: error.code, type: error.type, message: error.message, retryable: error.retryable },
        { status: providerErrors[code].status, code, type: providerErrors[code].type, message: providerErrors[code].message, retryable: false },
      );
      assert.equal(mock().messageRequests.length, 1);
    });
  }

  const retriedCodes: ProviderErrorCode[] = ['rate_limit_exceeded', 'internal_error', 'upstream_error'];
  for (const code of retriedCodes) {
    it(`retries ${providerErrors[code].status} ${code} and succeeds when the server recovers`, async () => {
      mock().enqueue(providerError(code), sseReply({ blocks: [{ type: 'text', text: 'recovered' }] }));
      const retries: number[] = [];
      const { message } = await clientFor(mock()).createMessage(REQUEST, { handlers: { onRetry: (attempt) => retries.push(attempt) } });
      assert.deepEqual(message.content, [{ type: 'text', text: 'recovered' }]);
      assert.deepEqual(retries, [1]);
      assert.equal(mock().messageRequests.length, 2);
    });
  }

  it("reads Anthropic's error shape, 529 overloaded included, and retries it", async () => {
    mock().enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'), sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
    await clientFor(mock()).createMessage(REQUEST);
    mock().reset();
    mock().enqueue(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const error = await rejectsWithApiError(clientFor(mock(), { maxRetries: 0 }).createMessage(REQUEST));
    assert.deepEqual([error.status, error.code, error.type, error.message, error.retryable], [529, 'overloaded_error', 'overloaded_error', 'Overloaded', true]);
  });

  it('gives up after maxRetries and reports the last failure', async () => {
    mock().onMessages(() => providerError('internal_error'));
    const error = await rejectsWithApiError(clientFor(mock(), { maxRetries: 3 }).createMessage(REQUEST));
    assert.equal(error.code, 'internal_error');
    assert.equal(mock().messageRequests.length, 4);
  });

  it('makes sense of a non-JSON error page from a proxy', async () => {
    mock().enqueue({ kind: 'raw', status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' });
    const error = await rejectsWithApiError(clientFor(mock(), { maxRetries: 0 }).createMessage(REQUEST));
    assert.equal(error.status, 502);
    assert.equal(error.code, 'bad_gateway');
    assert.match(error.message, /502 Bad Gateway/);
    assert.doesNotMatch(error.message, /<html>/);
  });

  describe('retry-after', () => {
    it('waits as long as retry-after says, in seconds', async () => {
      mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': '0.3' }), sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
      const delays: number[] = [];
      const started = Date.now();
      await clientFor(mock()).createMessage(REQUEST, { handlers: { onRetry: (_a, delay) => delays.push(delay) } });
      assert.deepEqual(delays, [300]);
      assert.ok(Date.now() - started >= 290, 'the wait happened');
    });

    it('reads retry-after as an HTTP date', async () => {
      const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
      mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': inTwoSeconds }), sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
      const delays: number[] = [];
      await clientFor(mock()).createMessage(REQUEST, { handlers: { onRetry: (_a, delay) => delays.push(delay) } });
      assert.ok(delays[0] > 500 && delays[0] <= 2_000, `waited ${delays[0]} ms`);
    });

    it('prefers retry-after-ms', async () => {
      mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after-ms': '40', 'retry-after': '30' }), sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
      const delays: number[] = [];
      await clientFor(mock()).createMessage(REQUEST, { handlers: { onRetry: (_a, delay) => delays.push(delay) } });
      assert.deepEqual(delays, [40]);
    });

    it('does not sit through a wait longer than a minute, and says how long it was', async () => {
      mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': '3600' }));
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.code, 'rate_limit_exceeded');
      assert.equal(error.retryAfterMs, 3_600_000);
      assert.equal(mock().messageRequests.length, 1);
    });

    it('backs off exponentially with jitter when the server gives no hint', async () => {
      mock().onMessages(() => providerError('internal_error'));
      const delays: number[] = [];
      const client = new MessagesClient({ baseUrl: mock().url, apiKey: TEST_KEY, timeoutMs: 10_000, maxRetries: 3, backoff: { initialDelayMs: 10, maxDelayMs: 25, random: () => 0.5 } });
      await rejectsWithApiError(client.createMessage(REQUEST, { handlers: { onRetry: (_a, delay) => delays.push(delay) } }));
      assert.deepEqual(delays, [9, 18, 22], 'doubling, capped at 25, less 12.5% jitter');
    });
  });

  describe('network failures', () => {
    it('retries a connection dropped before any reply, then succeeds', async () => {
      mock().enqueue({ kind: 'destroy' }, sseReply({ blocks: [{ type: 'text', text: 'second time lucky' }] }));
      const { message } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(message.content, [{ type: 'text', text: 'second time lucky' }]);
      assert.equal(mock().messageRequests.length, 2);
    });

    it('explains a refused connection', async () => {
      const port = await closedPort();
      const client = new MessagesClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: TEST_KEY, timeoutMs: 10_000, maxRetries: 0 });
      const error = await rejectsWithApiError(client.createMessage(REQUEST));
      assert.equal(error.code, 'network_error');
      assert.equal(error.message, `Could not reach 127.0.0.1:${port}: the connection was refused.`);
    });

    it('explains a TLS failure', async () => {
      // Speaking TLS to a plain HTTP server fails the handshake: a real TLS error, no internet needed.
      const client = new MessagesClient({ baseUrl: mock().url.replace('http:', 'https:'), apiKey: TEST_KEY, timeoutMs: 10_000, maxRetries: 0 });
      const error = await rejectsWithApiError(client.createMessage(REQUEST));
      assert.equal(error.code, 'network_error');
      assert.match(error.message, /^Could not reach 127\.0\.0\.1:\d+: /);
    });

    it('names DNS and certificate failures in words', () => {
      const dns = errorFromNetwork(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), 'api.example');
      assert.equal(dns.message, 'Could not reach api.example: the host name could not be resolved.');
      const cert = errorFromNetwork(Object.assign(new TypeError('fetch failed'), { cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } }), 'api.example');
      assert.equal(cert.message, 'Could not reach api.example: the TLS certificate was not accepted (SELF_SIGNED_CERT_IN_CHAIN).');
    });
  });

  describe('the API key', () => {
    it('never appears in an error, even when the server echoes it back', async () => {
      mock().enqueue({ kind: 'json', status: 401, body: { error: { code: 'invalid_api_key', message: `Key ${TEST_KEY} is disabled`, type: 'authentication_error' } } });
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.code, 'invalid_api_key');
      const everything = [error.message, error.stack, JSON.stringify(error), String(error)].join('\n');
      assert.ok(!everything.includes(TEST_KEY), everything);
      assert.match(error.message, /Key sk-… is disabled/);
    });
  });

  describe('credits', () => {
    const cases: Array<[string, unknown, number | undefined]> = [
      ['a bare number', 42.5, 42.5],
      ['credits', { credits: 1234.5 }, 1234.5],
      ['balance as a string', { balance: '99.9' }, 99.9],
      ['nested under data', { data: { remaining_credits: 7 } }, 7],
      ['no number at all', { status: 'ok' }, undefined],
    ];
    for (const [name, body, balance] of cases) {
      it(`reads the balance from ${name}`, async () => {
        mock().setCredits({ kind: 'json', body });
        const result = await clientFor(mock()).getCredits();
        assert.equal(result.balance, balance);
        assert.deepEqual(result.raw, body);
        const [request] = mock().requests;
        assert.deepEqual([request.method, request.path, request.headers.authorization], ['GET', '/v1/credits', `Bearer ${TEST_KEY}`]);
      });
    }

    it('fails with a typed error when the balance cannot be read', async () => {
      mock().setCredits(providerError('invalid_api_key'));
      const error = await rejectsWithApiError(clientFor(mock()).getCredits());
      assert.equal(error.code, 'invalid_api_key');
    });
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
