/**
 * What an image file is, read from its first bytes: the format and the size in pixels. Used to check
 * images before they are sent (the page's, a file `read_file` returns) and to estimate their tokens,
 * without decoding them.
 */
import type { ImageBlock, ImageMediaType } from '../api/types';

export interface ImageInfo {
  mediaType: ImageMediaType;
  width: number;
  height: number;
}

/** The long edge the model sees at most; a larger image is scaled down by the API and costs the same. */
export const MAX_IMAGE_EDGE = 1568;

/** An image's tokens are about its pixels / 750, once scaled to what the model sees (about 1,600 at most). */
const PIXELS_PER_TOKEN = 750;
const MAX_IMAGE_TOKENS = 1600;

/**
 * How far into a file the size is looked for. JPEG puts it after its metadata segments (EXIF, ICC
 * profiles); a quarter megabyte covers them in practice, and a file whose size is further in is
 * counted at the most an image can cost.
 */
const SNIFF_BYTES = 256 * 1024;

/** The format and size of an image in PNG, JPEG, GIF or WebP; undefined for anything else or a broken header. */
export function imageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const info = pngInfo(bytes) ?? gifInfo(bytes) ?? webpInfo(bytes) ?? jpegInfo(bytes);
  return info && info.width > 0 && info.height > 0 ? info : undefined;
}

/** The size the model works with: scaled down, keeping the aspect ratio, to a long edge of at most 1568 px. */
export function modelImageSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_IMAGE_EDGE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The estimated input tokens of an image of this size. */
export function imageTokens(width: number, height: number): number {
  const seen = modelImageSize(width, height);
  return Math.min(MAX_IMAGE_TOKENS, Math.ceil((seen.width * seen.height) / PIXELS_PER_TOKEN));
}

/** The estimated input tokens of an image block; one whose size cannot be read counts as the most an image costs. */
export function imageBlockTokens(block: ImageBlock): number {
  const info = imageBlockInfo(block);
  return info ? imageTokens(info.width, info.height) : MAX_IMAGE_TOKENS;
}

/** The format and size of an image block, read from the head of its data. */
export function imageBlockInfo(block: ImageBlock): ImageInfo | undefined {
  return imageInfo(decodeBase64(block.source.data.slice(0, Math.ceil(SNIFF_BYTES / 3) * 4)));
}

function decodeBase64(text: string): Uint8Array {
  // atob exists in Node and in the page; bad characters mean there is no image to size.
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  try {
    // Whole groups of four only: the rest of a cut-off head cannot be decoded and is not needed.
    const binary = atob(clean.slice(0, clean.length - (clean.length % 4)));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);

function pngInfo(b: Uint8Array): ImageInfo | undefined {
  // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
  if (b.length < 24 || !startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || !startsWith(b, ascii('IHDR'), 12)) return undefined;
  return { mediaType: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
}

function gifInfo(b: Uint8Array): ImageInfo | undefined {
  if (b.length < 10 || !(startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')))) return undefined;
  return { mediaType: 'image/gif', width: u16le(b, 6), height: u16le(b, 8) };
}

function webpInfo(b: Uint8Array): ImageInfo | undefined {
  if (b.length < 30 || !startsWith(b, ascii('RIFF')) || !startsWith(b, ascii('WEBP'), 8)) return undefined;
  const info = (width: number, height: number): ImageInfo => ({ mediaType: 'image/webp', width, height });
  // Lossy: a key frame's start code, then 14-bit width and height.
  if (startsWith(b, ascii('VP8 '), 12) && startsWith(b, [0x9d, 0x01, 0x2a], 23)) return info(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  // Lossless: a signature byte, then width - 1 and height - 1 in 14 bits each.
  if (startsWith(b, ascii('VP8L'), 12) && b[20] === 0x2f) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return info((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  // Extended: the canvas's width - 1 and height - 1 in 24 bits each.
  if (startsWith(b, ascii('VP8X'), 12)) return info(u24le(b, 24) + 1, u24le(b, 27) + 1);
  return undefined;
}

function jpegInfo(b: Uint8Array): ImageInfo | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    // Fill bytes before a marker, and markers without a length (restart markers, TEM).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16be(b, at + 2);
    if (length < 2) return undefined;
    // Start of frame (any of baseline, progressive, lossless…; C4, C8 and CC are other tables).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return undefined;
      return { mediaType: 'image/jpeg', width: u16be(b, at + 7), height: u16be(b, at + 5) };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    at += 2 + length;
  }
  return undefined;
}
