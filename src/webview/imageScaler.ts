/**
 * An image the user pasted or dropped, made ready to send: decoded (a file that does not decode is
 * refused), scaled so its long edge is at most 1568 px (what the model sees; more costs tokens and
 * gains nothing), and re-encoded when it is over 3.75 MB. A PNG stays a PNG when it fits (screenshots
 * keep their sharp text); a photo that does not fits as WebP or JPEG at a lower quality, then smaller.
 * An image that needs neither goes as it is, its bytes untouched (an animated GIF keeps its frames;
 * one that must be scaled becomes a PNG of its first frame, and the user is told).
 */
import { MAX_IMAGE_EDGE, modelImageSize } from '../shared/imageInfo';

export const MAX_IMAGE_BYTES = 3_750_000;

type SupportedType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export type PreparedImage =
  | { ok: true; mediaType: SupportedType; data: string; width: number; height: number; note?: string }
  | { ok: false; reason: string };

/** The format by the file's first bytes, whatever its name or declared type says. */
export function sniffImageType(head: Uint8Array): SupportedType | 'unsupported' | undefined {
  const text = String.fromCharCode(...head.subarray(0, 12));
  if (text.startsWith('\x89PNG')) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (text.startsWith('GIF8')) return 'image/gif';
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') return 'image/webp';
  // BMP, TIFF, HEIC/AVIF, ICO, SVG: images, but not ones the model takes.
  if (text.startsWith('BM') || text.startsWith('II*') || text.startsWith('MM\x00*') || text.slice(4, 8) === 'ftyp' || text.startsWith('\x00\x00\x01\x00') || /^\s*<(\?xml|svg)/i.test(text)) return 'unsupported';
  return undefined;
}

export async function prepareImage(file: Blob): Promise<PreparedImage> {
  const type = sniffImageType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (type === undefined) return { ok: false, reason: 'it is not an image.' };
  if (type === 'unsupported') return { ok: false, reason: 'only PNG, JPEG, GIF and WebP images can be sent.' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, reason: 'it could not be read as an image: the file may be damaged.' };
  }
  try {
    const { width, height } = bitmap;
    if (Math.max(width, height) <= MAX_IMAGE_EDGE && file.size <= MAX_IMAGE_BYTES) {
      return { ok: true, mediaType: type, data: await base64Of(file), width, height };
    }
    const encoded = await reencode(bitmap, type);
    if (!encoded) return { ok: false, reason: `it could not be made smaller than ${MAX_IMAGE_BYTES / 1_000_000} MB.` };
    const note = type === 'image/gif' ? 'A GIF that had to be scaled is sent as a still image of its first frame.' : undefined;
    return { ok: true, ...encoded, ...(note ? { note } : {}) };
  } finally {
    bitmap.close();
  }
}

/** The encodings tried, best first, at each size: lossless for a PNG, then lossy at falling quality. */
function encodings(type: SupportedType): Array<{ mediaType: SupportedType; quality?: number }> {
  const lossy = [0.9, 0.8, 0.7, 0.55].flatMap((quality) => [{ mediaType: 'image/webp' as const, quality }, { mediaType: 'image/jpeg' as const, quality }]);
  return type === 'image/png' || type === 'image/gif' ? [{ mediaType: 'image/png' }, ...lossy] : lossy;
}

async function reencode(bitmap: ImageBitmap, type: SupportedType): Promise<{ mediaType: SupportedType; data: string; width: number; height: number } | undefined> {
  let size = modelImageSize(bitmap.width, bitmap.height);
  // Each round a quarter smaller, as long as the image stays useful.
  while (Math.max(size.width, size.height) >= 64) {
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    for (const { mediaType, quality } of encodings(type)) {
      context.clearRect(0, 0, size.width, size.height);
      // JPEG has no transparency: it would turn black.
      if (mediaType === 'image/jpeg') {
        context.fillStyle = '#fff';
        context.fillRect(0, 0, size.width, size.height);
      }
      context.drawImage(bitmap, 0, 0, size.width, size.height);
      const blob = await canvas.convertToBlob({ type: mediaType, quality });
      // A browser without a WebP encoder gives a PNG instead.
      if (blob.type !== mediaType || blob.size > MAX_IMAGE_BYTES) continue;
      return { mediaType, data: await base64Of(blob), ...size };
    }
    size = { width: Math.max(1, Math.round(size.width * 0.75)), height: Math.max(1, Math.round(size.height * 0.75)) };
  }
  return undefined;
}

async function base64Of(blob: Blob): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
  return url.slice(url.indexOf(',') + 1);
}
