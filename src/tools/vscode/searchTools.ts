/**
 * `find_files` and `search_text`: local folders are searched with VS Code's ripgrep
 * (`../workspaceSearch.ts`); virtual ones through `findFiles`, the regex run in a worker thread.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { looksBinary } from '../format';
import { secretReason } from '../paths';
import { matchInWorker } from '../regexInWorker';
import type { ToolHandler } from '../registry';
import { done, ToolError } from '../types';
import { findFilesWithRipgrep, SEARCH_TIMEOUT_MS, searchReport, searchTextWithRipgrep, type SearchRun } from '../workspaceSearch';
import { ripgrepPath } from './ripgrepPath';
import { listVirtualFiles, searchScope } from './workspaceFiles';
import { displayOf, workspaceFolders } from './workspace';

/** Virtual workspaces: files searched at most, and the largest searched. */
const MAX_VIRTUAL_FILES = 5_000;
const MAX_VIRTUAL_BYTES = 1024 * 1024;

/** The ripgrep run over the workspace folders, when they are all on the local disk. */
function localRun(signal: AbortSignal): SearchRun | undefined {
  const folders = workspaceFolders();
  if (folders.length === 0) throw new ToolError('No workspace folder is open, so there are no files to search.');
  if (folders.some((folder) => folder.uri.scheme !== 'file')) return undefined;
  const prefix = (folder: vscode.WorkspaceFolder) => (folders.length > 1 ? `${folder.name}/` : '');
  return { rgPath: ripgrepPath(), folders: folders.map((folder) => ({ path: folder.uri.fsPath, prefix: prefix(folder) })), scope: searchScope(), signal };
}

export const findFiles: ToolHandler<'find_files'> = {
  name: 'find_files',
  async run(input, { signal }) {
    const limit = input.maxResults ?? 200;
    const local = localRun(signal);
    if (local) return findFilesWithRipgrep(local, input.pattern, limit);
    const { files, truncated } = await listVirtualFiles(input.pattern, limit, signal);
    if (files.length === 0) return done(`No files match ${input.pattern} (files excluded by settings are not searched).`, 'No files');
    const lines = files.map(displayOf);
    if (truncated) lines.push(`[More files match; only the first ${limit} are shown. Use a narrower pattern.]`);
    return done(lines.join('\n'), `${files.length}${truncated ? '+' : ''} file${files.length === 1 ? '' : 's'}`);
  },
};

export const searchText: ToolHandler<'search_text'> = {
  name: 'search_text',
  async run(input, { signal }) {
    if (input.query === '') throw new ToolError('The query is empty.');
    const limit = input.maxResults ?? 100;
    const local = localRun(signal);
    if (local) return searchTextWithRipgrep(local, input, limit);
    return searchVirtual(input, limit, signal);
  },
};

/** A virtual workspace's files read through VS Code, the pattern matched in a worker thread. */
async function searchVirtual(input: { query: string; isRegex?: boolean; caseSensitive?: boolean; include?: string }, limit: number, signal: AbortSignal) {
  const listing = await listVirtualFiles(input.include || '**/*', MAX_VIRTUAL_FILES, signal);
  const searched: Array<{ uri: vscode.Uri; text: string }> = [];
  let secret = 0;
  for (const uri of listing.files) {
    if (signal.aborted) break;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) continue;
    if (secretReason(uri.path.slice(folder.uri.path.length).split('/').filter(Boolean))) {
      secret++;
      continue;
    }
    const text = await readSearchable(uri);
    if (text !== undefined) searched.push({ uri, text });
  }
  const workerPath = path.join(__dirname, 'regexWorker.js');
  const perFile = await matchInWorker(workerPath, { ...input, texts: searched.map((file) => file.text), limit }, { signal, timeoutMs: SEARCH_TIMEOUT_MS });
  const found = perFile.flatMap((matches, i) => matches.map((match) => `${displayOf(searched[i].uri)}:${match.line}: ${match.text}`));
  const notes = [
    found.length >= limit && `[Stopped at ${limit} matching lines; narrow the search with include or a more specific query.]`,
    listing.truncated && `[Only the first ${MAX_VIRTUAL_FILES} files were searched; use include to search the rest.]`,
    secret > 0 && `[Files skipped: ${secret} that may hold secrets.]`,
  ];
  return searchReport(input.query, found, perFile.filter((matches) => matches.length > 0).length, notes);
}

/** A file's text unless it is large, binary, a link (not followed here) or gone since it was listed. */
async function readSearchable(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.SymbolicLink || stat.size > MAX_VIRTUAL_BYTES) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return looksBinary(bytes) ? undefined : new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}
