/**
 * The host's side of the images the user brings to the chat: it checks what the page sends (the page
 * is not trusted), stores each image beside the history (its chip and the transcript show that file),
 * reads image files dragged from the Explorer for the page to scale, and opens an image in an editor.
 */
import * as vscode from 'vscode';
import { checkPageImage, isImageFileName } from '../chat/promptImages';
import { megabytes } from '../shared/imageCheck';
import type { ImageFiles } from '../history/historyStore';
import type { ChatUpdate } from '../chat/chatController';
import { assertStaysInside } from '../tools/vscode/workspace';
import type { EditorAttachments } from './editorAttachments';

/** The largest image file read for the page to scale: a photo from a camera, not a video. */
const MAX_DROPPED_IMAGE_BYTES = 50_000_000;

const MEDIA_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

export class ChatImages {
  constructor(
    private readonly folder: vscode.Uri,
    private readonly files: ImageFiles,
    private readonly attachments: EditorAttachments,
    private readonly post: (message: ChatUpdate) => void,
  ) {}

  /** An image the page pasted or dropped and scaled: checked, stored, then a chip. */
  async attach(name: string, mediaType: string, data: string): Promise<void> {
    const checked = checkPageImage(name, mediaType, data);
    if (!checked.ok) return this.refuse(name, checked.reason);
    try {
      if (!(await this.files.has(checked.image.file))) await this.files.write(checked.image.file, checked.bytes);
    } catch (error) {
      return this.refuse(name, `it could not be stored (${error instanceof Error ? error.message : String(error)}).`);
    }
    // Every image gets an answer: the page holds a slot for it until then.
    const added = this.attachments.attachImage(checked.image);
    if (added.kind === 'refused') this.refuse(name, added.reason);
    else this.post({ type: 'imageAttached', name, duplicate: added.kind === 'duplicate' });
  }

  /** An image file dragged from the Explorer: its bytes for the page, if it is a file of the workspace and not huge. */
  async readFile(text: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(text, true);
    } catch {
      return this.refuse(text, 'it is not a file’s address.');
    }
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const mediaType = MEDIA_TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()];
    if (!mediaType) return this.refuse(name, 'only PNG, JPEG, GIF and WebP images can be attached.');
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return this.refuse(name, 'only files of the workspace can be dropped here.');
    try {
      // A link that leads out of the workspace is refused, as the tools refuse it.
      await assertStaysInside(folder.uri, uri, name);
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_DROPPED_IMAGE_BYTES) return this.refuse(name, `it is ${megabytes(stat.size)}; at most ${megabytes(MAX_DROPPED_IMAGE_BYTES)} are read.`);
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.post({ type: 'imageFile', name, mediaType, data: Buffer.from(bytes).toString('base64') });
    } catch (error) {
      this.refuse(name, `it could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  }

  /** An image of the transcript, in VS Code's image preview. */
  open(file: string): void {
    if (isImageFileName(file)) void vscode.commands.executeCommand('vscode.open', vscode.Uri.joinPath(this.folder, file));
  }

  private refuse(name: string, reason: string): void {
    this.post({ type: 'imageRefused', name, reason });
  }
}
