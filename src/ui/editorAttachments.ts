import * as vscode from 'vscode';
import { AttachmentTray, type Attachment } from '../chat/attachments';
import type { ChatSink } from '../chat/chatController';
import type { AttachmentView } from '../shared/protocol';
import { activeFile, activeSelectionCode } from './editorContext';

/** The chips above the input: the active file or selection, attached to the next prompt. */
export class EditorAttachments {
  private readonly tray = new AttachmentTray();

  constructor(private readonly sink: ChatSink) {}

  view(): AttachmentView[] {
    return this.tray.view();
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
    if (this.tray.remove(id)) this.post();
  }

  /** Hands `text` with the attachments to `submit`; they go with it (sent or queued) only if it took them. */
  send(text: string, submit: (text: string, attachments: readonly Attachment[]) => boolean): void {
    const attached = [...this.tray.attachments];
    if (!submit(text, attached) || attached.length === 0) return;
    this.tray.clear();
    this.post();
  }

  /** Attachments of a queued message the user cancelled, back on the chips. */
  restore(attachments: readonly Attachment[]): void {
    if (attachments.length === 0) return;
    this.tray.restore(attachments);
    this.post();
  }

  private post(): void {
    this.sink.post({ type: 'attachments', attachments: this.tray.view() });
  }
}
