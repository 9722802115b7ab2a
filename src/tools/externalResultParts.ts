/**
 * A VS Code tool's result (`LanguageModelToolResult.content`) as the model reads it, from the parts
 * told apart in `vscode/vscodeTools.ts`: text as is; data parts that are images as images, JSON and
 * text as text; prompt-tsx parts as the text they hold, or a note when they hold none.
 */
import type { ImageBlock } from '../api/types';
import { checkImageBytes, imageLeftOutNote } from '../shared/imageCheck';
import type { ExternalResult } from './externalTools';

export type ResultPart =
  | { kind: 'text'; value: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'promptTsx'; value: unknown }
  | { kind: 'other' };

export function externalResultOf(parts: readonly ResultPart[]): ExternalResult {
  const texts: string[] = [];
  const images: ImageBlock[] = [];
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        texts.push(part.value);
        break;
      case 'data':
        if (part.mimeType.toLowerCase().startsWith('image/')) {
          // Checked like any image: one the API would refuse would fail the whole turn.
          const checked = checkImageBytes(part.data, part.mimeType);
          if (checked.ok) images.push({ type: 'image', source: { type: 'base64', media_type: checked.info.mediaType, data: Buffer.from(part.data).toString('base64') } });
          else texts.push(imageLeftOutNote(`An image of type ${part.mimeType} from the tool`, checked.reason));
        } else if (part.mimeType === 'application/json' || part.mimeType.startsWith('text/') || part.mimeType.endsWith('+json')) {
          texts.push(new TextDecoder().decode(part.data));
        } else {
          texts.push(`[The tool also returned ${part.data.length} bytes of ${part.mimeType}, which cannot be shown here.]`);
        }
        break;
      case 'promptTsx': {
        const text = textsIn(part.value).join('');
        texts.push(text === '' ? '[The tool returned a prompt-tsx part with no text in it.]' : text);
        break;
      }
      case 'other':
        texts.push('[The tool returned a part of a kind that cannot be shown here.]');
    }
  }
  return { text: texts.join('\n'), images, isError: false };
}

/** The strings under `text` keys of a prompt-tsx tree (its text chunks), in order. */
function textsIn(node: unknown, depth = 0): string[] {
  if (depth > 64 || node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((child) => textsIn(child, depth + 1));
  return Object.entries(node).flatMap(([key, value]) => (key === 'text' && typeof value === 'string' ? [value] : textsIn(value, depth + 1)));
}
