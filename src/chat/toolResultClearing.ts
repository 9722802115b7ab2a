/**
 * Within one long turn: the oldest tool results of the turn, beyond the latest few, replaced in what
 * is sent by a short stub that says what was there. Every `tool_use` keeps its `tool_result` (with
 * `is_error` as it was); the view's cards keep the real results.
 */
import type { ContentBlockParam, MessageParam, ToolResultBlock, ToolUseBlock } from '../api/types';

/** The latest results of a turn that are always sent whole: what the model is working with now. */
export const KEEP_LATEST_TOOL_RESULTS = 3;

export function clearedResultStub(name: string, summary: string): string {
  const what = summary.trim() === '' ? name : `${name} ${summary.trim()}`;
  return `[result of ${what} cleared to save context: ask again if needed]`;
}

export interface ClearingOptions {
  keepLatest: number;
  /** The call's summary for its stub, e.g. `src/a.ts` for read_file. */
  describe(call: ToolUseBlock): string;
  /** Whether `savedChars` fewer characters is enough; asked after each result cleared. */
  enough(savedChars: number): boolean;
}

export interface ClearedMessages {
  messages: MessageParam[];
  cleared: number;
  savedChars: number;
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
  let savedChars = 0;
  let cleared = 0;
  for (const at of results.slice(0, Math.max(0, results.length - options.keepLatest))) {
    if (options.enough(savedChars)) break;
    const content = messages[at.message].content as ContentBlockParam[];
    const result = content[at.block] as ToolResultBlock;
    const call = calls.get(result.tool_use_id);
    const stub = clearedResultStub(call?.name ?? 'a tool', call ? options.describe(call) : '');
    const replaced: ToolResultBlock = { ...result, content: stub };
    const saved = JSON.stringify(result).length - JSON.stringify(replaced).length;
    // A result shorter than its stub stays.
    if (saved <= 0) continue;
    content[at.block] = replaced;
    savedChars += saved;
    cleared++;
  }
  return { messages, cleared, savedChars };
}
