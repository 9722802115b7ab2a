import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { ApiError } from './errors';

/** The event types of the Messages stream; data that is not JSON on one of these is a broken stream. */
const MESSAGES_EVENTS = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

/** A decoded stream event: its JSON data, with `type` filled in from the `event:` line when missing. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untrusted wire JSON, checked field by field by the accumulator
export type StreamEvent = { type: string; [field: string]: any };

export type SseItem = StreamEvent | 'done';

/**
 * Bytes in, Messages events out. UTF-8 is decoded across chunk boundaries, lines may end in LF, CRLF or
 * CR alone, and the `data: [DONE]` sentinel some proxies append is reported as `done`.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private ending = false;

  constructor(onItem: (item: SseItem) => void) {
    this.parser = createParser({
      onEvent: (message) => {
        let item: SseItem | undefined;
        try {
          item = toItem(message);
        } catch (error) {
          // A last event cut off mid-JSON is a truncated stream, which the caller reports as such.
          if (this.ending) return;
          throw error;
        }
        if (item) onItem(item);
      },
    });
  }

  push(bytes: Uint8Array): void {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /**
   * The body ended: flush a half-decoded character, and deliver a last event that lacked its closing
   * blank line. The parser holds a trailing CR back in case an LF follows, and drops an unterminated
   * event on reset, so the blank line is supplied here instead.
   */
  end(): void {
    this.ending = true;
    this.parser.feed(this.decoder.decode() + '\n\n');
    this.parser.reset();
  }
}

function toItem(message: EventSourceMessage): SseItem | undefined {
  const name = message.event && message.event !== 'message' ? message.event : undefined;
  const data = message.data.trim();
  if (data === '[DONE]') return 'done';
  if (data === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    if (name === undefined || MESSAGES_EVENTS.has(name)) {
      throw new ApiError({
        code: 'invalid_response',
        type: 'invalid_response',
        message: `The server sent an event that is not JSON${name ? ` (${name})` : ''}.`,
        retryable: false,
      });
    }
    return undefined; // An event of a kind we do not know, in a format we do not know: not ours to judge.
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const event = parsed as StreamEvent;
  if (typeof event.type !== 'string') {
    if (!name) return undefined;
    event.type = name;
  }
  return event;
}
