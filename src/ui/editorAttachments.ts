import * as vscode from 'vscode';
import { AttachmentTray, type Attachment } from '../chat/attachments';
import type { ChatSink } from '../chat/chatController';
import { ImageTray, type ImageAdded } from '../chat/imageTray';
import type { PromptImage } from '../chat/promptImages';
import type { AttachmentView } from '../shared/protocol';
import { activeFile, activeSelectionCode } from './editorContext';

/** The chips above the input: the active file or selection, attached to the next prompt. */
export class EditorAttachments {
  private readonly tray = new AttachmentTray();
  /** Images pasted or dropped, checked and stored (see `ChatImages`). */
  private readonly images = new ImageTray();

  constructor(private readonly sink: ChatSink) {}

  view(): AttachmentView[] {
    return [...this.tray.view(), ...this.images.view()];
  }

  /** The image files on the chips. */
  imageFiles(): string[] {
    return this.images.images.map((image) => image.file);
  }

  /** Adds an image to the next message (see `ImageTray.add`). */
  attachImage(image: PromptImage): ImageAdded {
    const added = this.images.add(image);
    if (added.kind === 'added') this.post();
    return added;
  }

  /** Reads the code now, so the chip stands for what the user saw when they attached it. */
  attach(what: 'file' | 'selection'): void {
    const found = what === 'file' ? activeFile() : activeSelectionCode();
    if (!found.ok) {
      void vscode.window.showWarningMessage(`Sonnet Chat: ${found.problem}`);
      return;
    }
    const attachment = this.tray.add(what, found.source);
    if (attachment.cutNote) void vscode.window.showInformationMessage(`Sonnet Chat: \`${found.source.path}\` is long. ${attachment.cutNote}`);
    this.post();
  }

  remove(id: string): void {
    if (this.tray.remove(id) || this.images.remove(id)) this.post();
  }

  /** Hands `text` with the attachments to `submit`; they go with it (sent or queued) only if it took them. */
  send(text: string, submit: (text: string, attachments: readonly Attachment[], images: readonly PromptImage[]) => boolean): void {
    const attached = [...this.tray.attachments];
    const images = [...this.images.images];
    if (!submit(text, attached, images) || (attached.length === 0 && images.length === 0)) return;
    this.tray.clear();
    this.images.clear();
    this.post();
  }

  /** Attachments of a queued message the user cancelled, back on the chips. */
  restore(attachments: readonly Attachment[], images: readonly PromptImage[] = []): void {
    if (attachments.length === 0 && images.length === 0) return;
    this.tray.restore(attachments);
    this.images.restore(images);
    this.post();
  }

  private post(): void {
    this.sink.post({ type: 'attachments', attachments: this.view() });
  }
}
