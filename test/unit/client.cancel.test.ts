import * as assert from 'node:assert/strict';
import { providerError, sseReply, transcript } from '../fixtures/transcripts';
import { clientFor, REQUEST, rejectsWithApiError, settle, trackClientTimers, useMockProvider } from './helpers';

const LONG = { blocks: [{ type: 'text' as const, text: 'A slow answer that takes its time to arrive. '.repeat(20) }], deltaSize: 8 };

describe('MessagesClient cancellation and timeouts', () => {
  const mock = useMockProvider();
  let timers: ReturnType<typeof trackClientTimers>;
  beforeEach(() => (timers = trackClientTimers()));
  afterEach(() => timers.dispose());

  /** After a stop or a timeout, the client may leave no timer and no exchange open. */
  async function assertNothingLeftOpen(): Promise<void> {
    await settle(() => mock().exchangesInFlight === 0);
    assert.equal(mock().exchangesInFlight, 0, 'no exchange with the server is left open');
    // Checked within a few turns of the event loop: a forgotten timer would only vanish by firing, seconds later.
    assert.equal(await timers.live(), 0, 'timers left behind');
  }

  it('stops while waiting for the server to answer', async () => {
    mock().enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = clientFor(mock()).createMessage(REQUEST, { signal: controller.signal });
    await settle(() => mock().messageRequests.length === 1);
    controller.abort();
    const error = await rejectsWithApiError(pending);
    assert.equal(error.code, 'aborted');
    await assertNothingLeftOpen();
  });

  it('stops during the wait before a retry, without sending the retry', async () => {
    mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': '30' }));
    const controller = new AbortController();
    const pending = clientFor(mock()).createMessage(REQUEST, {
      signal: controller.signal,
      handlers: { onRetry: () => setTimeout(() => controller.abort(), 20) },
    });
    const error = await rejectsWithApiError(pending);
    assert.equal(error.code, 'aborted');
    assert.equal(mock().messageRequests.length, 1);
    await assertNothingLeftOpen();
  });

  it('stops mid-stream, keeps what arrived, and the server sees the connection close', async () => {
    mock().enqueue(sseReply(LONG, { chunkSize: 40, delayMs: 15 }));
    const controller = new AbortController();
    let text = '';
    const pending = clientFor(mock()).createMessage(REQUEST, {
      signal: controller.signal,
      handlers: {
        onTextDelta: (_i, delta) => {
          text += delta;
          if (text.length >= 40) controller.abort();
        },
      },
    });
    const error = await rejectsWithApiError(pending);
    assert.equal(error.code, 'aborted');
    const partial = error.partial?.content[0];
    assert.ok(partial?.type === 'text' && partial.text.startsWith(text.slice(0, 40)));
    await mock().messageRequests[0].finished;
    assert.equal(mock().messageRequests[0].clientClosedEarly, true);
    await assertNothingLeftOpen();
  });

  it('does nothing when the signal was aborted before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST, { signal: controller.signal }));
    assert.equal(error.code, 'aborted');
    assert.equal(mock().messageRequests.length, 0);
  });

  it('times out when the server never answers, and retries', async () => {
    mock().onMessages(() => ({ kind: 'hang' }));
    const error = await rejectsWithApiError(clientFor(mock(), { timeoutMs: 150, maxRetries: 1 }).createMessage(REQUEST));
    assert.equal(error.code, 'timeout');
    assert.equal(error.message, 'The server did not answer within 0.2 s.');
    assert.equal(mock().messageRequests.length, 2);
    await assertNothingLeftOpen();
  });

  it('times out when headers came but no event follows', async () => {
    mock().enqueue({ kind: 'sse', body: transcript(LONG), stallAfterBytes: 0 });
    const error = await rejectsWithApiError(clientFor(mock(), { timeoutMs: 150, maxRetries: 0 }).createMessage(REQUEST));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /did not start answering/);
    await assertNothingLeftOpen();
  });

  it('times out when the stream falls silent, and keeps the partial answer', async () => {
    const body = transcript(LONG);
    mock().enqueue({ kind: 'sse', body, stallAfterBytes: body.indexOf('text_delta') + 200 });
    const error = await rejectsWithApiError(clientFor(mock(), { timeoutMs: 150 }).createMessage(REQUEST));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /nothing arrived for 0\.2 s/);
    assert.equal(error.retryable, false, 'text was shown: no silent retry');
    assert.ok(error.partial?.content[0]?.type === 'text');
    assert.equal(mock().messageRequests.length, 1);
    await assertNothingLeftOpen();
  });

  it('does not time out a slow stream that keeps talking', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'x'.repeat(60) }], deltaSize: 6 }, { chunkSize: 250, delayMs: 60 }));
    const { message } = await clientFor(mock(), { timeoutMs: 150 }).createMessage(REQUEST);
    assert.deepEqual(message.content, [{ type: 'text', text: 'x'.repeat(60) }]);
  });

  it('leaves nothing open after a successful answer', async () => {
    mock().enqueue(sseReply(LONG));
    await clientFor(mock()).createMessage(REQUEST);
    await assertNothingLeftOpen();
  });
});
