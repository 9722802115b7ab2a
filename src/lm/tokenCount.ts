/**
 * Token counts for VS Code's language model API: the estimate the context window uses (characters of
 * the request as sent, times the usual density), the provider having no token counting.
 */
import { DEFAULT_TOKENS_PER_CHAR } from '../chat/contextWindow';
import { messageBlocks, type PlainMessage } from './requestMapping';
import { ToolNames } from './toolNames';

/**
 * What one image costs until `imageTokens` (width × height / 750) is in `src/shared/imageInfo.ts`:
 * the cost of an image at the API's largest size without resizing, about 1.15 megapixels.
 */
export const IMAGE_TOKENS = 1_600;

export function textTokens(text: string): number {
  return Math.ceil(text.length * DEFAULT_TOKENS_PER_CHAR);
}

/** A message's tokens: its blocks as JSON, images at their own rate (their base64 is not read as text). */
export function messageTokens(message: PlainMessage): number {
  const blocks = message.role === 'system' ? [] : messageBlocks(message.role, message.parts, new ToolNames([]), []);
  let chars = message.role === 'system' ? message.parts.reduce((sum, part) => sum + (part.kind === 'text' ? part.text.length : 0), 0) : 0;
  let images = 0;
  for (const block of blocks) {
    if (block.type === 'image') {
      images++;
      continue;
    }
    if (block.type === 'tool_result' && Array.isArray(block.content)) {
      const text = block.content.filter((inner) => inner.type !== 'image');
      images += block.content.length - text.length;
      chars += JSON.stringify({ ...block, content: text }).length;
      continue;
    }
    chars += JSON.stringify(block).length;
  }
  return Math.ceil(chars * DEFAULT_TOKENS_PER_CHAR) + images * IMAGE_TOKENS;
}
