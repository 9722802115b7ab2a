import type { Attachment } from './attachments';
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
  const record = parsed as { text?: unknown; attachments?: unknown } | null;
  if (typeof record?.text !== 'string') return { text: stored, attachments: [] };
  const attachments = Array.isArray(record.attachments) ? record.attachments.filter(isAttachment) : [];
  return record.text === '' && attachments.length === 0 ? undefined : { text: record.text, attachments };
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

  /** The view has the recalled message in its draft. */
  taken(): Promise<void> {
    this.recalled = undefined;
    return this.save();
  }

  private save(): Promise<void> {
    return this.recalling.then(() => {
      const kept = this.recalled && this.queued ? joinPrompts(this.recalled, this.queued) : (this.recalled ?? this.queued);
      return this.memory.remember(kept ? JSON.stringify(kept) : '');
    });
  }
}
