/**
 * The workspace's files and folders for the @ picker: listed with the ripgrep listing `find_files`
 * uses (ignore files and excludes applied), or through VS Code in a virtual workspace; kept until a
 * file is created or deleted. Also which files were opened most recently, for the picker's order.
 */
import * as vscode from 'vscode';
import { foldersOf, type PathEntry } from '../chat/mentionSearch';
import { withDeadline } from '../tools/deadline';
import { listWorkspaceFiles } from '../tools/workspaceListing';
import { ripgrepPath } from '../tools/vscode/ripgrepPath';
import { displayOf, workspaceFolders } from '../tools/vscode/workspace';
import { listVirtualFiles, resultPrefix, searchScope } from '../tools/vscode/workspaceFiles';

/** Files listed at most: a picker over more would be slow to filter and no easier to use. */
export const MAX_LISTED_FILES = 20_000;

/** Files remembered as recently opened. */
const MAX_RECENT = 50;

const LISTING_TIMEOUT_MS = 10_000;

export class MentionPaths implements vscode.Disposable {
  private listing: Promise<PathEntry[]> | undefined;
  private readonly recentFiles: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const stale = () => (this.listing = undefined);
    this.disposables.push(watcher, watcher.onDidCreate(stale), watcher.onDidDelete(stale), vscode.workspace.onDidChangeWorkspaceFolders(stale));
    // The tabs open now, then each editor as it becomes active: the most recent first.
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) this.opened(tab.input.uri);
    }
    if (vscode.window.activeTextEditor) this.opened(vscode.window.activeTextEditor.document.uri);
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.opened(editor.document.uri)));
  }

  /** Paths, most recently opened first. */
  get recent(): readonly string[] {
    return this.recentFiles;
  }

  /** The files and the folders they are in; listed once, again after files come or go. */
  entries(): Promise<PathEntry[]> {
    this.listing ??= listFiles().then((files) => [...files.map((path): PathEntry => ({ path, kind: 'file' })), ...foldersOf(files)]);
    const listing = this.listing;
    // A failed listing is tried again next time rather than kept.
    listing.catch(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    return listing;
  }

  private opened(uri: vscode.Uri): void {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return;
    const path = displayOf(uri);
    const at = this.recentFiles.indexOf(path);
    if (at >= 0) this.recentFiles.splice(at, 1);
    this.recentFiles.unshift(path);
    this.recentFiles.length = Math.min(this.recentFiles.length, MAX_RECENT);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

async function listFiles(): Promise<string[]> {
  const folders = workspaceFolders();
  if (folders.length === 0) return [];
  const signal = new AbortController().signal;
  if (folders.every((folder) => folder.uri.scheme === 'file')) {
    const run = { rgPath: ripgrepPath(), folders: folders.map((folder) => ({ path: folder.uri.fsPath, prefix: resultPrefix(folders, folder), scope: searchScope(folder) })), signal, timeoutMs: LISTING_TIMEOUT_MS };
    return (await listWorkspaceFiles(run, MAX_LISTED_FILES)).files;
  }
  const { files } = await withDeadline(signal, LISTING_TIMEOUT_MS, (deadline) => listVirtualFiles(folders, '**/*', MAX_LISTED_FILES, deadline));
  return files.map(displayOf);
}
