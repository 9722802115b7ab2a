/**
 * The workspace as the tools reach it: paths resolved and confined (`../paths.ts`, `../confine.ts`),
 * and file text read the way the user sees it, unsaved changes included.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { symlinkEscape } from '../confine';
import { looksBinary } from '../format';
import { resolveWorkspacePath, secretReason } from '../paths';
import { ToolError } from '../types';

/** Larger files are refused rather than read into the extension host. */
const MAX_READ_BYTES = 10 * 1024 * 1024;

export interface WorkspaceTarget {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  segments: string[];
  /** The path as tools show it. */
  display: string;
}

export function workspaceFolders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

/** Where a path the model gave points, without touching the disk; throws a `ToolError` if it may not. */
function locate(path: unknown): WorkspaceTarget {
  const folders = workspaceFolders();
  const resolved = resolveWorkspacePath(path, folders);
  if (!resolved.ok) throw new ToolError(resolved.error);
  const folder = folders[resolved.rootIndex];
  const uri = resolved.segments.length > 0 ? vscode.Uri.joinPath(folder.uri, ...resolved.segments) : folder.uri;
  return { uri, folder, segments: resolved.segments, display: resolved.display };
}

/** `locate`, then the symlink check against the real file system. */
export async function resolveTarget(path: unknown): Promise<WorkspaceTarget> {
  const target = locate(path);
  await assertStaysInside(target.folder.uri, target.uri, target.display);
  return target;
}

/**
 * Local folders are checked with `realpath`, every link on the way included. Other file systems (a
 * virtual workspace) have no `realpath`; there the target itself must not be a link.
 */
export async function assertStaysInside(root: vscode.Uri, uri: vscode.Uri, display: string): Promise<void> {
  let why: string | undefined;
  if (root.scheme === 'file') {
    why = await symlinkEscape(root.fsPath, uri.fsPath, fs.promises);
  } else {
    const stat = await statOf(uri);
    if (stat && stat.type & vscode.FileType.SymbolicLink) why = 'it is a symbolic link, which tools do not follow here';
  }
  if (why) throw new ToolError(`${display} cannot be used: ${why}.`);
}

/** The question to ask before touching a file that may hold secrets; undefined for other paths. */
export function secretQuestion(path: unknown, action: string): string | undefined {
  const folders = workspaceFolders();
  const resolved = resolveWorkspacePath(path, folders);
  if (!resolved.ok) return undefined;
  const reason = secretReason(resolved.segments);
  return reason && `Allow Sonnet to ${action} ${resolved.display}? It is ${reason}, which may hold secrets.`;
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
