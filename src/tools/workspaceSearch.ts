/**
 * `find_files` and `search_text` over the local workspace folders with ripgrep, and their results as
 * the model reads them. Node only (no `vscode`): the editor side supplies the folders and settings.
 */
import { withDeadline, type Deadline } from './deadline';
import { MAX_RESULT_CHARS } from './format';
import { secretReason } from './paths';
import { findFilesArgs, listFilesArgs, parseJsonEvent, relativePath, searchTextArgs, type SearchScope, type TextQuery } from './ripgrep';
import { runRipgrep, type RipgrepStop } from './ripgrepProcess';
import { around } from './textSearch';
import { done, type ToolOutcome } from './types';

/** Longest a whole search may run (every folder, listing and file on the way) before it answers with what it found. */
export const SEARCH_TIMEOUT_MS = 20_000;

export interface SearchFolder {
  /** Local file-system path of the workspace folder. */
  path: string;
  /** What result paths start with: `''`, or `name/` in a multi-root workspace. */
  prefix: string;
  /** This folder's own settings. */
  scope: SearchScope;
}

export interface SearchRun {
  rgPath: string;
  folders: readonly SearchFolder[];
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * The folders a glob reaches, each with the glob relative to it. Results show `name/path` in a
 * multi-root workspace, so a glob starting with a folder's name (`frontend/src/**`) reaches that
 * folder only, without the name; `frontend` alone is all of it. Other globs reach every folder.
 */
export function foldersForGlob<F extends { prefix: string }>(folders: readonly F[], glob: string | undefined): Array<{ folder: F; glob: string | undefined }> {
  const named = glob === undefined ? undefined : folders.find((folder) => folder.prefix !== '' && (glob + '/').startsWith(folder.prefix));
  if (named) return [{ folder: named, glob: glob!.slice(named.prefix.length) || undefined }];
  return folders.map((folder) => ({ folder, glob }));
}

export function findFilesWithRipgrep(run: SearchRun, pattern: string, limit: number): Promise<ToolOutcome> {
  return withDeadline(run.signal, run.timeoutMs ?? SEARCH_TIMEOUT_MS, (deadline) => findFiles(run, deadline, pattern, limit));
}

async function findFiles(run: SearchRun, deadline: Deadline, pattern: string, limit: number): Promise<ToolOutcome> {
  const files: string[] = [];
  let stop: RipgrepStop;
  for (const { folder, glob } of foldersForGlob(run.folders, pattern)) {
    if (stop) break;
    const kept = await notIgnored(run, deadline, folder, glob);
    stop = await runRipgrep({
      ...common(run, deadline, folder),
      args: findFilesArgs(glob, folder.scope),
      separator: '\0',
      onRecord: (record) => {
        const path = relativePath(record);
        if (!kept(path)) return true;
        // One more than asked, to know whether there are more.
        files.push(folder.prefix + path);
        return files.length <= limit;
      },
    });
  }
  const truncated = files.length > limit;
  const shown = files.slice(0, limit);
  if (shown.length === 0 && !stop) {
    return done(`No files match ${pattern} (files excluded by settings or ignore files are not searched).`, 'No files');
  }
  const notes = [
    truncated && moreFilesNote(limit),
    stopNote(stop, deadline.timeoutMs),
  ].filter((note): note is string => typeof note === 'string');
  return done([...shown, ...notes].join('\n'), `${shown.length}${truncated ? '+' : ''} file${shown.length === 1 ? '' : 's'}`);
}

export function searchTextWithRipgrep(run: SearchRun, query: TextQuery, limit: number): Promise<ToolOutcome> {
  return withDeadline(run.signal, run.timeoutMs ?? SEARCH_TIMEOUT_MS, (deadline) => searchText(run, deadline, query, limit));
}

async function searchText(run: SearchRun, deadline: Deadline, query: TextQuery, limit: number): Promise<ToolOutcome> {
  const found: Array<{ path: string; line: number; shown: string }> = [];
  const matchedFiles = new Set<string>();
  const secretFiles = new Set<string>();
  let chars = 0;
  let cut: 'lines' | 'chars' | undefined;
  let stop: RipgrepStop;
  for (const { folder, glob } of foldersForGlob(run.folders, query.include)) {
    if (stop) break;
    const kept = await notIgnored(run, deadline, folder, glob);
    stop = await runRipgrep({
      ...common(run, deadline, folder),
      args: searchTextArgs({ ...query, include: glob }, folder.scope),
      separator: '\n',
      onRecord: (record) => {
        const match = parseJsonEvent(record);
        if (!match || !kept(match.path)) return true;
        const path = folder.prefix + match.path;
        if (secretReason(match.path.split('/'))) {
          secretFiles.add(path);
          return true;
        }
        const shown = `${path}:${match.line}: ${around(match.text, match.column)}`;
        if (found.length >= limit) cut = 'lines';
        else if (chars + shown.length + 1 > MAX_RESULT_CHARS) cut = 'chars';
        if (cut) return false;
        found.push({ path, line: match.line, shown });
        matchedFiles.add(path);
        chars += shown.length + 1;
        return true;
      },
    });
  }
  const notes = [
    cut === 'lines' && lineLimitNote(limit),
    cut === 'chars' && `[Stopped at ${found.length} matching lines to keep the result short; narrow the search with include or a more specific query.]`,
    stop !== 'enough' && stopNote(stop, deadline.timeoutMs),
    secretNote(secretFiles.size),
  ];
  found.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
  return searchReport(query.query, found.map((match) => match.shown), matchedFiles.size, notes);
}

/** A `search_text` result: a count, the matching lines, then the notes that apply (false for none). */
export function searchReport(query: string, found: readonly string[], files: number, notes: ReadonlyArray<string | false | undefined>): ToolOutcome {
  const summary = found.length === 0 ? 'No matches' : `${found.length} match${found.length === 1 ? '' : 'es'} in ${files} file${files === 1 ? '' : 's'}`;
  const head = found.length === 0 ? `No matches for ${JSON.stringify(query)}.` : `${summary}:`;
  return done([head, ...found, ...notes.filter((note): note is string => typeof note === 'string')].join('\n'), summary);
}

/** The note of a file listing cut at `limit`, the same in every search. */
export function moreFilesNote(limit: number): string {
  return `[More files match; only the first ${limit} are shown. Use a narrower pattern.]`;
}

/** The note of a text search stopped at `limit` matching lines, the same in every search. */
export function lineLimitNote(limit: number): string {
  return `[Stopped at ${limit} matching lines; narrow the search with include or a more specific query.]`;
}

/** The note on files left out because they may hold secrets, the same in every search; false for none. */
export function secretNote(files: number): string | false {
  return files > 0 && `[Left out: ${files} file${files === 1 ? '' : 's'} that may hold secrets.]`;
}

/**
 * rg lets a file that matches an include glob past the ignore files (globs override them). So when
 * both apply, the files the ignore files let through are listed first, and only those are kept. The
 * listing runs under the search's deadline: once it passes, the search that follows stops at once and
 * says why.
 */
async function notIgnored(run: SearchRun, deadline: Deadline, folder: SearchFolder, include: string | undefined): Promise<(path: string) => boolean> {
  if (!include || !folder.scope.useIgnoreFiles) return () => true;
  const listed = new Set<string>();
  await runRipgrep({
    ...common(run, deadline, folder),
    args: listFilesArgs(folder.scope),
    separator: '\0',
    onRecord: (record) => listed.add(relativePath(record)) !== undefined,
  });
  return (path) => listed.has(path);
}

function common(run: SearchRun, deadline: Deadline, folder: SearchFolder) {
  return { rgPath: run.rgPath, cwd: folder.path, deadline };
}

/** What a search stopped by its deadline says; undefined when it was not. */
export function stopNote(stop: RipgrepStop, timeoutMs: number): string | undefined {
  if (stop === 'aborted') return '[Stopped: the user stopped the search; these results are incomplete.]';
  if (stop === 'timedOut') return `[Stopped after ${timeoutMs / 1000} s; these results are incomplete. Narrow the search with include.]`;
  return undefined;
}
