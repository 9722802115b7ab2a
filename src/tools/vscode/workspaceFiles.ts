/**
 * What the search tools take from VS Code: the settings that scope a search, and, for virtual
 * workspaces (folders not on the local disk, where ripgrep cannot go), the files through `findFiles`,
 * which applies `files.exclude` and here `search.exclude` too, but no ignore files.
 */
import * as vscode from 'vscode';
import type { SearchScope } from '../ripgrep';
import { tokenFor } from './cancellation';

export interface FileListing {
  files: vscode.Uri[];
  /** More files matched than `limit`. */
  truncated: boolean;
}

/** `files.exclude` and `search.exclude` (the entries switched on; `when` clauses are not applied), and `search.useIgnoreFiles`. */
export function searchScope(): SearchScope {
  const search = vscode.workspace.getConfiguration('search');
  const switchedOn = (setting: Record<string, unknown> | undefined) =>
    Object.entries(setting ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
  const excludes = [...switchedOn(vscode.workspace.getConfiguration('files').get('exclude')), ...switchedOn(search.get('exclude'))];
  return { excludes: [...new Set(excludes)], useIgnoreFiles: search.get<boolean>('useIgnoreFiles', true) };
}

export async function listVirtualFiles(include: string, limit: number, signal: AbortSignal): Promise<FileListing> {
  const cancellation = tokenFor(signal);
  try {
    // One `{a,b}` group: patterns with braces or commas of their own cannot be nested in it.
    const excludes = searchScope().excludes.filter((glob) => !/[{},]/.test(glob));
    const exclude = excludes.length === 0 ? undefined : excludes.length === 1 ? excludes[0] : `{${excludes.join(',')}}`;
    const found = await vscode.workspace.findFiles(include, exclude, limit + 1, cancellation.token);
    found.sort((a, b) => a.path.localeCompare(b.path));
    return { files: found.slice(0, limit), truncated: found.length > limit };
  } finally {
    cancellation.dispose();
  }
}
