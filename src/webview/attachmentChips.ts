import type { AttachmentView } from '../shared/protocol';
import { codicon, element, iconButton } from './dom';
import { chipThumbnail, describeImage } from './imageThumbnails';

/** The context attached to the next prompt, as chips above the input, each with a remove button. */
export class AttachmentChips {
  constructor(
    private readonly container: HTMLElement,
    private readonly onRemove: (id: string) => void,
    /** Where the focus goes when the last chip it was on is gone. */
    private readonly fallbackFocus: HTMLElement,
  ) {}

  render(attachments: readonly AttachmentView[]): void {
    const focusedIndex = [...this.container.querySelectorAll('.attachment-chip button')].indexOf(document.activeElement as Element);
    this.container.replaceChildren(...attachments.map((attachment) => this.chip(attachment)));
    this.container.hidden = attachments.length === 0;
    if (focusedIndex < 0) return;
    // After a removal, the keyboard user lands on the next chip (or the one before, or the input).
    const buttons = this.container.querySelectorAll<HTMLElement>('.attachment-chip button');
    (buttons[Math.min(focusedIndex, buttons.length - 1)] ?? this.fallbackFocus).focus();
  }

  /** The image chips shown. */
  get imageCount(): number {
    return this.container.querySelectorAll('.image-chip').length;
  }

  private chip({ id, label, kind, image }: AttachmentView): HTMLElement {
    const chip = element('span', 'attachment-chip');
    chip.setAttribute('role', 'listitem');
    chip.dataset.attachmentId = id;
    if (image) {
      chip.classList.add('image-chip');
      chip.title = `The image ${describeImage(image)} goes with your next message.`;
      const remove = iconButton('close', `Remove image ${describeImage(image)}`, 'chip-remove');
      remove.addEventListener('click', () => this.onRemove(id));
      chip.append(chipThumbnail(image), element('span', 'attachment-label', label), remove);
      return chip;
    }
    chip.title = kind === 'file' ? `The file ${label} goes with your next message.` : `The selection ${label} goes with your next message.`;
    const remove = iconButton('close', `Remove ${label}`, 'chip-remove');
    remove.addEventListener('click', () => this.onRemove(id));
    chip.append(codicon(kind === 'file' ? 'file' : 'selection'), element('span', 'attachment-label', label), remove);
    return chip;
  }
}
