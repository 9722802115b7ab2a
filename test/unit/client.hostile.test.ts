import * as assert from 'node:assert/strict';
import { errorPresentation } from '../../src/chat/errorPresentation';
import type { SseEventSpec } from '../fixtures/transcripts';
import { sseBody, transcript, transcriptEvents } from '../fixtures/transcripts';
import { clientFor, REQUEST, rejectsWithApiError, useMockProvider } from './helpers';

type EventData = Record<string, unknown> & { index?: unknown };

/** Two text blocks as the stream would send them, with the block indexes replaced by `indexes`. */
function twoBlocksWithIndexes(indexes: [unknown, unknown]): SseEventSpec[] {
  const events = transcriptEvents({ blocks: [{ type: 'text', text: 'First part. ' }, { type: 'text', text: 'Second part.' }], deltaSize: 4 });
  for (const event of events) {
    const data = event.data as EventData;
    if (typeof data.index === 'number') data.index = indexes[data.index];
  }
  return events;
}

/** What the handlers showed, block by block, as the view builds it. */
function screen() {
  const blocks: string[] = [];
  return {
    blocks,
    handlers: {
      onBlockStart: (index: number) => {
        blocks[index] = '';
      },
      onTextDelta: (index: number, text: string) => {
        blocks[index] += text;
      },
    },
  };
}

describe('MessagesClient against a hostile or sloppy stream', () => {
  const mock = useMockProvider();

  describe('block indexes', () => {
    const cases: Array<[string, [unknown, unknown]]> = [
      ['that skip (0, then 2)', [0, 2]],
      ['of 1e8', [0, 1e8]],
      ['of 1e9', [1e9, 1e9 + 1]],
      ['that are negative', [-1, -2]],
      ['that are fractional', [0.5, 0.25]],
    ];
    for (const [what, indexes] of cases) {
      it(`keeps blocks with indexes ${what} densely, in arrival order, as they were shown`, async () => {
        mock().enqueue({ kind: 'sse', body: sseBody(twoBlocksWithIndexes(indexes)) });
        const shown = screen();
        const { message } = await clientFor(mock()).createMessage(REQUEST, { handlers: shown.handlers });
        assert.deepEqual(message.content, [
          { type: 'text', text: 'First part. ' },
          { type: 'text', text: 'Second part.' },
        ]);
        assert.deepEqual(shown.blocks, ['First part. ', 'Second part.'], 'the handlers were given the same places');
        assert.equal(JSON.stringify(message).length < 1000, true, 'no holes to write out');
      });
    }

    it('places blocks after those message_start already held, which keep their indexes', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'Second.' }] });
      (events[0].data as { message: { content: unknown[] } }).message.content = [{ type: 'text', text: 'First' }];
      for (const event of events) {
        const data = event.data as EventData;
        if (data.index === 0) data.index = 7;
      }
      events.splice(1, 0, { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '.' } } });
      mock().enqueue({ kind: 'sse', body: sseBody(events) });
      const { message } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(message.content, [
        { type: 'text', text: 'First.' },
        { type: 'text', text: 'Second.' },
      ]);
    });

    it('keeps the text shown before a second message_start', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'Kept.' }] });
      const restart = { ...events[0], data: structuredClone(events[0].data) };
      (restart.data as { message: { id: string } }).message.id = 'msg_other';
      events.splice(events.length - 2, 0, restart);
      mock().enqueue({ kind: 'sse', body: sseBody(events) });
      const shown = screen();
      const { message } = await clientFor(mock()).createMessage(REQUEST, { handlers: shown.handlers });
      assert.deepEqual(message.content, [{ type: 'text', text: 'Kept.' }]);
      assert.deepEqual(shown.blocks, ['Kept.']);
      assert.equal(message.id, 'msg_mock_01');
    });
  });

  describe('usage', () => {
    function withUsage(start: Record<string, unknown>, delta: Record<string, unknown>): string {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'x' }] });
      (events[0].data as { message: { usage: unknown } }).message.usage = start;
      (events.find((e) => e.event === 'message_delta')!.data as { usage: unknown }).usage = delta;
      return sseBody(events);
    }

    it('reads token counts sent as strings, and bills them', async () => {
      mock().enqueue({ kind: 'sse', body: withUsage({ input_tokens: '1000000', output_tokens: '1' }, { output_tokens: '2000000' }) });
      const { message, cost } = await clientFor(mock()).createMessage(REQUEST);
      assert.equal(message.usage.input_tokens, 1_000_000);
      assert.equal(message.usage.output_tokens, 2_000_000);
      assert.deepEqual(cost, { credits: 300 + 3000, dollars: 1.5 + 15, source: 'computed' });
    });

    it('counts what is not a number as none, so the cost is never NaN', async () => {
      mock().enqueue({ kind: 'sse', body: withUsage({ input_tokens: 'many', output_tokens: 1, cache_read_input_tokens: '-5' }, { output_tokens: 'lots' }) });
      const { message, cost } = await clientFor(mock()).createMessage(REQUEST);
      assert.equal(message.usage.input_tokens, 0);
      assert.equal(message.usage.cache_read_input_tokens, 0);
      assert.equal(message.usage.output_tokens, 1, 'output tokens stay as message_start said');
      assert.ok(Number.isFinite(cost.credits) && Number.isFinite(cost.dollars), `cost ${JSON.stringify(cost)}`);
    });

    it('reads credits_consumed sent as a string', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'x' }] });
      (events.find((e) => e.event === 'message_delta')!.data as Record<string, unknown>).credits_consumed = '0.25';
      mock().enqueue({ kind: 'sse', body: sseBody(events) });
      const { cost } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(cost, { credits: 0.25, dollars: 0.00125, source: 'provider' });
    });
  });

  describe('a spend limit in the stream', () => {
    for (const [what, error] of [
      ['by its code, with the type of a rate limit', { code: 'spend_limit_exceeded', type: 'rate_limit_error', message: 'Key spend limit reached.' }],
      ['by its type', { type: 'billing_error', message: 'Key spend limit reached.' }],
    ] as const) {
      it(`is never retried, named ${what}`, async () => {
        const body = sseBody([
          transcriptEvents({ blocks: [] })[0],
          { event: 'error', data: { type: 'error', error } },
        ]);
        mock().onMessages(() => ({ kind: 'sse', body }));
        const failure = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
        assert.equal(mock().messageRequests.length, 1, 'one request, no retry');
        assert.equal(failure.retryable, false);
        assert.equal(failure.message, 'Key spend limit reached.');
      });
    }
  });

  describe('a body without content-type', () => {
    const script = { blocks: [{ type: 'text' as const, text: 'Read as a stream.' }], deltaSize: 3 };

    async function wellFormed() {
      mock().enqueue({ kind: 'sse', body: transcript(script) });
      return (await clientFor(mock()).createMessage(REQUEST)).message;
    }

    it('is read as SSE when it begins like SSE, even one byte at a time', async () => {
      const expected = await wellFormed();
      for (const body of [transcript(script), sseBody(transcriptEvents(script).map((e) => ({ data: e.data }))), `: keep-alive\n\n${transcript(script)}`]) {
        for (const chunkSize of [undefined, 1]) {
          mock().enqueue({ kind: 'sse', body, omitContentType: true, chunkSize });
          const { message } = await clientFor(mock()).createMessage(REQUEST);
          assert.deepEqual(message, expected, `${JSON.stringify(body.slice(0, 12))}, chunks of ${chunkSize ?? 'all'}`);
        }
      }
    });

    it('is read as JSON otherwise', async () => {
      const whole = await wellFormed();
      mock().enqueue({ kind: 'sse', body: `\n${JSON.stringify(whole)}`, omitContentType: true, chunkSize: 2 });
      const { message } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(message, whole);
      mock().enqueue({ kind: 'sse', body: 'event horizon', omitContentType: true });
      const failure = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(failure.code, 'invalid_response');
    });
  });

  it('counts an answer whose connection dropped after its stop reason, before message_stop, as complete', async () => {
    const body = transcript({ blocks: [{ type: 'text', text: 'All of it.' }], stopReason: 'end_turn' });
    const dropAt = Buffer.byteLength(body.slice(0, body.indexOf('event: message_stop')));
    mock().enqueue({ kind: 'sse', body, dropAfterBytes: dropAt });
    const { message } = await clientFor(mock()).createMessage(REQUEST);
    assert.deepEqual(message.content, [{ type: 'text', text: 'All of it.' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.output_tokens, 42);
  });

  it('still reports an answer cut off before its stop reason', async () => {
    const body = transcript({ blocks: [{ type: 'text', text: 'Half of it.' }] });
    mock().enqueue({ kind: 'sse', body, dropAfterBytes: Buffer.byteLength(body.slice(0, body.indexOf('event: message_delta'))) });
    const failure = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
    assert.equal(failure.code, 'stream_truncated');
  });

  for (const [what, apiKey] of [
    ['a line feed', 'sk-test-0123456789\n'],
    ['a carriage return', 'sk-test-0123\r456789'],
  ] as const) {
    it(`says a key with ${what} is malformed, and sends nothing`, async () => {
      const failure = await rejectsWithApiError(clientFor(mock(), { apiKey }).createMessage(REQUEST));
      assert.equal(failure.code, 'malformed_api_key');
      assert.equal(failure.retryable, false);
      assert.match(failure.message, /malformed/);
      assert.doesNotMatch(failure.message, /Could not reach/);
      assert.equal(mock().requests.length, 0);
      const card = errorPresentation(failure);
      assert.deepEqual({ title: card.title, actions: card.actions }, { title: 'API key malformed', actions: ['setApiKey'] });
    });
  }
});
