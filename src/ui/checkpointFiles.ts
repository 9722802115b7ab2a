/**
 * The VS Code side of the edit tools' own checkpoints: files read and written back through VS Code's
 * file system (so a virtual workspace restores too), and why such a folder has no snapshot.
 */
import * as vscode from 'vscode';
import type { FileAccess } from '../checkpoints/editRestore';

export const vscodeFileAccess: FileAccess = {
  async read(file) {
    try {
      return await vscode.workspace.fs.readFile(vscode.Uri.parse(file, true));
    } catch {
      return undefined;
    }
  },
  async write(file, bytes) {
    const uri = vscode.Uri.parse(file, true);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, bytes);
  },
  async remove(file) {
    await vscode.workspace.fs.delete(vscode.Uri.parse(file, true), { useTrash: false });
  },
};

/** A folder not on this machine's disk cannot be snapshotted with git: said like the other reasons. */
export function virtualFolderNotes(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme !== 'file')
    .map((folder) => `${folder.name} is a virtual workspace (${folder.uri.scheme}:, not on this machine’s disk), so git cannot snapshot it and checkpoints cover only the edit tools’ own changes.`);
}
