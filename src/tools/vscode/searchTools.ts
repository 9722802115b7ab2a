/**
 * `find_files` and `search_text`: local folders are searched with VS Code's ripgrep
 * (`../workspaceSearch.ts`); virtual ones through `findFiles`, the regex run in a worker thread.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { beforeDeadline, withDeadline, type Deadline } from '../deadline';
import { looksBinary } from '../format';
import { secretReason } from '../paths';
import { matchInWorker } from '../regexInWorker';
import type { ToolHandler } from '../registry';
import { done, ToolError } from '../types';
import { MAX_SEARCHED_BYTES } from '../ripgrep';
import { findFilesWithRipgrep, lineLimitNote, moreFilesNote, SEARCH_TIMEOUT_MS, searchReport, searchTextWithRipgrep, secretNote, stopNote, type SearchRun } from '../workspaceSearch';
import { ripgrepPath } from './ripgrepPath';
import { listVirtualFiles, resultPrefix, searchScope } from './workspaceFiles';
import { assertStaysInside, displayOf, workspaceFolders } from './workspace';

/** Virtual workspaces: files searched at most. */
const MAX_VIRTUAL_FILES = 5_000;

/** The ripgrep run over the workspace folders, when they are all on the local disk. */
function localRun(signal: AbortSignal): SearchRun | undefined {
  const folders = workspaceFolders();
  if (folders.length === 0) throw new ToolError('No workspace folder is open, so there are no files to search.');
  if (folders.some((folder) => folder.uri.scheme !== 'file')) return undefined;
  return {
    rgPath: ripgrepPath(),
    folders: folders.map((folder) => ({ path: folder.uri.fsPath, prefix: resultPrefix(folders, folder), scope: searchScope(folder) })),
    signal,
  };
}

export const findFiles: ToolHandler<'find_files'> = {
  name: 'find_files',
  async run(input, { signal }) {
    const limit = input.maxResults ?? 200;
    const local = localRun(signal);
    if (local) return findFilesWithRipgrep(local, input.pattern, limit);
    return withDeadline(signal, SEARCH_TIMEOUT_MS, async (deadline) => {
      const { files, truncated } = await listVirtualFiles(workspaceFolders(), input.pattern, limit, deadline);
      const stopped = stopNote(deadline.stop, deadline.timeoutMs);
      if (files.length === 0 && !stopped) return done(`No files match ${input.pattern} (files excluded by settings are not searched).`, 'No files');
      const lines = files.map(displayOf);
      if (truncated) lines.push(moreFilesNote(limit));
      if (stopped) lines.push(stopped);
      return done(lines.join('\n'), `${files.length}${truncated ? '+' : ''} file${files.length === 1 ? '' : 's'}`);
    });
  },
};

export const searchText: ToolHandler<'search_text'> = {
  name: 'search_text',
  async run(input, { signal }) {
    if (input.query === '') throw new ToolError('The query is empty.');
    const limit = input.maxResults ?? 100;
    const local = localRun(signal);
    if (local) return searchTextWithRipgrep(local, input, limit);
    return withDeadline(signal, SEARCH_TIMEOUT_MS, (deadline) => searchVirtual(input, limit, deadline));
  },
};

/** A virtual workspace's files read through VS Code, the pattern matched in a worker thread; all of it ends at the deadline. */
async function searchVirtual(input: { query: string; isRegex?: boolean; caseSensitive?: boolean; include?: string }, limit: number, deadline: Deadline) {
  const listing = await listVirtualFiles(workspaceFolders(), input.include || '**/*', MAX_VIRTUAL_FILES, deadline);
  const searched: Array<{ uri: vscode.Uri; text: string }> = [];
  let secret = 0;
  for (const uri of listing.files) {
    if (deadline.signal.aborted) break;
    const file = await beforeDeadline(readSearchable(uri), deadline);
    if (file?.secret) secret++;
    else if (file) searched.push({ uri, text: file.text });
  }
  // Once the deadline has passed there is no time left for the pattern: say so rather than "no matches".
  const stopped = stopNote(deadline.stop, deadline.timeoutMs);
  if (stopped) return searchReport(input.query, [], 0, [stopped]);
  const workerPath = path.join(__dirname, 'regexWorker.js');
  const perFile = await matchInWorker(workerPath, { ...input, texts: searched.map((file) => file.text), limit }, deadline);
  const found = perFile.flatMap((matches, i) => matches.map((match) => `${displayOf(searched[i].uri)}:${match.line}: ${match.text}`));
  const notes = [
    found.length >= limit && lineLimitNote(limit),
    listing.truncated && `[Only the first ${MAX_VIRTUAL_FILES} files were searched; use include to search the rest.]`,
    secretNote(secret),
  ];
  return searchReport(input.query, found, perFile.filter((matches) => matches.length > 0).length, notes);
}

/**
 * A file's text, or `secret` for a file that may hold secrets (by its path as listed or where its
 * links really lead); undefined, unread, when it is large, binary, gone since it was listed, or
 * reached through a symbolic link on any part of its path (not followed here, as ripgrep does not).
 */
async function readSearchable(uri: vscode.Uri): Promise<{ secret: true } | { secret?: false; text: string } | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const typed = uri.path.slice(folder.uri.path.length).split('/').filter(Boolean);
  try {
    const real = await assertStaysInside(folder.uri, uri, typed.join('/'));
    if (secretReason(real) || secretReason(typed)) return { secret: true };
    if (real.join('/') !== typed.join('/')) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SEARCHED_BYTES) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return looksBinary(bytes) ? undefined : { text: new TextDecoder().decode(bytes) };
  } catch {
    return undefined;
  }
}
