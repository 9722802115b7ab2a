/**
 * Within one long turn: the oldest tool results of the turn, beyond the latest few, replaced in what
 * is sent by a short stub that says what was there. Every `tool_use` keeps its `tool_result` (with
 * `is_error` as it was); the view's cards keep the real results.
 */
import type { ContentBlockParam, MessageParam, ToolResultBlock, ToolUseBlock } from '../api/types';
import { imageTokensOf, messagesChars } from './contextWindow';

/** The latest results of a turn that are always sent whole: what the model is working with now. */
export const KEEP_LATEST_TOOL_RESULTS = 3;

export function clearedResultStub(name: string, summary: string, images = 0): string {
  const what = summary.trim() === '' ? name : `${name} ${summary.trim()}`;
  const withImages = images === 0 ? '' : images === 1 ? ' (with its image)' : ` (with its ${images} images)`;
  return `[result of ${what}${withImages} cleared to save context: ask again if needed]`;
}

export interface ClearingOptions {
  keepLatest: number;
  /** The call's summary for its stub, e.g. `src/a.ts` for read_file. */
  describe(call: ToolUseBlock): string;
  /** The estimator's tokens per character of text, to measure what clearing saves. */
  tokensPerChar: number;
  /** Whether `savedTokens` fewer input tokens is enough; asked after each result cleared. */
  enough(savedTokens: number): boolean;
}

export interface ClearedMessages {
  messages: MessageParam[];
  cleared: number;
  /** Its text saved by the density, and its images' tokens. */
  savedTokens: number;
}

/**
 * `current` (a turn's messages) with as few of its oldest tool results cleared as `enough` needs, the
 * latest `keepLatest` never. The messages given are not changed.
 */
export function clearOldToolResults(current: readonly MessageParam[], options: ClearingOptions): ClearedMessages {
  const calls = new Map<string, ToolUseBlock>();
  const results: Array<{ message: number; block: number }> = [];
  current.forEach((message, m) => {
    if (typeof message.content === 'string') return;
    message.content.forEach((block, b) => {
      if (block.type === 'tool_use') calls.set(block.id, block);
      else if (block.type === 'tool_result') results.push({ message: m, block: b });
    });
  });
  const messages = current.map((message) => (typeof message.content === 'string' ? message : { ...message, content: [...message.content] }));
  let savedTokens = 0;
  let cleared = 0;
  for (const at of results.slice(0, Math.max(0, results.length - options.keepLatest))) {
    if (options.enough(savedTokens)) break;
    const content = messages[at.message].content as ContentBlockParam[];
    const result = content[at.block] as ToolResultBlock;
    const call = calls.get(result.tool_use_id);
    const images = Array.isArray(result.content) ? result.content.filter((part) => part.type === 'image').length : 0;
    const stub = clearedResultStub(call?.name ?? 'a tool', call ? options.describe(call) : '', images);
    const replaced: ToolResultBlock = { ...result, content: stub };
    const saved = Math.floor((blockChars(result) - blockChars(replaced)) * options.tokensPerChar) + imageTokensOf([{ role: 'user', content: [result] }]);
    // A result that costs no more than its stub stays.
    if (saved <= 0) continue;
    content[at.block] = replaced;
    savedTokens += saved;
    cleared++;
  }
  return { messages, cleared, savedTokens };
}

/** A block's characters as the estimate counts them: images by their pixels, not their data. */
function blockChars(block: ToolResultBlock): number {
  return messagesChars([{ role: 'user', content: [block] }]);
}
