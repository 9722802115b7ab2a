/**
 * Images in a saved conversation: kept as files beside it (see `HistoryStore`), named by their
 * content, and referred to from the JSON, which never holds their data. Read back when the
 * conversation is opened; one whose file is gone becomes a note to the model and "image missing" in
 * the view, never a failed request.
 */
import type { ContentBlockParam, ImageBlock, ImageMediaType, MessageParam } from '../api/types';
import type { Conversation } from './conversation';
import { imageFileName, isImageFileName, mediaTypeOfFile, missingImageNote } from './promptImages';

/** How a saved conversation refers to an image's file. */
interface SavedImageBlock {
  type: 'image';
  source: { type: 'file'; file: string; media_type: ImageMediaType };
}

/** Each image block's file name, computed once per block (hashing a few MB on every save would add up). */
const fileOfBlock = new WeakMap<ImageBlock, string>();

export function imageFileOfBlock(block: ImageBlock): string {
  let file = fileOfBlock.get(block);
  if (file === undefined) {
    file = imageFileName(Buffer.from(block.source.data, 'base64'), block.source.media_type);
    fileOfBlock.set(block, file);
  }
  return file;
}

/** The messages as saved: each image's data replaced by its file's name; `files` gets each file's data (base64). */
export function messagesToSave(messages: readonly MessageParam[], files: Map<string, string>): MessageParam[] {
  return messages.map((message) => (typeof message.content === 'string' ? message : { ...message, content: message.content.map((block) => blockToSave(block, files)) }));
}

function blockToSave(block: ContentBlockParam, files: Map<string, string>): ContentBlockParam {
  if (block.type === 'image' && block.source.type === 'base64') {
    const file = imageFileOfBlock(block);
    files.set(file, block.source.data);
    const saved: SavedImageBlock = { type: 'image', source: { type: 'file', file, media_type: block.source.media_type } };
    return saved as unknown as ContentBlockParam;
  }
  if (block.type === 'tool_result' && Array.isArray(block.content)) {
    return { ...block, content: block.content.map((inner) => blockToSave(inner, files) as typeof inner) };
  }
  return block;
}

/** The image files a saved conversation's text refers to. */
export function imageFilesIn(savedText: string): Set<string> {
  return new Set(savedText.match(/[0-9a-f]{64}\.(?:png|jpg|gif|webp)/g) ?? []);
}

/**
 * Puts the images' data back into a conversation read from the history, reading each file once
 * (`read` gives its base64, undefined when it is gone).
 */
export async function restoreImages(conversation: Conversation, read: (file: string) => Promise<string | undefined>): Promise<void> {
  const cache = new Map<string, Promise<string | undefined>>();
  const data = (file: string) => {
    if (!isImageFileName(file)) return Promise.resolve(undefined);
    if (!cache.has(file)) cache.set(file, read(file).catch(() => undefined));
    return cache.get(file)!;
  };
  for (const turn of conversation.turns) {
    for (const image of turn.prompt.images ?? []) {
      const found = await data(image.file);
      if (found === undefined) image.missing = true;
      else image.data = found;
    }
  }
  // The image's name, for the note, where a prompt knows it.
  const names = new Map(conversation.turns.flatMap((turn) => (turn.prompt.images ?? []).map((image) => [image.file, image.name] as const)));
  const restore = async (block: ContentBlockParam): Promise<ContentBlockParam> => {
    const saved = block as unknown as SavedImageBlock;
    if (saved.type === 'image' && saved.source?.type === 'file') {
      const file = String(saved.source.file);
      const found = await data(file);
      const mediaType = mediaTypeOfFile(file);
      if (found === undefined || !mediaType) return { type: 'text', text: missingImageNote(names.get(file) ?? file) };
      return { type: 'image', source: { type: 'base64', media_type: mediaType, data: found } };
    }
    if (block.type === 'tool_result' && Array.isArray(block.content)) {
      const content: typeof block.content = [];
      // Only text and image blocks go in, and `restore` makes text or image blocks of those.
      for (const inner of block.content) content.push((await restore(inner)) as (typeof content)[number]);
      return { ...block, content };
    }
    return block;
  };
  for (const message of conversation.messages) {
    if (typeof message.content === 'string') continue;
    for (let i = 0; i < message.content.length; i++) message.content[i] = await restore(message.content[i]);
  }
}
