import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '../../src/api/types';
import { cutOffToolInputEvents, sseBody, sseReply, transcript, transcriptEvents, type TranscriptScript } from '../fixtures/transcripts';
import { clientFor, REQUEST, rejectsWithApiError, TEST_KEY, useMockProvider } from './helpers';

const RICH: TranscriptScript = {
  blocks: [
    { type: 'thinking', thinking: 'Let me look at the file first. Ünïcödé 🤔', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxGg==' },
    { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' },
    { type: 'text', text: 'I will read `src/a.ts` — then explain. 漢字 👋🏽' },
    { type: 'tool_use', id: 'toolu_01', name: 'read_file', input: { path: 'src/a.ts', range: { start: 1, end: 20 }, tags: ['x', null, true] } },
    { type: 'tool_use', id: 'toolu_02', name: 'list_directory', input: {} },
  ],
  stopReason: 'tool_use',
  inputTokens: 512,
  outputTokens: 99,
  deltaSize: 5,
  pings: true,
};

/** What we assemble, stripped of the provider-only field the SDK does not know. */
function comparable(message: object): object {
  const { credits_consumed: _credits, ...rest } = message as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest));
}

describe('MessagesClient streaming', () => {
  const mock = useMockProvider();

  async function viaSdk(body: string): Promise<object> {
    mock().enqueue({ kind: 'sse', body });
    const sdk = new Anthropic({ baseURL: mock().url, apiKey: TEST_KEY, maxRetries: 0 });
    const final = await sdk.messages.stream({ model: REQUEST.model, max_tokens: REQUEST.max_tokens, messages: [{ role: 'user', content: 'Hello' }] }).finalMessage();
    // `parsed_output` is the SDK's structured-output helper, added after assembly; it is not in the stream.
    const { parsed_output: _parsed, ...assembled } = final as typeof final & { parsed_output?: unknown };
    return JSON.parse(JSON.stringify(assembled));
  }

  async function viaClient(body: string) {
    mock().enqueue({ kind: 'sse', body });
    return clientFor(mock()).createMessage(REQUEST);
  }

  for (const stopReason of ['end_turn', 'max_tokens', 'tool_use', 'stop_sequence', 'pause_turn', 'refusal', 'model_context_window_exceeded_2027']) {
    it(`assembles the same message as the official SDK for stop_reason ${stopReason}`, async () => {
      const body = transcript({ ...RICH, stopReason, stopSequence: stopReason === 'stop_sequence' ? '\n\nHuman:' : null });
      const expected = await viaSdk(body);
      const { message } = await viaClient(body);
      assert.deepEqual(comparable(message), expected);
      assert.equal(message.stop_reason, stopReason);
    });
  }

  it('keeps the complete values of a tool input cut off by max_tokens, as the official SDK does, wherever it is cut', async () => {
    const input = { path: 'src/a.ts', lines: [1, 20.5, -3e2], note: 'say "hi" \\ then\nstop', strict: true, extra: null };
    const script: TranscriptScript = { blocks: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 'toolu_cut', name: 'read_file', input }], deltaSize: 3 };
    const cutOff: unknown[] = [];
    for (let kept = 3; kept < JSON.stringify(input).length; kept += 3) {
      const body = sseBody(cutOffToolInputEvents(script, kept));
      const expected = await viaSdk(body);
      const { message, invalidToolInputs } = await viaClient(body);
      assert.deepEqual(comparable(message), expected, `cut after ${kept} characters`);
      assert.deepEqual(invalidToolInputs.map((entry) => [entry.index, entry.cutOff]), [[1, true]]);
      cutOff.push((message.content[1] as { input: unknown }).input);
    }
    assert.deepEqual(cutOff.at(-1), { path: 'src/a.ts', lines: [1, 20.5, -3e2], note: 'say "hi" \\ then\nstop', strict: true }, 'only the unfinished value is dropped');
  });

  it('keeps thinking signatures and redacted thinking byte for byte', async () => {
    const { message } = await viaClient(transcript(RICH));
    assert.deepEqual(message.content[0], { type: 'thinking', thinking: 'Let me look at the file first. Ünïcödé 🤔', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxGg==' });
    assert.deepEqual(message.content[1], { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' });
  });

  it('parses tool input when its block stops, even when the first fragment is empty', async () => {
    const stops: Array<[number, ContentBlock]> = [];
    mock().enqueue(sseReply(RICH));
    const { message, invalidToolInputs } = await clientFor(mock()).createMessage(REQUEST, {
      handlers: { onBlockStop: (index, block) => stops.push([index, structuredClone(block)]) },
    });
    assert.deepEqual(message.content[3], {
      type: 'tool_use',
      id: 'toolu_01',
      name: 'read_file',
      input: { path: 'src/a.ts', range: { start: 1, end: 20 }, tags: ['x', null, true] },
    });
    assert.deepEqual(message.content[4], { type: 'tool_use', id: 'toolu_02', name: 'list_directory', input: {} });
    assert.deepEqual(stops[3], [3, message.content[3]], 'the block handed to onBlockStop carries its parsed input');
    assert.deepEqual(invalidToolInputs, []);
  });

  it('hands every delta to the handlers in order', async () => {
    const seen: string[] = [];
    mock().enqueue(sseReply(RICH));
    await clientFor(mock()).createMessage(REQUEST, {
      handlers: {
        onBlockStart: (i, block) => seen.push(`start ${i} ${block.type}`),
        onThinkingDelta: (i, t) => seen.push(`thinking ${i} ${t}`),
        onTextDelta: (i, t) => seen.push(`text ${i} ${t}`),
        onBlockStop: (i) => seen.push(`stop ${i}`),
      },
    });
    const thinking = seen.filter((s) => s.startsWith('thinking 0 ')).map((s) => s.slice('thinking 0 '.length)).join('');
    const text = seen.filter((s) => s.startsWith('text 2 ')).map((s) => s.slice('text 2 '.length)).join('');
    assert.equal(thinking, 'Let me look at the file first. Ünïcödé 🤔');
    assert.equal(text, 'I will read `src/a.ts` — then explain. 漢字 👋🏽');
    assert.deepEqual(
      seen.filter((s) => s.startsWith('start') || s.startsWith('stop')),
      ['start 0 thinking', 'stop 0', 'start 1 redacted_thinking', 'stop 1', 'start 2 text', 'stop 2', 'start 3 tool_use', 'stop 3', 'start 4 tool_use', 'stop 4'],
    );
  });

  it('gives the same message when every byte arrives in its own chunk over the wire', async () => {
    const body = transcript(RICH);
    const { message: whole } = await viaClient(body);
    mock().enqueue({ kind: 'sse', body, chunkSize: 1 });
    const { message: trickled } = await clientFor(mock()).createMessage(REQUEST);
    assert.deepEqual(trickled, whole);
  });

  it('sends the request exactly as the provider expects it', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'hi' }] }));
    await clientFor(mock()).createMessage({ ...REQUEST, system: 'Be brief.', thinkingFlag: true });
    const [request] = mock().messageRequests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/messages');
    assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.match(String(request.headers['content-type']), /^application\/json/);
    assert.deepEqual(request.body, { ...REQUEST, system: 'Be brief.', thinkingFlag: true, stream: true });
  });

  it('sends stream: false and reads one JSON message in non-streaming mode', async () => {
    const body = {
      role: 'assistant',
      type: 'message',
      id: 'msg_01ABC',
      model: 'claude-sonnet-4-6',
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: 'Crisp leaves twirl down' }],
      usage: { input_tokens: 18, output_tokens: 42 },
      credits_consumed: 0.06,
    };
    mock().enqueue({ kind: 'json', body });
    const shown: string[] = [];
    const result = await clientFor(mock()).createMessage(REQUEST, { stream: false, handlers: { onTextDelta: (_i, text) => shown.push(text) } });
    assert.equal(mock().messageRequests[0].body.stream, false);
    assert.deepEqual(result.message, body);
    assert.deepEqual(shown, ['Crisp leaves twirl down'], 'the view is fed the same way in both modes');
    assert.deepEqual(result.cost, { credits: 0.06, dollars: 0.0003, source: 'provider' });
  });

  for (const where of ['message_delta', 'message_stop'] as const) {
    it(`keeps credits_consumed sent on ${where}`, async () => {
      mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'x' }], credits: { where, value: 0.25 } }));
      const { message, cost } = await clientFor(mock()).createMessage(REQUEST);
      assert.equal(message.credits_consumed, 0.25);
      assert.equal(cost.source, 'provider');
      assert.equal(cost.credits, 0.25);
    });
  }

  it('computes credits from usage with the price table when the provider is silent', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'x' }], inputTokens: 1_000_000, outputTokens: 2_000_000 }));
    const { cost } = await clientFor(mock()).createMessage(REQUEST);
    assert.deepEqual(cost, { credits: 300 + 3000, dollars: 1.5 + 15, source: 'computed' });
  });

  describe('where a proxy bends the format', () => {
    const script: TranscriptScript = { blocks: [{ type: 'text', text: 'Tolerance is a virtue.' }], deltaSize: 4 };

    async function expectSameAsWellFormed(body: string) {
      const { message: expected } = await viaClient(transcript(script));
      const { message } = await viaClient(body);
      assert.deepEqual(message, expected);
    }

    it('reads data lines without event lines', async () => {
      await expectSameAsWellFormed(transcriptEvents(script).map((e) => `data: ${JSON.stringify(e.data)}\n\n`).join(''));
    });

    it('stops at a data: [DONE] sentinel', async () => {
      await expectSameAsWellFormed(transcript(script) + 'data: [DONE]\n\n');
    });

    it('reads CR-only line endings', async () => {
      await expectSameAsWellFormed(transcript(script).replace(/\n/g, '\r'));
    });

    it('accepts a message_delta without usage', async () => {
      const events = transcriptEvents(script);
      const delta = events.find((e) => e.event === 'message_delta')!.data as Record<string, unknown>;
      delete delta.usage;
      const { message } = await viaClient(sseBody(events));
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.usage.output_tokens, 1, 'output tokens stay as message_start said');
    });

    it('ignores unknown events, unknown delta types and non-JSON data on unknown events', async () => {
      const events = transcriptEvents(script);
      events.splice(2, 0,
        { event: 'vendor_heartbeat', data: 'not json at all' },
        { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'sparkle_delta', sparkle: '*' } } },
        { event: 'future_event', data: { type: 'future_event', payload: 1 } },
      );
      await expectSameAsWellFormed(sseBody(events));
    });

    it('counts a stream that gave its stop reason but no message_stop as complete', async () => {
      const events = transcriptEvents(script).filter((e) => e.event !== 'message_stop');
      const { message } = await viaClient(sseBody(events));
      assert.equal(message.content[0].type === 'text' && message.content[0].text, 'Tolerance is a virtue.');
    });

    it('reads a JSON message sent in answer to a streaming request', async () => {
      mock().enqueue({ kind: 'json', body: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [{ type: 'text', text: 'buffered' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } });
      const { message } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(message.content, [{ type: 'text', text: 'buffered' }]);
    });
  });

  describe('broken streams', () => {
    it('fails with the partial message when the stream ends before message_stop', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'The first half and the second half.' }], deltaSize: 4 });
      // message_start, content_block_start and four text deltas; the rest never comes.
      mock().enqueue({ kind: 'sse', body: sseBody(events.slice(0, 6)) });
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.code, 'stream_truncated');
      assert.equal(error.retryable, false, 'text was shown: no silent retry');
      const partial = error.partial?.content[0];
      assert.deepEqual(partial, { type: 'text', text: 'The first half a' });
      assert.equal(mock().messageRequests.length, 1);
    });

    it('fails with the partial message when the connection drops mid-event', async () => {
      const body = transcript({ blocks: [{ type: 'text', text: 'Dropped in the middle of an event.' }], deltaSize: 4 });
      const midEvent = body.indexOf('"text_delta"', body.indexOf('Dropp'));
      mock().enqueue({ kind: 'sse', body, dropAfterBytes: midEvent });
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.code, 'stream_truncated');
      assert.match(error.message, /connection dropped/);
      assert.ok(error.partial?.content[0]?.type === 'text');
      assert.equal(error.retryable, false);
    });

    it('keeps a tool call whose input JSON is malformed, as an invalid input instead of a crash', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } }], stopReason: 'tool_use' });
      for (const e of events) {
        const d = e.data as { delta?: { type: string; partial_json?: string } };
        if (d.delta?.type === 'input_json_delta' && d.delta.partial_json) d.delta.partial_json = d.delta.partial_json.replace('"a"', '"a');
      }
      const { message, invalidToolInputs } = await viaClient(sseBody(events));
      assert.deepEqual(message.content[0], { type: 'tool_use', id: 't1', name: 'read_file', input: {} });
      assert.equal(invalidToolInputs.length, 1);
      assert.equal(invalidToolInputs[0].raw, '{"path":"a}');
    });

    it('turns a mid-stream error event into an ApiError that keeps the partial answer', async () => {
      const events = transcriptEvents({ blocks: [{ type: 'text', text: 'Part of an answer' }] }).slice(0, 4);
      events.push({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
      mock().enqueue({ kind: 'sse', body: sseBody(events) });
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.type, 'overloaded_error');
      assert.equal(error.message, 'Overloaded');
      assert.equal(error.retryable, false, 'content had started');
      assert.ok(error.partial?.content[0]?.type === 'text');
      assert.equal(mock().messageRequests.length, 1);
    });

    it('retries an overloaded error event that arrives before any content', async () => {
      const overloaded = sseBody([
        transcriptEvents({ blocks: [] })[0],
        { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
      ]);
      mock().enqueue({ kind: 'sse', body: overloaded }, sseReply({ blocks: [{ type: 'text', text: 'second try' }] }));
      const { message } = await clientFor(mock()).createMessage(REQUEST);
      assert.deepEqual(message.content, [{ type: 'text', text: 'second try' }]);
      assert.equal(mock().messageRequests.length, 2);
    });

    it('rejects a stream whose first event is not message_start', async () => {
      mock().enqueue({ kind: 'sse', body: sseBody(transcriptEvents({ blocks: [{ type: 'text', text: 'x' }] }).slice(1)) });
      const error = await rejectsWithApiError(clientFor(mock()).createMessage(REQUEST));
      assert.equal(error.code, 'invalid_response');
    });
  });
});
