/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- untrusted wire JSON, see JsonObject */
import { ApiError, errorFromStreamEvent } from './errors';
import { parsePartialJson } from './partialJson';
import type { ContentBlock, Message } from './types';

/** What the caller sees while a message streams; every callback is optional. */
export interface StreamHandlers {
  onBlockStart?(index: number, block: ContentBlock): void;
  onTextDelta?(index: number, text: string): void;
  onThinkingDelta?(index: number, thinking: string): void;
  /** `invalidInput` is set for a tool call whose input was not valid JSON. */
  onBlockStop?(index: number, block: ContentBlock, invalidInput?: InvalidToolInput): void;
}

/** A tool call whose input was not valid JSON: the tool loop answers it with an error, not a crash. */
export interface InvalidToolInput {
  index: number;
  raw: string;
  reason: string;
  /** The JSON was cut off (by `max_tokens`, say): the input keeps its complete values, as the SDK does. */
  cutOff: boolean;
}

/**
 * An event or block as it came off the wire. This module is the client's untrusted edge: it reads the
 * provider's JSON field by field and checks each value where it uses it, which `unknown` would turn
 * into a cast per line, so the any-safety rules are off for this file alone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type JsonObject = Record<string, any>;

/**
 * Builds the assistant message from the events of a Messages stream, the way the official SDK does for
 * a well-formed stream, and more forgivingly where a proxy bends the format: unknown events, delta
 * types and fields are skipped, a `message_delta` may lack `usage`, and a stream that states its stop
 * reason but never sends `message_stop` still counts as complete.
 *
 * Strings are appended in place and tool input is parsed once, when its block stops, so a long stream
 * costs one pass over its bytes.
 *
 * What the handlers are shown is what the message keeps: blocks take the next place in `content` in the
 * order they start, whatever `index` the stream gives them (an index that skips, is huge, negative or
 * fractional would leave holes or be lost), and handlers are given that place.
 */
export class MessageAccumulator {
  private snapshot: Message | undefined;
  /** The stream's block index -> the block's place in `content`. */
  private readonly places = new Map<number, number>();
  private readonly toolInputParts = new Map<number, string[]>();
  readonly invalidToolInputs: InvalidToolInput[] = [];
  private stopped = false;
  /** True once anything has been handed to the handlers: from then on a retry would repeat it. */
  contentStarted = false;

  constructor(private readonly handlers: StreamHandlers = {}) {}

  get message(): Message | undefined {
    return this.snapshot;
  }

  /** `message_stop` arrived: nothing more belongs to this message. */
  get ended(): boolean {
    return this.stopped;
  }

  /** The stream said how it ended, with `message_stop` or at least a stop reason. */
  get complete(): boolean {
    return this.stopped || (this.snapshot?.stop_reason ?? null) !== null;
  }

  /** Applies one event; `error` events throw an `ApiError` carrying the partial message. */
  apply(event: JsonObject): void {
    switch (event.type) {
      case 'message_start':
        this.start(event.message);
        return;
      case 'content_block_start':
        this.blockStart(event.index, event.content_block);
        return;
      case 'content_block_delta':
        this.blockDelta(event.index, event.delta);
        return;
      case 'content_block_stop':
        this.blockStop(event.index);
        return;
      case 'message_delta':
        this.messageDelta(event);
        return;
      case 'message_stop':
        this.readCredits(event);
        this.stopped = true;
        return;
      case 'error': {
        const error = errorFromStreamEvent(event);
        throw error.withPartial(this.snapshot, error.retryable && !this.contentStarted);
      }
      default:
        // `ping` and event types the API may add later carry nothing we need.
        return;
    }
  }

  private start(message: unknown): void {
    if (!message || typeof message !== 'object') throw invalid('message_start without a message');
    // A second start would drop what is already on the screen: the message began once.
    if (this.snapshot) return;
    const m = message as Message;
    const usage = { ...m.usage };
    for (const key of TOKEN_COUNTERS) if (usage[key] != null) usage[key] = nonNegativeNumber(usage[key]) ?? 0;
    this.snapshot = { ...m, content: Array.isArray(m.content) ? [...m.content] : [], usage };
    // Blocks the start already holds keep the indexes they came with.
    this.snapshot.content.forEach((_, place) => this.places.set(place, place));
    this.readCredits(m);
  }

  private requireSnapshot(what: string): Message {
    if (!this.snapshot) throw invalid(`${what} before message_start`);
    return this.snapshot;
  }

  private blockStart(index: unknown, block: unknown): void {
    const snapshot = this.requireSnapshot('content_block_start');
    if (typeof index !== 'number' || !block || typeof block !== 'object') throw invalid('malformed content_block_start');
    const copy = { ...(block as ContentBlock) };
    const place = snapshot.content.push(copy) - 1;
    this.places.set(index, place);
    if (copy.type === 'tool_use' || (copy as { type: string }).type === 'server_tool_use') this.toolInputParts.set(place, []);
    this.contentStarted = true;
    this.handlers.onBlockStart?.(place, copy);
  }

  /** The block the stream calls `index`, with its place; undefined for an index that never started. */
  private blockAt(index: unknown, what: string): { place: number; block: JsonObject } | undefined {
    const snapshot = this.requireSnapshot(what);
    const place = typeof index === 'number' ? this.places.get(index) : undefined;
    return place === undefined ? undefined : { place, block: snapshot.content[place] };
  }

  private blockDelta(index: unknown, delta: JsonObject | undefined): void {
    const found = this.blockAt(index, 'content_block_delta');
    if (!found || !delta) return;
    const { place, block } = found;
    switch (delta.type) {
      case 'text_delta':
        if (block.type === 'text' && typeof delta.text === 'string') {
          block.text = (block.text ?? '') + delta.text;
          this.handlers.onTextDelta?.(place, delta.text);
        }
        return;
      case 'thinking_delta':
        if (block.type === 'thinking' && typeof delta.thinking === 'string') {
          block.thinking = (block.thinking ?? '') + delta.thinking;
          this.handlers.onThinkingDelta?.(place, delta.thinking);
        }
        return;
      case 'signature_delta':
        // The signature arrives whole; it replaces, never appends, exactly as the SDK does.
        if (block.type === 'thinking' && typeof delta.signature === 'string') block.signature = delta.signature;
        return;
      case 'input_json_delta':
        if (typeof delta.partial_json === 'string') this.toolInputParts.get(place)?.push(delta.partial_json);
        return;
      case 'citations_delta':
        if (block.type === 'text') block.citations = [...(block.citations ?? []), delta.citation];
        return;
      default:
        return;
    }
  }

  private blockStop(index: unknown): void {
    const found = this.blockAt(index, 'content_block_stop');
    if (!found) return;
    const invalidInput = this.finishToolInput(found.place, found.block);
    this.handlers.onBlockStop?.(found.place, found.block as ContentBlock, invalidInput);
  }

  private finishToolInput(place: number, block: JsonObject): InvalidToolInput | undefined {
    const parts = this.toolInputParts.get(place);
    if (!parts) return undefined;
    this.toolInputParts.delete(place);
    const raw = parts.join('');
    if (parts.length === 0) return undefined; // No fragments: the input given at block start stands.
    if (raw.trim() === '') {
      block.input = {};
      return undefined;
    }
    try {
      block.input = JSON.parse(raw);
      return undefined;
    } catch (error) {
      const complete = parsePartialJson(raw);
      const cutOff = isJsonObject(complete);
      block.input = cutOff ? complete : {};
      const invalidInput = { index: place, raw, reason: (error as Error).message, cutOff };
      this.invalidToolInputs.push(invalidInput);
      return invalidInput;
    }
  }

  private messageDelta(event: JsonObject): void {
    const snapshot = this.requireSnapshot('message_delta');
    const delta = event.delta ?? {};
    snapshot.stop_reason = delta.stop_reason ?? snapshot.stop_reason;
    snapshot.stop_sequence = delta.stop_sequence ?? null;
    if (delta.stop_details !== undefined) snapshot.stop_details = delta.stop_details;
    if (delta.container != null) snapshot.container = delta.container;
    const usage = event.usage;
    if (usage && typeof usage === 'object') {
      // Every counter is a whole-message total, sent only when it applies: overwrite, never add.
      for (const key of TOKEN_COUNTERS) {
        const count = nonNegativeNumber(usage[key]);
        if (count !== undefined) snapshot.usage[key] = count;
      }
      for (const key of ['server_tool_use', 'output_tokens_details']) {
        if (usage[key] != null) snapshot.usage[key] = usage[key];
      }
    }
    this.readCredits(event);
  }

  /** `credits_consumed` may sit on the event, its delta or its usage, depending on the provider's mood. */
  private readCredits(source: JsonObject | undefined): void {
    if (!this.snapshot || !source) return;
    for (const holder of [source, source.delta, source.usage]) {
      const credits = nonNegativeNumber(holder?.credits_consumed);
      if (credits !== undefined) this.snapshot.credits_consumed = credits;
    }
  }

  /** Tool blocks still open when the stream ended get whatever input arrived, so nothing is lost. */
  closeOpenBlocks(): void {
    for (const place of [...this.toolInputParts.keys()]) {
      const block = this.snapshot?.content[place] as JsonObject | undefined;
      if (block) this.finishToolInput(place, block);
    }
  }
}

/**
 * Feeds a whole (non-streamed) message through the accumulator as the events that would have streamed
 * it, so callers see the same handler calls and get the same result in both modes.
 */
export function replayWholeMessage(message: JsonObject, accumulator: MessageAccumulator): void {
  const { content, ...head } = message;
  accumulator.apply({ type: 'message_start', message: { ...head, content: [] } });
  (content as JsonObject[]).forEach((block, index) => {
    const delta = (d: JsonObject) => accumulator.apply({ type: 'content_block_delta', index, delta: d });
    if (block.type === 'text') {
      accumulator.apply({ type: 'content_block_start', index, content_block: { ...block, text: '' } });
      delta({ type: 'text_delta', text: block.text });
    } else if (block.type === 'thinking') {
      accumulator.apply({ type: 'content_block_start', index, content_block: { ...block, thinking: '' } });
      delta({ type: 'thinking_delta', thinking: block.thinking });
    } else {
      accumulator.apply({ type: 'content_block_start', index, content_block: block });
    }
    accumulator.apply({ type: 'content_block_stop', index });
  });
  accumulator.apply({ type: 'message_stop' });
}

const TOKEN_COUNTERS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

/**
 * A count or a charge as a number. Some proxies send numbers as strings, which are read; anything else
 * (words, negative numbers) is not a count, so a cost is never NaN.
 */
function nonNegativeNumber(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string): ApiError {
  return new ApiError({
    code: 'invalid_response',
    type: 'invalid_response',
    message: `The server sent a malformed stream (${what}).`,
    retryable: false,
  });
}
