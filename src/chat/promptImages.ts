/**
 * Images the user sends with a prompt: checked when the page hands them over (the page is not
 * trusted), named by their content, and sent as `image` blocks before the prompt's text.
 */
import { createHash } from 'node:crypto';
import type { ContentBlockParam, ImageBlock, ImageMediaType } from '../api/types';
import { checkBase64Image, MAX_API_IMAGE_BYTES } from '../shared/imageCheck';
import { MAX_IMAGE_EDGE } from '../shared/imageInfo';
import type { AttachmentView, ImageView } from '../shared/protocol';

export { MAX_IMAGES_PER_MESSAGE } from '../shared/imageCheck';

/** The most bytes of one image the API takes. */
export const MAX_IMAGE_BYTES = MAX_API_IMAGE_BYTES;

/** A prompt's image, with its data while the conversation is open (the saved file holds only `file`). */
export interface PromptImage extends ImageView {
  mediaType: ImageMediaType;
  /** Base64; empty when `missing`. */
  data: string;
}

const EXTENSIONS: Record<ImageMediaType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** An image file's name in the history: the SHA-256 of its bytes, so the same image is stored once. */
const IMAGE_FILE = /^[0-9a-f]{64}\.(png|jpg|gif|webp)$/;

export function isImageFileName(value: unknown): value is string {
  return typeof value === 'string' && IMAGE_FILE.test(value);
}

export function imageFileName(bytes: Uint8Array, mediaType: ImageMediaType): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSIONS[mediaType]}`;
}

export function mediaTypeOfFile(file: string): ImageMediaType | undefined {
  const extension = file.slice(file.lastIndexOf('.') + 1);
  return (Object.keys(EXTENSIONS) as ImageMediaType[]).find((type) => EXTENSIONS[type] === extension);
}

export type CheckedImage = { ok: true; image: PromptImage; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * An image from the page, if it is what the API takes: PNG, JPEG, GIF or WebP by its bytes (whatever
 * it claims), the type it was declared as, a long edge of at most 1568 px (the page scales to that),
 * and at most 3.75 MB.
 */
export function checkPageImage(name: string, declaredType: string, data: string): CheckedImage {
  const checked = checkBase64Image(data, declaredType, { maxSide: MAX_IMAGE_EDGE, maxBytes: MAX_IMAGE_BYTES });
  if (!checked.ok) return checked;
  const { info, bytes } = checked;
  const image: PromptImage = { file: imageFileName(bytes, info.mediaType), name, width: info.width, height: info.height, mediaType: info.mediaType, data };
  return { ok: true, image, bytes };
}

export function imageBlock(image: Pick<PromptImage, 'mediaType' | 'data'>): ImageBlock {
  return { type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.data } };
}

/** What the model is told in place of an image whose file was gone when the conversation was opened. */
export function missingImageNote(name: string): string {
  return `[The image "${name}" was sent here, but its file is no longer on disk.]`;
}

/** A prompt's content as sent: its images first (or a note for each missing one), then its text. */
export function userContent(text: string, images: readonly PromptImage[] | undefined): string | ContentBlockParam[] {
  if (!images || images.length === 0) return text;
  const blocks: ContentBlockParam[] = images.map((image) => (image.missing ? { type: 'text', text: missingImageNote(image.name) } : imageBlock(image)));
  return text.trim() === '' ? blocks : [...blocks, { type: 'text', text }];
}

/** What the view may see of an image: not its data. */
export function imageView({ file, name, width, height, missing }: PromptImage): ImageView {
  return { file, name, width, height, ...(missing ? { missing: true } : {}) };
}

/** An image waiting to be sent, as a chip; its id names it by its content. */
export function imageAttachmentView(image: PromptImage): AttachmentView {
  return { id: `image-${image.file}`, label: image.name, kind: 'image', image: imageView(image) };
}

/**
 * Images kept by their files only (a message queued before a reload), with their data read back;
 * `missing`: those whose file is gone.
 */
export async function readImagesBack(
  kept: readonly PromptImage[],
  read: (file: string) => Promise<Uint8Array | undefined>,
): Promise<{ found: PromptImage[]; missing: PromptImage[] }> {
  const found: PromptImage[] = [];
  const missing: PromptImage[] = [];
  for (const image of kept) {
    const bytes = await read(image.file).catch(() => undefined);
    if (bytes) found.push({ ...image, data: Buffer.from(bytes).toString('base64') });
    else missing.push(image);
  }
  return { found, missing };
}
