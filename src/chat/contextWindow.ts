import type { ImageBlock, MessageParam, MessageRequest, Usage } from '../api/types';
import { imageBlockTokens } from '../shared/imageInfo';

/** Claude Sonnet 4.6's context window: the input and the answer together. */
export const CONTEXT_WINDOW_TOKENS = 200_000;

/**
 * Room kept free for what the estimate gets wrong. The provider offers no token counting, so the
 * request is measured in characters; 5% of the window absorbs the usual error of that.
 */
export const CONTEXT_MARGIN_TOKENS = 10_000;

/** The usual density of English and code for Claude's tokenizer: about 3.5 characters per token. */
export const DEFAULT_TOKENS_PER_CHAR = 1 / 3.5;

/**
 * A measured density is trusted from requests at least this long: in a short one the fixed cost of a
 * request (a few tokens per message, anything the provider adds) would inflate it.
 */
const MIN_CALIBRATION_CHARS = 10_000;

/** No text runs denser than about one token per character (CJK); beyond that a measurement is wrong. */
const MAX_TOKENS_PER_CHAR = 1.5;

/** What one real request cost: its length as measured here, and the provider's `input_tokens` for it. */
export interface TokenCalibration {
  chars: number;
  inputTokens: number;
}

/**
 * The characters of the parts of a request that count as input, measured as they are sent (JSON),
 * images aside: their base64 says nothing of what they cost (see `imageTokensOf`).
 */
export function requestChars(request: Pick<MessageRequest, 'system' | 'messages' | 'tools'>): number {
  return (request.system?.length ?? 0) + messagesChars(request.messages) + (request.tools ? JSON.stringify(request.tools).length : 0);
}

function isImageBlock(value: unknown): value is ImageBlock {
  return (value as { type?: unknown } | null)?.type === 'image' && typeof (value as ImageBlock).source?.data === 'string';
}

/** JSON without the images' data, which is counted by pixels instead. */
export function messagesChars(messages: readonly MessageParam[]): number {
  return JSON.stringify(messages, (_key, value: unknown) => (isImageBlock(value) ? { type: 'image' } : value)).length;
}

/** The images in `messages`: the prompts' and those in tool results, oldest first. */
export function imageBlocksIn(messages: readonly MessageParam[]): ImageBlock[] {
  const images: ImageBlock[] = [];
  for (const { content } of messages) {
    if (typeof content === 'string') continue;
    for (const block of content) {
      if (isImageBlock(block)) images.push(block);
      else if (block.type === 'tool_result' && Array.isArray(block.content)) images.push(...block.content.filter(isImageBlock));
    }
  }
  return images;
}

/** The tokens of the images in `messages`, by their size in pixels. */
export function imageTokensOf(messages: readonly MessageParam[]): number {
  return imageBlocksIn(messages).reduce((tokens, block) => tokens + imageBlockTokens(block), 0);
}

/** The estimate of a request's input tokens: its text by the density, its images by their pixels. */
export function requestTokens(request: Pick<MessageRequest, 'system' | 'messages' | 'tools'>, density: number): number {
  return Math.ceil(requestChars(request) * density) + imageTokensOf(request.messages);
}

/**
 * The calibration a finished request gives, if it was long enough to measure the density by. Its
 * images' tokens are taken out of what the provider counted: the density is that of its text.
 */
export function calibrationOf(chars: number, usage: Usage | undefined, imageTokens = 0): TokenCalibration | undefined {
  if (!usage || chars < MIN_CALIBRATION_CHARS) return undefined;
  const counted = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  const inputTokens = counted - imageTokens;
  return inputTokens > 0 ? { chars, inputTokens } : undefined;
}

/**
 * Tokens per character: the default, or this conversation's measured density when that is higher. A
 * lower measurement is not used: trimming a turn too early costs little, a request over the window
 * fails outright.
 */
export function tokensPerChar(calibration: TokenCalibration | undefined): number {
  if (!calibration || calibration.chars < MIN_CALIBRATION_CHARS) return DEFAULT_TOKENS_PER_CHAR;
  const measured = Math.min(MAX_TOKENS_PER_CHAR, calibration.inputTokens / calibration.chars);
  return Math.max(DEFAULT_TOKENS_PER_CHAR, measured);
}

/** The input tokens a request may use: the window, less the answer's `max_tokens` and the margin. */
export function inputBudget(maxTokens: number): number {
  return CONTEXT_WINDOW_TOKENS - maxTokens - CONTEXT_MARGIN_TOKENS;
}

export interface ContextRequest {
  system: string;
  /** The conversation so far, as the model saw it: whole turns, oldest first. */
  history: MessageParam[];
  /** This turn's messages: the prompt, and any tool calls and results since. Never left out. */
  current: MessageParam[];
  /** Sent before the history and never left out either: a compaction's summary. */
  pinned?: MessageParam[];
  tools?: MessageRequest['tools'];
  maxTokens: number;
  calibration?: TokenCalibration;
}

export type ContextFit =
  | { fits: true; messages: MessageParam[]; omittedTurns: number; estimatedTokens: number; budget: number }
  /** Even with every earlier turn left out, this turn alone is too long. */
  | { fits: false; estimatedTokens: number; budget: number };

/**
 * The request's messages, with as few of the oldest turns left out as it takes to fit the window.
 * Whole turns go, so a `tool_use` is never sent without its `tool_result`, and what is sent still
 * starts with a user prompt.
 */
export function fitToContext(request: ContextRequest): ContextFit {
  const density = tokensPerChar(request.calibration);
  const budget = inputBudget(request.maxTokens);
  const turns = splitIntoTurns(request.history);
  // Each message is measured once; joined, the array adds a comma per message, counted with it.
  const turnChars = turns.map((turn) => turn.reduce((sum, message) => sum + messagesChars([message]) - 1, 0));
  const turnImages = turns.map(imageTokensOf);
  const pinned = request.pinned ?? [];
  const pinnedChars = pinned.reduce((sum, message) => sum + messagesChars([message]) - 1, 0);
  let chars = requestChars({ system: request.system, messages: request.current, tools: request.tools }) + pinnedChars + turnChars.reduce((a, b) => a + b, 0);
  let images = imageTokensOf(request.current) + imageTokensOf(pinned) + turnImages.reduce((a, b) => a + b, 0);
  let omitted = 0;
  while (Math.ceil(chars * density) + images > budget && omitted < turns.length) {
    chars -= turnChars[omitted];
    images -= turnImages[omitted++];
  }
  const estimatedTokens = Math.ceil(chars * density) + images;
  if (estimatedTokens > budget) return { fits: false, estimatedTokens, budget };
  return { fits: true, messages: [...pinned, ...turns.slice(omitted).flat(), ...request.current], omittedTurns: omitted, estimatedTokens, budget };
}

/**
 * A user message that carries only tool results continues the turn before it; any other user message
 * is a prompt and opens a turn.
 */
function opensTurn(message: MessageParam): boolean {
  if (message.role !== 'user') return false;
  if (typeof message.content === 'string') return true;
  return !message.content.every((block) => block.type === 'tool_result');
}

/** The history cut into turns, each from a prompt up to the next one. */
export function splitIntoTurns(history: MessageParam[]): MessageParam[][] {
  const turns: MessageParam[][] = [];
  for (const message of history) {
    if (turns.length === 0 || opensTurn(message)) turns.push([message]);
    else turns[turns.length - 1].push(message);
  }
  return turns;
}

/** What the user is told about the turns left out. */
export function omittedTurnsNote(omittedTurns: number): string {
  return omittedTurns === 1
    ? '1 earlier turn was left out to fit the context window.'
    : `${omittedTurns} earlier turns were left out to fit the context window.`;
}

/** The error card's text when the current turn alone is too long. */
export function contextOverflowMessage(fit: { estimatedTokens: number; budget: number }): string {
  return (
    `This message is about ${fit.estimatedTokens.toLocaleString('en-US')} tokens, more than the ` +
    `${fit.budget.toLocaleString('en-US')} that fit in the model's context window with room for the answer, ` +
    'even with the earlier turns left out. Attach less, or a selection instead of a whole file.'
  );
}
