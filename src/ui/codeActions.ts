import * as vscode from 'vscode';
import type { CodeAction } from '../shared/protocol';
import { insertionText } from '../shared/insertionText';

const ACTION_NAMES: Record<CodeAction, string> = {
  copy: 'Copy',
  insert: 'Insert at Cursor',
  open: 'Open in New Editor',
};

/**
 * A code block's toolbar in the Chat view: copy the code, insert it at the cursor of the editor the
 * user was in, or open it in a new editor. `languageId` is the page's VS Code id for the block's fence.
 */
export async function runCodeAction(action: CodeAction, code: string, languageId: string): Promise<void> {
  try {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(code);
        vscode.window.setStatusBarMessage('$(check) Sonnet Chat: code copied to the clipboard', 3000);
        return;
      case 'insert':
        await insertAtCursor(code, languageId);
        return;
      case 'open':
        await openInNewEditor(code, languageId);
        return;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Sonnet Chat: ${ACTION_NAMES[action]} failed. ${reason}`);
  }
}

/**
 * Replaces every selection of the active editor (the one the user last typed in: focusing the Chat
 * view does not change it) with the code, in one undoable edit, then gives the editor the focus.
 */
async function insertAtCursor(code: string, languageId: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    const openInstead = 'Open in New Editor';
    const choice = await vscode.window.showWarningMessage(
      'Sonnet Chat: there is no editor to insert the code into. Open a file and place the cursor where the code should go, then choose Insert at Cursor again.',
      openInstead,
    );
    if (choice === openInstead) await openInNewEditor(code, languageId);
    return;
  }
  const { document } = editor;
  const applied = await editor.edit((builder) => {
    for (const selection of editor.selections) {
      const linePrefix = document.lineAt(selection.start.line).text.slice(0, selection.start.character);
      builder.replace(selection, insertionText(code, linePrefix));
    }
  });
  if (!applied) {
    void vscode.window.showErrorMessage(
      `Sonnet Chat: the code could not be inserted into ${vscode.workspace.asRelativePath(document.uri)}; the editor refused the edit (is it read-only?).`,
    );
    return;
  }
  await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
}

/** An untitled editor with the code, in the block's language when VS Code knows it. */
async function openInNewEditor(code: string, languageId: string): Promise<void> {
  const known = await vscode.languages.getLanguages();
  const language = known.includes(languageId) ? languageId : 'plaintext';
  const document = await vscode.workspace.openTextDocument({ content: code, language });
  await vscode.window.showTextDocument(document, { preview: false });
}
