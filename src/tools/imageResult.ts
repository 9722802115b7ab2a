/** `read_file` on an image: the picture itself for the model, within what the API takes. */
import { checkImageBytes, FORMAT_NAMES } from '../shared/imageCheck';
import { imageInfo } from '../shared/imageInfo';
import { ToolError, type ToolOutcome } from './types';

/** Whether a file's first bytes are those of a PNG, JPEG, GIF or WebP (the rest is read only then). */
export function hasImageSignature(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 12));
  return text.startsWith('\x89PNG') || text.startsWith('GIF8') || (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') || (head[0] === 0xff && head[1] === 0xd8);
}

/**
 * The outcome of reading `bytes` at `display`, if they are an image: its block, and a line of text
 * naming it; a `ToolError` when it is beyond the API's limits (the host has no decoder to scale it).
 */
export function imageOutcome(display: string, bytes: Uint8Array): ToolOutcome | undefined {
  const info = imageInfo(bytes);
  if (!info) return undefined;
  const described = `${display}, ${info.width}x${info.height} ${FORMAT_NAMES[info.mediaType]}`;
  const checked = checkImageBytes(bytes, undefined);
  if (!checked.ok) {
    throw new ToolError(`The image ${described} cannot be shown to the model: ${checked.reason} It cannot be scaled or re-encoded here; ask the user to attach a smaller copy (the chat scales pasted images).`);
  }
  const data = Buffer.from(bytes).toString('base64');
  return { content: `Image ${described}`, status: 'done', summary: `Image ${info.width}x${info.height} ${FORMAT_NAMES[info.mediaType]}`, images: [{ type: 'image', source: { type: 'base64', media_type: info.mediaType, data } }] };
}
