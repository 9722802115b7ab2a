import * as vscode from 'vscode';
import { AttachmentTray, promptWithAttachments } from '../chat/attachments';
import type { ChatSink } from '../chat/chatController';
import type { Prompt } from '../chat/prompts';
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

  /** Sends `text` with the attachments through `send`; they are used up only if it was sent. */
  send(text: string, send: (prompt: Prompt) => boolean): void {
    const attached = this.tray.attachments.length > 0;
    if (!send(promptWithAttachments(text, this.tray.attachments)) || !attached) return;
    this.tray.clear();
    this.post();
  }

  private post(): void {
    this.sink.post({ type: 'attachments', attachments: this.tray.view() });
  }
}
