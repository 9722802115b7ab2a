/**
 * Token counts for VS Code's language model API: the estimate the context window uses (characters of
 * the request as sent, times the usual density), the provider having no token counting. Images count
 * by their size, as the API bills them, not by their base64.
 */
import type { ContentBlockParam } from '../api/types';
import { DEFAULT_TOKENS_PER_CHAR } from '../chat/contextWindow';
import { imageBlockTokens } from '../shared/imageInfo';
import { messageBlocks, type PlainMessage } from './requestMapping';
import { ToolNames } from './toolNames';

export function textTokens(text: string): number {
  return Math.ceil(text.length * DEFAULT_TOKENS_PER_CHAR);
}

export function messageTokens(message: PlainMessage): number {
  if (message.role === 'system') return textTokens(message.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
  let chars = 0;
  let images = 0;
  const count = (blocks: ContentBlockParam[]) => {
    for (const block of blocks) {
      if (block.type === 'image') images += imageBlockTokens(block);
      else if (block.type === 'tool_result' && Array.isArray(block.content)) {
        const { content, ...rest } = block;
        chars += JSON.stringify(rest).length;
        count(content);
      } else chars += JSON.stringify(block).length;
    }
  };
  count(messageBlocks(message.role, message.parts, new ToolNames([]), []));
  return Math.ceil(chars * DEFAULT_TOKENS_PER_CHAR) + images;
}
