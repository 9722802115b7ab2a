/** `read_file` on an image: the picture itself for the model, within what the API takes. */
import { imageInfo } from '../shared/imageInfo';
import { ToolError, type ToolOutcome } from './types';

/** The API's limits for one image: its bytes, and its pixels on either side. */
export const MAX_TOOL_IMAGE_BYTES = 3_750_000;
export const MAX_TOOL_IMAGE_SIDE = 8000;

const FORMAT_NAMES = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' } as const;

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
  if (info.width > MAX_TOOL_IMAGE_SIDE || info.height > MAX_TOOL_IMAGE_SIDE) {
    throw new ToolError(`The image ${described} is larger than the ${MAX_TOOL_IMAGE_SIDE} pixels a side the model can take; it cannot be scaled here. Ask the user to attach a smaller copy.`);
  }
  if (bytes.length > MAX_TOOL_IMAGE_BYTES) {
    throw new ToolError(`The image ${described} is ${(bytes.length / 1_000_000).toFixed(1)} MB, more than the ${MAX_TOOL_IMAGE_BYTES / 1_000_000} MB the model can take; it cannot be re-encoded here. Ask the user to attach it (the chat scales pasted images).`);
  }
  const data = Buffer.from(bytes).toString('base64');
  return { content: `Image ${described}`, status: 'done', summary: `Image ${info.width}x${info.height} ${FORMAT_NAMES[info.mediaType]}`, images: [{ type: 'image', source: { type: 'base64', media_type: info.mediaType, data } }] };
}
