/** `find_files` and `search_text`: the workspace's files by name, and by content. */
import * as vscode from 'vscode';
import { looksBinary } from '../format';
import { secretReason } from '../paths';
import type { ToolHandler } from '../registry';
import { buildMatcher, matchingLines } from '../textSearch';
import { done, ToolError } from '../types';
import { listWorkspaceFiles } from './workspaceFiles';
import { assertStaysInside, displayOf, openDocument } from './workspace';

/** Files searched at most, and the largest searched: a search answers in seconds, not minutes. */
const MAX_FILES_SEARCHED = 5_000;
const MAX_SEARCHED_BYTES = 1024 * 1024;

export const findFiles: ToolHandler = {
  name: 'find_files',
  async run(input: { pattern: string; maxResults?: number }, { signal }) {
    const limit = input.maxResults ?? 200;
    const { files, truncated } = await listWorkspaceFiles(input.pattern, limit, signal);
    if (files.length === 0) return done(`No files match ${input.pattern} (files excluded by settings or .gitignore are not searched).`, 'No files');
    const lines = files.map(displayOf);
    if (truncated) lines.push(`[More files match; only the first ${limit} are shown. Use a narrower pattern.]`);
    return done(lines.join('\n'), `${files.length}${truncated ? '+' : ''} file${files.length === 1 ? '' : 's'}`);
  },
};

export const searchText: ToolHandler = {
  name: 'search_text',
  async run(input: { query: string; isRegex?: boolean; caseSensitive?: boolean; include?: string; maxResults?: number }, { signal }) {
    const matcher = buildMatcher(input.query, input);
    if (!matcher.ok) throw new ToolError(matcher.error);
    const limit = input.maxResults ?? 100;
    const listing = await listWorkspaceFiles(input.include || '**/*', MAX_FILES_SEARCHED, signal);
    const found: string[] = [];
    const skipped = { secret: 0, large: 0, binary: 0 };
    let filesWithMatches = 0;
    for (const uri of listing.files) {
      if (signal.aborted || found.length >= limit) break;
      const text = await searchableText(uri, skipped);
      if (text === undefined) continue;
      const matches = matchingLines(text, matcher.regex, limit - found.length);
      if (matches.length > 0) filesWithMatches++;
      for (const match of matches) found.push(`${displayOf(uri)}:${match.line}: ${match.text}`);
    }
    const notes: string[] = [];
    if (found.length >= limit) notes.push(`[Stopped at ${limit} matching lines; narrow the search with include or a more specific query.]`);
    if (listing.truncated) notes.push(`[Only the first ${MAX_FILES_SEARCHED} files were searched; use include to search the rest.]`);
    const skips = [
      skipped.secret && `${skipped.secret} that may hold secrets`,
      skipped.large && `${skipped.large} larger than 1 MB`,
      skipped.binary && `${skipped.binary} binary`,
    ].filter(Boolean);
    if (skips.length > 0) notes.push(`[Files skipped: ${skips.join(', ')}.]`);
    const summary = found.length === 0 ? 'No matches' : `${found.length} match${found.length === 1 ? '' : 'es'} in ${filesWithMatches} file${filesWithMatches === 1 ? '' : 's'}`;
    const head = found.length === 0 ? `No matches for ${JSON.stringify(input.query)}.` : `${summary}:`;
    return done([head, ...found, ...notes].join('\n'), summary);
  },
};

/** A file's text if it should be searched: not secret, not huge, not binary, not a link out. */
async function searchableText(uri: vscode.Uri, skipped: { secret: number; large: number; binary: number }): Promise<string | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  if (secretReason(uri.path.slice(folder.uri.path.length).split('/').filter(Boolean))) {
    skipped.secret++;
    return undefined;
  }
  const open = openDocument(uri);
  if (open) return open.getText();
  try {
    await assertStaysInside(folder.uri, uri, displayOf(uri));
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SEARCHED_BYTES) {
      skipped.large++;
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (looksBinary(bytes)) {
      skipped.binary++;
      return undefined;
    }
    return new TextDecoder().decode(bytes);
  } catch {
    // Gone since it was listed, unreadable, or a link out: not searched.
    return undefined;
  }
}
