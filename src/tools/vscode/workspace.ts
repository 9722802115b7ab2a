/**
 * The workspace as the tools reach it: paths resolved and confined (`../paths.ts`, `../confine.ts`),
 * and file text read the way the user sees it, unsaved changes included.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { realLocation } from '../confine';
import { looksBinary } from '../format';
import { displayPath, insideGit, resolveWorkspacePath, secretReason } from '../paths';
import { ToolError } from '../types';

/** Larger files are refused rather than read into the extension host. */
export const MAX_READ_BYTES = 10 * 1024 * 1024;

export interface WorkspaceTarget {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** The path below the folder as typed. */
  segments: string[];
  /** The path as tools show it. */
  display: string;
  /** Where the path leads below the folder once symbolic links are followed; `segments` when none is on the way. */
  realSegments: string[];
  /** `realSegments` as tools show it. */
  realDisplay: string;
}

export function workspaceFolders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

/**
 * Where a path the model gave points, typed and after following links; throws a `ToolError` if it
 * may not be used (it leaves the workspace, or is a link to nothing).
 */
export async function resolveTarget(path: unknown): Promise<WorkspaceTarget> {
  const folders = workspaceFolders();
  const resolved = resolveWorkspacePath(path, folders);
  if (!resolved.ok) throw new ToolError(resolved.error);
  const folder = folders[resolved.rootIndex];
  const uri = resolved.segments.length > 0 ? vscode.Uri.joinPath(folder.uri, ...resolved.segments) : folder.uri;
  const realSegments = await assertStaysInside(folder.uri, uri, resolved.display);
  return { uri, folder, segments: resolved.segments, display: resolved.display, realSegments, realDisplay: displayPath(folders, resolved.rootIndex, realSegments) };
}

/**
 * Throws a `ToolError` when `uri` leads out of `root`; otherwise answers where it really is, as
 * segments below `root`. Local folders are followed with `realpath`, every link on the way included.
 * Other file systems (a virtual workspace) have no `realpath`; there no link may be on the way.
 */
export async function assertStaysInside(root: vscode.Uri, uri: vscode.Uri, display: string): Promise<string[]> {
  if (root.scheme === 'file') {
    const location = await realLocation(root.fsPath, uri.fsPath, fs.promises);
    if (location.inside) return location.segments;
    throw new ToolError(`${display} cannot be used: ${location.why}.`);
  }
  const segments = uri.path.slice(root.path.length).split('/').filter((segment) => segment !== '');
  for (let depth = 1; depth <= segments.length; depth++) {
    const stat = await statOf(vscode.Uri.joinPath(root, ...segments.slice(0, depth)));
    if (!stat) break;
    if (stat.type & vscode.FileType.SymbolicLink) throw new ToolError(`${display} cannot be used: it goes through a symbolic link, which tools do not follow here.`);
  }
  return segments;
}

/** How questions and errors name a target: `envlink → .env` when it is reached through a link. */
function nameOf(target: WorkspaceTarget): string {
  return target.realDisplay === target.display ? target.display : `${target.display} → ${target.realDisplay}`;
}

/**
 * The question to ask before touching a file that may hold secrets, judged where it leads and as
 * typed (either is enough); undefined for other files.
 */
export function secretQuestion(target: WorkspaceTarget, action: string): string | undefined {
  const reason = secretReason(target.realSegments) ?? secretReason(target.segments);
  return reason && `Allow Sonnet to ${action} ${nameOf(target)}? It is ${reason}, which may hold secrets.`;
}

/**
 * `secretQuestion` for a path the model gave. A path that cannot be used needs no consent: the call
 * itself then fails and says why.
 */
export async function consentToTouch(path: unknown, action: string): Promise<string | undefined> {
  const target = await resolveTarget(path).catch(() => undefined);
  return target && secretQuestion(target, action);
}

/**
 * Throws a `ToolError` for a file tools may not write whatever the user answers: anything in Git's
 * folder, typed or reached through a link, since Git runs its hooks and parts of its config as commands.
 */
export function assertWritable(target: WorkspaceTarget, verb: 'changed' | 'created'): void {
  if (!insideGit(target.realSegments) && !insideGit(target.segments)) return;
  const via = target.realDisplay === target.display ? '' : ` it leads to ${target.realDisplay}, and`;
  throw new ToolError(`${target.display} cannot be ${verb}:${via} Git's internal folder is never written by tools (Git runs its hooks and config as commands).`);
}

export async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/** The document open in an editor for `uri`, if any: its text is what the user sees, saved or not. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
}

/** The text of a file, from its open editor if it has one; binary and huge files are refused. */
export async function readText(target: WorkspaceTarget): Promise<string> {
  const open = openDocument(target.uri);
  if (open) return open.getText();
  const stat = await statOf(target.uri);
  if (!stat) throw new ToolError(`${target.display} does not exist. Use find_files or list_directory to see what does.`);
  if (stat.type & vscode.FileType.Directory) throw new ToolError(`${target.display} is a folder; use list_directory to see inside it.`);
  if (stat.size > MAX_READ_BYTES) {
    throw new ToolError(`${target.display} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, too large to read; use search_text to find what you need in it.`);
  }
  const bytes = await vscode.workspace.fs.readFile(target.uri);
  if (looksBinary(bytes)) throw new ToolError(`${target.display} is a binary file (${stat.size} bytes); only text files can be read.`);
  return new TextDecoder().decode(bytes);
}

/** How tool results name a workspace file: relative, with the folder name first in a multi-root workspace. */
export function displayOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, workspaceFolders().length > 1);
}
