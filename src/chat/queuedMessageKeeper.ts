import type { Attachment } from './attachments';
import { isImageFileName, mediaTypeOfFile, type PromptImage } from './promptImages';
import { joinPrompts, type QueuedPrompt } from './promptQueue';

/** Where the queued message is kept: one string per window (see `fileMemory`). */
export interface StringMemory {
  recall(): Promise<string | undefined>;
  remember(value: string): Promise<void>;
}

function isAttachment(value: unknown): value is Attachment {
  const attachment = value as Partial<Attachment> | null;
  const source = attachment?.source;
  return (
    typeof attachment?.id === 'string' &&
    (attachment.kind === 'file' || attachment.kind === 'selection') &&
    (attachment.cutNote === undefined || typeof attachment.cutNote === 'string') &&
    typeof source?.code === 'string' &&
    typeof source.path === 'string' &&
    typeof source.languageId === 'string' &&
    Number.isInteger(source.startLine) &&
    Number.isInteger(source.endLine)
  );
}

/** An image as remembered: its file (stored when it was attached), name and size, not its data. */
function parseImage(value: unknown): PromptImage | undefined {
  const image = value as Partial<PromptImage> | null;
  const mediaType = isImageFileName(image?.file) ? mediaTypeOfFile(image.file) : undefined;
  if (!image || !mediaType || typeof image.name !== 'string' || !Number.isInteger(image.width) || !Number.isInteger(image.height)) return undefined;
  return { file: image.file!, name: image.name, width: image.width!, height: image.height!, mediaType, data: '' };
}

/**
 * What was remembered: `{text, attachments}`; plain text as an earlier version kept it. Attachments
 * that are not well-formed are left out, not the text.
 */
export function parseQueuedPrompt(stored: string | undefined): QueuedPrompt | undefined {
  if (stored === undefined || stored === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { text: stored, attachments: [] };
  }
  const record = parsed as { text?: unknown; attachments?: unknown; images?: unknown } | null;
  if (typeof record?.text !== 'string') return { text: stored, attachments: [] };
  const attachments = Array.isArray(record.attachments) ? record.attachments.filter(isAttachment) : [];
  // Their data is read again from their files (see `session.ts`).
  const images = Array.isArray(record.images) ? record.images.map(parseImage).filter((image) => image !== undefined) : [];
  if (record.text === '' && attachments.length === 0 && images.length === 0) return undefined;
  return { text: record.text, attachments, ...(images.length > 0 ? { images } : {}) };
}

/**
 * The queued message, with its attachments, through a window reload: remembered whenever the queue
 * changes; after a reload, recalled for the input box and forgotten only once the view has it in its
 * draft (`taken`). Until then it is remembered together with any message queued since, so a second
 * reload loses neither.
 */
export class QueuedMessageKeeper {
  private queued: QueuedPrompt | undefined;
  private recalled: QueuedPrompt | undefined;
  /** Saves wait for the recall: a save before it would overwrite what the last window left. */
  private recalling: Promise<unknown> = Promise.resolve();

  constructor(private readonly memory: StringMemory) {}

  /** What the last window left unsent, if anything; it stays remembered until `taken`. */
  recall(): Promise<QueuedPrompt | undefined> {
    const recall = this.memory.recall().then((stored) => (this.recalled = parseQueuedPrompt(stored)));
    this.recalling = recall.catch(() => undefined);
    return recall.catch(() => undefined);
  }

  /** The controller's queue changed (undefined: sent or cancelled). */
  queueChanged(queued: QueuedPrompt | undefined): Promise<void> {
    this.queued = queued;
    return this.save();
  }

  /** The image files of the queued message and of the one recalled after a reload (until the view has it). */
  imageFiles(): string[] {
    return [...(this.queued?.images ?? []), ...(this.recalled?.images ?? [])].map((image) => image.file);
  }

  /** The view has the recalled message in its draft. */
  taken(): Promise<void> {
    this.recalled = undefined;
    return this.save();
  }

  private save(): Promise<void> {
    return this.recalling.then(() => {
      const kept = this.recalled && this.queued ? joinPrompts(this.recalled, this.queued) : (this.recalled ?? this.queued);
      return this.memory.remember(kept ? JSON.stringify(withoutImageData(kept)) : '');
    });
  }
}

/** The images by their files only: their data is on disk already, and megabytes of it have no place in a window's memory. */
function withoutImageData(queued: QueuedPrompt): QueuedPrompt {
  return queued.images ? { ...queued, images: queued.images.map((image) => ({ ...image, data: '' })) } : queued;
}
