/**
 * `find_files` and `search_text` over the local workspace folders with ripgrep, and their results as
 * the model reads them. Node only (no `vscode`): the editor side supplies the folders and settings.
 */
import { MAX_RESULT_CHARS } from './format';
import { secretReason } from './paths';
import { findFilesArgs, parseJsonEvent, relativePath, searchTextArgs, type SearchScope, type TextQuery } from './ripgrep';
import { runRipgrep, type RipgrepStop } from './ripgrepProcess';
import { around } from './textSearch';
import { done, type ToolOutcome } from './types';

/** Longest a search may run before it is killed and answers with what it found. */
export const SEARCH_TIMEOUT_MS = 20_000;

export interface SearchFolder {
  /** Local file-system path of the workspace folder. */
  path: string;
  /** What result paths start with: `''`, or `name/` in a multi-root workspace. */
  prefix: string;
}

export interface SearchRun {
  rgPath: string;
  folders: readonly SearchFolder[];
  scope: SearchScope;
  signal: AbortSignal;
  timeoutMs?: number;
}

export async function findFilesWithRipgrep(run: SearchRun, pattern: string, limit: number): Promise<ToolOutcome> {
  const files: string[] = [];
  let stop: RipgrepStop;
  for (const folder of run.folders) {
    if (stop) break;
    const kept = await notIgnored(run, folder, pattern);
    stop = await runRipgrep({
      ...common(run, folder),
      args: findFilesArgs(pattern, run.scope),
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
    truncated && `[More files match; only the first ${limit} are shown. Use a narrower pattern.]`,
    stopNote(stop, run),
  ].filter((note): note is string => typeof note === 'string');
  return done([...shown, ...notes].join('\n'), `${shown.length}${truncated ? '+' : ''} file${shown.length === 1 ? '' : 's'}`);
}

export async function searchTextWithRipgrep(run: SearchRun, query: TextQuery, limit: number): Promise<ToolOutcome> {
  const found: Array<{ path: string; line: number; shown: string }> = [];
  const matchedFiles = new Set<string>();
  const secretFiles = new Set<string>();
  let chars = 0;
  let cut: 'lines' | 'chars' | undefined;
  let stop: RipgrepStop;
  for (const folder of run.folders) {
    if (stop) break;
    const kept = await notIgnored(run, folder, query.include);
    stop = await runRipgrep({
      ...common(run, folder),
      args: searchTextArgs(query, run.scope),
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
    cut === 'lines' && `[Stopped at ${limit} matching lines; narrow the search with include or a more specific query.]`,
    cut === 'chars' && `[Stopped at ${found.length} matching lines to keep the result short; narrow the search with include or a more specific query.]`,
    stop !== 'enough' && stopNote(stop, run),
    secretFiles.size > 0 && `[Left out: matches in ${secretFiles.size} file${secretFiles.size === 1 ? '' : 's'} that may hold secrets.]`,
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

/**
 * rg lets a file that matches an include glob past the ignore files (globs override them). So when
 * both apply, the files the ignore files let through are listed first, and only those are kept.
 */
async function notIgnored(run: SearchRun, folder: SearchFolder, include: string | undefined): Promise<(path: string) => boolean> {
  if (!include || !run.scope.useIgnoreFiles) return () => true;
  const listed = new Set<string>();
  const stop = await runRipgrep({
    ...common(run, folder),
    args: findFilesArgs(undefined, run.scope),
    separator: '\0',
    onRecord: (record) => listed.add(relativePath(record)) !== undefined,
  });
  if (stop === 'aborted' || stop === 'timedOut') return () => false;
  return (path) => listed.has(path);
}

function common(run: SearchRun, folder: SearchFolder) {
  return { rgPath: run.rgPath, cwd: folder.path, signal: run.signal, timeoutMs: run.timeoutMs ?? SEARCH_TIMEOUT_MS };
}

function stopNote(stop: RipgrepStop, run: SearchRun): string | undefined {
  if (stop === 'aborted') return '[Stopped: the user stopped the search; these results are incomplete.]';
  if (stop === 'timedOut') return `[Stopped after ${(run.timeoutMs ?? SEARCH_TIMEOUT_MS) / 1000} s; these results are incomplete. Narrow the search with include.]`;
  return undefined;
}
