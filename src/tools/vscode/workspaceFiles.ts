/**
 * What the search tools take from VS Code: each folder's settings that scope a search, and, for
 * virtual workspaces (folders not on the local disk, where ripgrep cannot go), the files through
 * `findFiles`, which applies `files.exclude` and here `search.exclude` too, but no ignore files.
 */
import * as vscode from 'vscode';
import { beforeDeadline, type Deadline } from '../deadline';
import type { SearchScope } from '../ripgrep';
import { foldersForGlob } from '../workspaceSearch';
import { tokenFor } from './cancellation';

export interface FileListing {
  files: vscode.Uri[];
  /** More files matched than `limit`. */
  truncated: boolean;
}

/** What a folder's result paths start with: its name in a multi-root workspace, nothing otherwise. */
export function resultPrefix(folders: readonly vscode.WorkspaceFolder[], folder: vscode.WorkspaceFolder): string {
  return folders.length > 1 ? `${folder.name}/` : '';
}

/**
 * A folder's `files.exclude` and `search.exclude` (the entries switched on; `when` clauses are not
 * applied) and its ignore-file settings, as set for that folder (a multi-root workspace's folders
 * each have their own), with VS Code's defaults.
 */
export function searchScope(folder: vscode.WorkspaceFolder): SearchScope {
  const search = vscode.workspace.getConfiguration('search', folder.uri);
  const switchedOn = (setting: Record<string, unknown> | undefined) =>
    Object.entries(setting ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
  const excludes = [...switchedOn(vscode.workspace.getConfiguration('files', folder.uri).get('exclude')), ...switchedOn(search.get('exclude'))];
  return {
    excludes: [...new Set(excludes)],
    useIgnoreFiles: search.get<boolean>('useIgnoreFiles', true),
    useParentIgnoreFiles: search.get<boolean>('useParentIgnoreFiles', false),
    useGlobalIgnoreFiles: search.get<boolean>('useGlobalIgnoreFiles', false),
  };
}

/**
 * The files `include` matches, folder by folder with each folder's excludes (a leading folder name
 * reaches that folder only, as in `foldersForGlob`), in path order; the listing ends at the deadline.
 */
export async function listVirtualFiles(folders: readonly vscode.WorkspaceFolder[], include: string, limit: number, deadline: Deadline): Promise<FileListing> {
  const cancellation = tokenFor(deadline.signal);
  try {
    const found: vscode.Uri[] = [];
    const reached = foldersForGlob(folders.map((folder) => ({ folder, prefix: resultPrefix(folders, folder) })), include);
    for (const { folder, glob } of reached) {
      if (deadline.signal.aborted || found.length > limit) break;
      // One `{a,b}` group: patterns with braces or commas of their own cannot be nested in it.
      const excludes = searchScope(folder.folder).excludes.filter((pattern) => !/[{},]/.test(pattern));
      const exclude = excludes.length === 0 ? undefined : excludes.length === 1 ? excludes[0] : `{${excludes.join(',')}}`;
      const pattern = new vscode.RelativePattern(folder.folder, glob ?? '**/*');
      found.push(...((await beforeDeadline(Promise.resolve(vscode.workspace.findFiles(pattern, exclude, limit + 1 - found.length, cancellation.token)), deadline)) ?? []));
    }
    found.sort((a, b) => a.path.localeCompare(b.path));
    return { files: found.slice(0, limit), truncated: found.length > limit };
  } finally {
    cancellation.dispose();
  }
}
