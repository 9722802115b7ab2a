/**
 * The Messages API refuses a request of more than 100 images, and a prompt's images are sent again
 * with every later turn: beyond that, the oldest are replaced in what is sent by a short note (the
 * conversation and its cards keep them).
 */
import type { ContentBlockParam, ImageBlock, MessageParam } from '../api/types';
import { imageBlockInfo } from '../shared/imageInfo';
import { imageBlocksIn } from './contextWindow';

export const MAX_IMAGES_PER_REQUEST = 100;

function leftOutImageNote(block: ImageBlock): string {
  const info = imageBlockInfo(block);
  const what = info ? `an image of ${info.width}×${info.height}` : 'an image';
  return `[${what} left out: a request holds at most ${MAX_IMAGES_PER_REQUEST} images]`;
}

export interface LimitedImages {
  /** As many messages as given, in the same order; those holding a left-out image are copies. */
  messages: MessageParam[];
  leftOut: number;
}

/** `messages` with their oldest images beyond the limit replaced by a note; tool results stay where they are. */
export function limitImages(messages: readonly MessageParam[]): LimitedImages {
  let excess = imageBlocksIn(messages).length - MAX_IMAGES_PER_REQUEST;
  if (excess <= 0) return { messages: [...messages], leftOut: 0 };
  const leftOut = excess;
  const replace = <T extends ContentBlockParam>(block: T): T | { type: 'text'; text: string } => {
    if (excess <= 0 || block.type !== 'image') return block;
    excess--;
    return { type: 'text', text: leftOutImageNote(block) };
  };
  const limited = messages.map((message): MessageParam => {
    if (excess <= 0 || typeof message.content === 'string') return message;
    const content = message.content.map((block): ContentBlockParam => {
      if (block.type !== 'tool_result' || !Array.isArray(block.content)) return replace(block);
      return { ...block, content: block.content.map((part) => replace(part)) };
    });
    return { ...message, content };
  });
  return { messages: limited, leftOut };
}

/** What the user is told about the images left out. */
export function leftOutImagesNote(count: number): string {
  return count === 1
    ? `1 earlier image was left out of the request: it holds at most ${MAX_IMAGES_PER_REQUEST}.`
    : `${count} earlier images were left out of the request: it holds at most ${MAX_IMAGES_PER_REQUEST}.`;
}
