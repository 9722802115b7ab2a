import type { AttachmentView } from '../shared/protocol';
import type { PromptImage } from './promptImages';
import { describeLines, describeSource, fencedCode, type Prompt, type Selection } from './prompts';

/**
 * The most of one attachment that is sent: about 30K tokens, a sixth of the context window, so a few
 * files still leave room for the conversation. Longer text is cut at a line, with a note.
 */
export const MAX_ATTACHMENT_CHARS = 100_000;

/** Code attached to the next prompt, read when it was attached. */
export interface Attachment {
  id: string;
  kind: 'file' | 'selection';
  source: Selection;
  /** Set when the text was longer than `MAX_ATTACHMENT_CHARS`: what the model is told about the cut. */
  cutNote?: string;
  /** What the chip and the bubble call it, in place of the path (an @-mention: `@problems`). */
  label?: string;
  /** What the model is told it is, in place of the path and lines (`the workspace's errors and warnings`). */
  description?: string;
}

/**
 * Whether text read from a file is binary: a NUL character, or many characters that could not be
 * decoded (each becomes U+FFFD), in its first 8K characters.
 */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  const undecodable = head.split('\uFFFD').length - 1;
  return head.length > 0 && undecodable / head.length > 0.1;
}

/** `source` cut to `MAX_ATTACHMENT_CHARS` at a line break, with the note saying so. */
export function capAttachment(source: Selection): { source: Selection; cutNote?: string } {
  if (source.code.length <= MAX_ATTACHMENT_CHARS) return { source };
  const lastBreak = source.code.lastIndexOf('\n', MAX_ATTACHMENT_CHARS);
  const code = source.code.slice(0, lastBreak > 0 ? lastBreak + 1 : MAX_ATTACHMENT_CHARS);
  const keptLines = code.split('\n').length - (code.endsWith('\n') ? 1 : 0);
  const endLine = source.startLine + keptLines - 1;
  const cutNote =
    `Only ${describeLines(source.startLine, endLine)} of ${describeLines(source.startLine, source.endLine)} are included: ` +
    `the rest is over the ${MAX_ATTACHMENT_CHARS.toLocaleString('en-US')}-character limit for an attachment.`;
  return { source: { ...source, code, endLine }, cutNote };
}

export function attachmentView(attachment: Attachment): AttachmentView {
  return { id: attachment.id, label: attachmentLabel(attachment), kind: attachment.kind };
}

/** The chip's text: `src/app.ts` for a file, `src/app.ts:12-30` for a selection. */
export function attachmentLabel({ kind, source, cutNote, label: named }: Attachment): string {
  if (named !== undefined) return cutNote ? `${named} (cut)` : named;
  const lines = source.startLine === source.endLine ? `${source.startLine}` : `${source.startLine}-${source.endLine}`;
  const label = kind === 'file' ? source.path : `${source.path}:${lines}`;
  return cutNote ? `${label} (first ${source.endLine - source.startLine + 1} lines)` : label;
}

/**
 * The prompt with its attachments: the request carries the code first and the question last (the
 * order that works best for long context); the bubble shows the question and compact references.
 */
export function promptWithAttachments(text: string, attachments: readonly Attachment[], images: readonly PromptImage[] = []): Prompt {
  const withImages = images.length > 0 ? { images: [...images] } : {};
  if (attachments.length === 0) return { text, content: text, ...withImages };
  const quoted = attachments.map(({ source, cutNote, description }) => {
    const quote = `Attached ${description ?? describeSource(source)}:\n${fencedCode(source)}`;
    return cutNote ? `${quote}\n(${cutNote})` : quote;
  });
  const references = `Attached: ${attachments.map((attachment) => `\`${attachmentLabel(attachment)}\``).join(', ')}`;
  const { path, languageId, startLine, endLine } = attachments[0].source;
  return {
    text: text.trim() === '' ? references : `${text}\n\n${references}`,
    content: [...quoted, text].join('\n\n').trim(),
    // One attachment is named in the bubble's tooltip, as Explain Selection's code is.
    ...(attachments.length === 1 ? { reference: { path, languageId, startLine, endLine } } : {}),
    ...withImages,
  };
}

/** The attachments waiting for the next prompt. */
export class AttachmentTray {
  private items: Attachment[] = [];
  private nextId = 1;

  get attachments(): readonly Attachment[] {
    return this.items;
  }

  /** Adds `source` (cut if too long); attaching the same code again replaces it with what it is now. */
  add(kind: Attachment['kind'], source: Selection): Attachment {
    const capped = capAttachment(source);
    const same = this.items.findIndex(
      (item) => item.kind === kind && item.source.path === source.path && (kind === 'file' || sameLines(item.source, source)),
    );
    const attachment: Attachment = { id: same >= 0 ? this.items[same].id : `attachment-${this.nextId++}`, kind, ...capped };
    if (same >= 0) this.items[same] = attachment;
    else this.items.push(attachment);
    return attachment;
  }

  remove(id: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.id !== id);
    return this.items.length !== before;
  }

  clear(): void {
    this.items = [];
  }

  /** Puts back attachments taken out with a prompt that was not sent after all, before any added since. */
  restore(attachments: readonly Attachment[]): void {
    const restored = attachments.filter((attachment) => !this.items.some((item) => item.id === attachment.id));
    this.items = [...restored, ...this.items];
    // Attachments of a window before a reload: ids attached from now on must not repeat theirs.
    for (const { id } of restored) this.nextId = Math.max(this.nextId, Number(/^attachment-(\d+)$/.exec(id)?.[1] ?? 0) + 1);
  }

  view(): AttachmentView[] {
    return this.items.map(attachmentView);
  }
}

function sameLines(a: Selection, b: Selection): boolean {
  return a.startLine === b.startLine && a.endLine === b.endLine;
}
