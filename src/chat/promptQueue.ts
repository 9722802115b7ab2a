import type { QueuedView } from '../shared/protocol';
import { attachmentView, type Attachment } from './attachments';
import { imageAttachmentView, MAX_IMAGES_PER_MESSAGE, type PromptImage } from './promptImages';

/** A message written while an answer streams, with the attachments it was sent with. */
export interface QueuedPrompt {
  text: string;
  attachments: readonly Attachment[];
  images?: readonly PromptImage[];
}

/** `after` added to `before`: its text after a blank line, its attachments not already there. */
export function joinPrompts(before: QueuedPrompt | undefined, after: QueuedPrompt): QueuedPrompt {
  const added = after.attachments.filter((attachment) => !before?.attachments.some((kept) => kept.id === attachment.id));
  // The same image twice is sent once. Nothing is cut here: `PromptQueue.add` refuses what would pass the limit.
  const images = [...(before?.images ?? []), ...(after.images ?? [])].filter((image, i, all) => all.findIndex((other) => other.file === image.file) === i);
  return {
    text: before && before.text.trim() !== '' && after.text.trim() !== '' ? `${before.text}\n\n${after.text}` : `${before?.text ?? ''}${after.text}`,
    attachments: [...(before?.attachments ?? []), ...added],
    ...(images.length > 0 ? { images } : {}),
  };
}

/**
 * The one message waiting for the answer that streams to end. Another one sent meanwhile is added to
 * it (after a blank line, its attachments too) rather than replacing it, so nothing typed is lost.
 */
export class PromptQueue {
  private queued: (QueuedPrompt & { held?: string }) | undefined;

  get waiting(): boolean {
    return this.queued !== undefined;
  }

  /** Held after an answer that stopped or failed: it waits for the user, not for the next answer. */
  get held(): boolean {
    return this.queued?.held !== undefined;
  }

  /**
   * Adds a message to the queued one; why not, leaving the queue as it was, when their images together
   * are more than one message takes (the caller keeps the message and its images for the user).
   */
  add(text: string, attachments: readonly Attachment[], images: readonly PromptImage[] = []): string | undefined {
    const joined = joinPrompts(this.queued, { text, attachments, images });
    const count = joined.images?.length ?? 0;
    if (count > MAX_IMAGES_PER_MESSAGE) {
      return `The message waiting to be sent has ${this.queued?.images?.length ?? 0} images; with these it would have ${count}, and a message takes at most ${MAX_IMAGES_PER_MESSAGE}. Your message and its images are kept here: send it once the answer is done, or remove some images.`;
    }
    this.queued = joined;
    return undefined;
  }

  /** It stays, not sent, for the reason given, until it is sent or cancelled. */
  hold(reason: string): void {
    if (this.queued) this.queued.held = reason;
  }

  /** The queued message, which stays in the queue. */
  peek(): QueuedPrompt | undefined {
    if (!this.queued) return undefined;
    const { text, attachments, images } = this.queued;
    return { text, attachments, ...(images ? { images } : {}) };
  }

  /** The queued message, which leaves the queue. */
  take(): QueuedPrompt | undefined {
    const queued = this.peek();
    this.queued = undefined;
    return queued;
  }

  view(): QueuedView | undefined {
    if (!this.queued) return undefined;
    const { text, attachments, images = [], held } = this.queued;
    return { text, attachments: [...attachments.map(attachmentView), ...images.map(imageAttachmentView)], ...(held ? { held } : {}) };
  }
}
