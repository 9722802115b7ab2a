/**
 * The one check of an image before it goes to the API, whoever made it (the page, `read_file`, an MCP
 * server, a VS Code tool, a language model caller): base64, a PNG, JPEG, GIF or WebP by its bytes and
 * of the type it claims, and within the size given. The API answers 400 to anything else, and the
 * whole turn fails, so an image that fails is left out with the reason instead.
 */
import type { ImageMediaType } from '../api/types';
import { imageInfo, type ImageInfo } from './imageInfo';

/** The API's limits for one image: its bytes (3.75 MB decoded, 5 MB as base64), and its pixels on either side. */
export const MAX_API_IMAGE_BYTES = 3_750_000;
export const MAX_API_IMAGE_SIDE = 8000;

/** The most images one message may carry: the page stops at it, and the host checks it again. */
export const MAX_IMAGES_PER_MESSAGE = 20;

export interface ImageLimits {
  /** The most pixels on the long edge. */
  maxSide: number;
  maxBytes: number;
}

export const API_IMAGE_LIMITS: ImageLimits = { maxSide: MAX_API_IMAGE_SIDE, maxBytes: MAX_API_IMAGE_BYTES };

export const FORMAT_NAMES: Record<ImageMediaType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

export type ImageCheck = { ok: true; info: ImageInfo; bytes: Uint8Array } | { ok: false; reason: string };

/** `image/JPG; q=1` and `image/jpeg` are one type. */
export function normalMediaType(declared: string): string {
  const type = declared.toLowerCase().split(';')[0].trim();
  return type === 'image/jpg' ? 'image/jpeg' : type;
}

/** Base64 `data` checked as an image declared as `declaredType`; `reason` completes "… was left out: ". */
export function checkBase64Image(data: string, declaredType: string, limits: ImageLimits = API_IMAGE_LIMITS): ImageCheck {
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return { ok: false, reason: 'its data is not base64.' };
  return checkImageBytes(Buffer.from(data, 'base64'), declaredType, limits);
}

/** `bytes` checked as an image declared as `declaredType` (undefined: whatever image they are). */
export function checkImageBytes(bytes: Uint8Array, declaredType: string | undefined, limits: ImageLimits = API_IMAGE_LIMITS): ImageCheck {
  const info = imageInfo(bytes);
  if (!info) return { ok: false, reason: 'it is not a PNG, JPEG, GIF or WebP image, or it is damaged.' };
  if (declaredType !== undefined && info.mediaType !== normalMediaType(declaredType)) {
    return { ok: false, reason: `it was sent as ${declaredType || 'an unknown type'}, but it is ${info.mediaType}.` };
  }
  if (Math.max(info.width, info.height) > limits.maxSide) {
    return { ok: false, reason: `it is ${info.width}×${info.height} pixels; at most ${limits.maxSide} on its long edge are sent.` };
  }
  if (bytes.length > limits.maxBytes) return { ok: false, reason: `it is ${megabytes(bytes.length)}; at most ${megabytes(limits.maxBytes)} are sent.` };
  return { ok: true, info, bytes };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** What the model reads in place of an image that failed the check. */
export function imageLeftOutNote(what: string, reason: string): string {
  return `[${what} was left out: ${reason}]`;
}
