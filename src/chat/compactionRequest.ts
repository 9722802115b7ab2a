/**
 * The summary request of a compaction: the turns it covers (with the earlier summary, if any) as a
 * plain transcript, then what to keep. A transcript, not the messages themselves: no tools are
 * offered, and a `tool_use` of a tool not declared would be rejected; long tool results are cut, since
 * the summary names what was read, it does not repeat it.
 */
import type { ContentBlockParam, MessageParam, MessageRequest } from '../api/types';
import { inputBudget, requestChars, tokensPerChar, type TokenCalibration } from './contextWindow';
import { SUMMARY_ACKNOWLEDGED, SUMMARY_PREFIX } from './compaction';
import { COMPACTION_INSTRUCTION, COMPACTION_SYSTEM_PROMPT } from './prompts';

/** The summary's own bound: it replaces up to the window's threshold, and must stay much smaller. */
export const SUMMARY_MAX_TOKENS = 4096;

/** How much of one tool result (or one call's input) the transcript keeps. */
const MAX_TOOL_TEXT = 2000;

const LEFT_OUT = '[Earlier part of the conversation left out: it did not fit in one request.]';

export function summaryRequest(model: string, covered: readonly MessageParam[], calibration?: TokenCalibration): MessageRequest {
  const entries = covered.flatMap(transcriptEntries);
  const request = (parts: string[]): MessageRequest => ({
    model,
    max_tokens: SUMMARY_MAX_TOKENS,
    system: COMPACTION_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: `<conversation>\n${parts.join('\n\n')}\n</conversation>\n\n${COMPACTION_INSTRUCTION}` }],
  });
  // A history that grew past the window without compaction (automatic compaction off) is cut at its start.
  const budget = inputBudget(SUMMARY_MAX_TOKENS);
  const density = tokensPerChar(calibration);
  let first = 0;
  let built = request(entries);
  while (Math.ceil(requestChars(built) * density) > budget && first < entries.length - 1) built = request([LEFT_OUT, ...entries.slice(++first)]);
  return built;
}

/** The summary the model wrote, from its answer's text blocks. */
export function summaryText(content: ReadonlyArray<{ type: string; text?: string }>): string {
  return content
    .flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []))
    .join('')
    .trim();
}

function transcriptEntries(message: MessageParam): string[] {
  if (typeof message.content === 'string') return [labelled(message.role, message.content)];
  return message.content.flatMap((block) => blockEntry(message.role, block));
}

function labelled(role: MessageParam['role'], text: string): string {
  if (role === 'user' && text.startsWith(SUMMARY_PREFIX)) return `Earlier summary:\n${text.slice(SUMMARY_PREFIX.length)}`;
  if (role === 'assistant' && text === SUMMARY_ACKNOWLEDGED) return '';
  return `${role === 'user' ? 'User' : 'Assistant'}: ${text}`;
}

function blockEntry(role: MessageParam['role'], block: ContentBlockParam): string[] {
  switch (block.type) {
    case 'text':
      return block.text.trim() === '' ? [] : [labelled(role, block.text)];
    case 'tool_use':
      return [`Assistant called ${block.name}: ${cut(JSON.stringify(block.input))}`];
    case 'tool_result': {
      const text = typeof block.content === 'string' ? block.content : block.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
      return [`Result of that call${block.is_error ? ' (error)' : ''}: ${cut(text)}`];
    }
    case 'image':
      return [`${role === 'user' ? 'User' : 'Assistant'}: [image]`];
    default:
      // Thinking stays out: the summary is of what was said and done.
      return [];
  }
}

function cut(text: string): string {
  return text.length <= MAX_TOOL_TEXT ? text : `${text.slice(0, MAX_TOOL_TEXT)}… [${text.length - MAX_TOOL_TEXT} more characters]`;
}
