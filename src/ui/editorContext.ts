import * as vscode from 'vscode';
import { looksBinary, MAX_ATTACHMENT_CHARS } from '../chat/attachments';
import type { Selection } from '../chat/prompts';

/** Code read from the active editor, or why there is none to read. */
export type EditorCode = { ok: true; source: Selection } | { ok: false; problem: string };

/** How a document is named to the model and in the chat: relative to the workspace when it is in one. */
function pathOf(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
}

/** The primary selection of the active editor, with where it comes from; undefined if there is none. */
export function activeSelection(): Selection | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const { document, selection } = editor;
  const code = document.getText(selection);
  if (code.trim() === '') return undefined;
  // A selection ending at the start of a line (whole lines selected) does not include that line.
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    code,
    path: pathOf(document),
    languageId: document.languageId,
    startLine: selection.start.line + 1,
    endLine: lastLine + 1,
  };
}

/**
 * The name of the file in the active tab when no text editor shows it: a binary file VS Code declined
 * to open as text, an image preview or a hex view (custom editors).
 */
function activeNonTextFile(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const shown = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  return shown && vscode.workspace.asRelativePath(shown, false);
}

/**
 * The whole text of the active editor's file. Only a little more than an attachment may hold is read,
 * so a huge file costs no more than a small one; the cut is made (and reported) by the attachment.
 */
export function activeFile(): EditorCode {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    const other = activeNonTextFile();
    return { ok: false, problem: other ? `\`${other}\` is not a text file, so it cannot be attached.` : 'Open a file in an editor first.' };
  }
  const { document } = editor;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const readUpTo = document.positionAt(Math.min(document.offsetAt(end), MAX_ATTACHMENT_CHARS + 1));
  const code = document.getText(new vscode.Range(0, 0, readUpTo.line, readUpTo.character));
  const path = pathOf(document);
  if (looksBinary(code)) return { ok: false, problem: `\`${path}\` looks like a binary file; only text can be attached.` };
  if (code.trim() === '') return { ok: false, problem: `\`${path}\` is empty.` };
  // A final line break does not start another line worth counting.
  const lastLine = document.lineCount > 1 && end.character === 0 ? document.lineCount - 1 : document.lineCount;
  return { ok: true, source: { code, path, languageId: document.languageId, startLine: 1, endLine: lastLine } };
}

/** The active editor's selection, for attaching. */
export function activeSelectionCode(): EditorCode {
  const selection = activeSelection();
  if (!selection) return { ok: false, problem: 'Select some code in an editor first.' };
  if (looksBinary(selection.code)) return { ok: false, problem: `\`${selection.path}\` looks like a binary file; only text can be attached.` };
  return { ok: true, source: selection };
}
