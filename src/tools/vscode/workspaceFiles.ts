/**
 * The files of the workspace as `find_files` and `search_text` see them: VS Code's `findFiles`, which
 * applies `files.exclude`, plus what it leaves to us. Its stable form does not apply `search.exclude` or
 * ignore files (the variants that do, `findFiles2` and `findTextInFiles`, are proposed API), so
 * `search.exclude` goes in as its exclude pattern and `.gitignore` files are applied here, as
 * `search.useIgnoreFiles` asks. Not applied: a global git excludes file, `.ignore` files, and the
 * `when` clauses of `search.exclude`.
 */
import * as vscode from 'vscode';
import { IgnoreRules } from '../gitignore';
import { tokenFor } from './cancellation';
import { workspaceFolders } from './workspace';

/** Ignore files read per folder; a monorepo has dozens, a vendored tree may have thousands. */
const MAX_IGNORE_FILES = 500;

export interface FileListing {
  files: vscode.Uri[];
  /** More files matched than `limit`. */
  truncated: boolean;
}

export async function listWorkspaceFiles(include: string, limit: number, signal: AbortSignal): Promise<FileListing> {
  const cancellation = tokenFor(signal);
  try {
    const exclude = searchExcludePattern();
    const rules = await ignoreRules(exclude, cancellation.token);
    // Ask for more than the limit: the ignore files may drop many of them.
    const asked = Math.min(limit * 4 + 1, 50_000);
    const found = await vscode.workspace.findFiles(include, exclude, asked, cancellation.token);
    const kept = found.filter((uri) => !isIgnored(uri, rules));
    kept.sort((a, b) => a.path.localeCompare(b.path));
    return { files: kept.slice(0, limit), truncated: kept.length > limit || found.length >= asked };
  } finally {
    cancellation.dispose();
  }
}

/** `search.exclude`'s switched-on patterns as one glob; undefined when there are none. */
function searchExcludePattern(): string | undefined {
  const setting = vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude') ?? {};
  // Patterns with braces or commas cannot be nested in the `{a,b}` group; they are left out.
  const patterns = Object.entries(setting)
    .filter(([pattern, on]) => on === true && !/[{},]/.test(pattern))
    .map(([pattern]) => pattern);
  if (patterns.length === 0) return undefined;
  return patterns.length === 1 ? patterns[0] : `{${patterns.join(',')}}`;
}

async function ignoreRules(exclude: string | undefined, token: vscode.CancellationToken): Promise<Map<string, IgnoreRules>> {
  const rules = new Map<string, IgnoreRules>();
  if (!vscode.workspace.getConfiguration('search').get<boolean>('useIgnoreFiles', true)) return rules;
  for (const folder of workspaceFolders()) {
    const folderRules = new IgnoreRules();
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, MAX_IGNORE_FILES, token);
    const sources = [vscode.Uri.joinPath(folder.uri, '.git', 'info', 'exclude'), ...files];
    const texts = await Promise.all(sources.map(readOptional));
    // Added in order: `.git/info/exclude` first, so a root `.gitignore` overrides it, as in git.
    texts.forEach((text, index) => {
      const base = index === 0 ? '' : relativeTo(folder.uri, sources[index]).replace(/\/?\.gitignore$/, '');
      if (text !== undefined) folderRules.add(base, text);
    });
    if (!folderRules.empty) rules.set(folder.uri.toString(), folderRules);
  }
  return rules;
}

function isIgnored(uri: vscode.Uri, rules: Map<string, IgnoreRules>): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const folderRules = folder && rules.get(folder.uri.toString());
  return folderRules !== undefined && folderRules.ignores(relativeTo(folder!.uri, uri));
}

function relativeTo(root: vscode.Uri, uri: vscode.Uri): string {
  return uri.path.slice(root.path.replace(/\/$/, '').length + 1);
}

async function readOptional(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
