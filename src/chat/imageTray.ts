import type { AttachmentView } from '../shared/protocol';
import { imageAttachmentView, MAX_IMAGES_PER_MESSAGE, type PromptImage } from './promptImages';

export type ImageAdded = { kind: 'added' } | { kind: 'duplicate' } | { kind: 'refused'; reason: string };

/** The images waiting for the next prompt, at most as many as one message takes; the same image once. */
export class ImageTray {
  private items: PromptImage[] = [];

  get images(): readonly PromptImage[] {
    return this.items;
  }

  /** Adds `image`: added, already there (the same bytes), or refused and why (the message has as many as it takes). */
  add(image: PromptImage): ImageAdded {
    if (this.items.some((kept) => kept.file === image.file)) return { kind: 'duplicate' };
    if (this.items.length >= MAX_IMAGES_PER_MESSAGE) return { kind: 'refused', reason: `a message takes at most ${MAX_IMAGES_PER_MESSAGE} images.` };
    this.items.push(image);
    return { kind: 'added' };
  }

  /** Removes the image of chip `id`; false when it is none of these. */
  remove(id: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((image) => imageAttachmentView(image).id !== id);
    return this.items.length !== before;
  }

  clear(): void {
    this.items = [];
  }

  /** Puts back the images of a prompt that was not sent after all, before any added since, up to the limit. */
  restore(images: readonly PromptImage[]): void {
    const restored = images.filter((image) => !this.items.some((kept) => kept.file === image.file));
    this.items = [...restored, ...this.items].slice(0, MAX_IMAGES_PER_MESSAGE);
  }

  view(): AttachmentView[] {
    return this.items.map(imageAttachmentView);
  }
}
