import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/api/errors';
import { SseDecoder, type SseItem } from '../../src/api/sse';
import { transcript } from '../fixtures/transcripts';

function decode(chunks: Uint8Array[]): SseItem[] {
  const items: SseItem[] = [];
  const decoder = new SseDecoder((item) => items.push(item));
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return items;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('SseDecoder', () => {
  it('gives the same events for a transcript cut at every byte boundary', () => {
    const body = bytes(
      transcript({
        blocks: [
          { type: 'thinking', thinking: 'Ünïcödé thoughts 🤔 across bytes', signature: 'sig==' },
          { type: 'text', text: 'Grüße 👋🏽 — 漢字 and “quotes”' },
          { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'ä/b.ts' } },
        ],
        deltaSize: 3,
      }),
    );
    const whole = decode([body]);
    assert.ok(whole.length > 10);
    for (let cut = 1; cut < body.length; cut++) {
      assert.deepEqual(decode([body.subarray(0, cut), body.subarray(cut)]), whole, `cut at byte ${cut}`);
    }
    assert.deepEqual(decode(Array.from(body, (b) => Uint8Array.of(b))), whole, 'one byte per chunk');
  });

  it('reads LF, CRLF and CR-only line endings alike', () => {
    const lf = 'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    const expected = decode([bytes(lf)]);
    assert.deepEqual(expected, [{ type: 'ping' }, { type: 'message_stop' }]);
    assert.deepEqual(decode([bytes(lf.replace(/\n/g, '\r\n'))]), expected);
    assert.deepEqual(decode([bytes(lf.replace(/\n/g, '\r'))]), expected);
  });

  it('takes the event type from the data when there is no event line', () => {
    assert.deepEqual(decode([bytes('data: {"type":"message_stop"}\n\n')]), [{ type: 'message_stop' }]);
  });

  it('fills in the type from the event line when the data lacks it', () => {
    assert.deepEqual(decode([bytes('event: error\ndata: {"error":{"type":"overloaded_error","message":"busy"}}\n\n')]), [
      { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
    ]);
  });

  it('reports the [DONE] sentinel', () => {
    assert.deepEqual(decode([bytes('data: {"type":"message_stop"}\n\ndata: [DONE]\n\n')]), [{ type: 'message_stop' }, 'done']);
  });

  it('skips comments, empty data and non-JSON data of unknown events', () => {
    const text = ': keep-alive\n\ndata:\n\nevent: vendor_stats\ndata: tokens=5\n\nevent: ping\ndata: {"type":"ping"}\n\n';
    assert.deepEqual(decode([bytes(text)]), [{ type: 'ping' }]);
  });

  it('rejects non-JSON data on a Messages event', () => {
    assert.throws(
      () => decode([bytes('event: content_block_delta\ndata: {"type":"content_bl\n\n')]),
      (error: unknown) => error instanceof ApiError && error.code === 'invalid_response' && /content_block_delta/.test(error.message),
    );
  });

  it('delivers a last event that lacks its closing blank line', () => {
    assert.deepEqual(decode([bytes('event: message_stop\ndata: {"type":"message_stop"}')]), [{ type: 'message_stop' }]);
  });
});
