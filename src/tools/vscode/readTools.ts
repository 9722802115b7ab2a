/** The read-only tools: they run without asking, except on files that may hold secrets. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { capText, numberedLines } from '../format';
import type { ToolHandler } from '../registry';
import { hasImageSignature, imageOutcome } from '../imageResult';
import { done, ToolError, type ToolOutcome } from '../types';
import { consentToTouch, displayOf, MAX_READ_BYTES, openDocument, readText, resolveTarget, statOf, workspaceFolders, type WorkspaceTarget } from './workspace';

/** Entries listed per folder; enough to see its shape, not a dump of node_modules. */
const MAX_ENTRIES = 500;
const MAX_DIAGNOSTICS = 200;
/** Selected text beyond this is cut; the model can read the file for the rest. */
const MAX_SELECTION_CHARS = 20_000;

export const readFile: ToolHandler<'read_file'> = {
  name: 'read_file',
  consentNeeded: (input) => consentToTouch(input.path, 'read'),
  async run(input) {
    const target = await resolveTarget(input.path);
    const image = await readImage(target);
    if (image) return image;
    const result = numberedLines(await readText(target), { path: target.display, startLine: input.startLine, endLine: input.endLine });
    if (result.error !== undefined) throw new ToolError(result.error);
    return done(result.text, result.text.split('\n', 1)[0].replace(/:$/, ''));
  },
};

/**
 * The file as an image for the model, if its bytes are one (whatever its name); undefined for any
 * other file, which is read as text. A file open in an editor is text.
 */
async function readImage(target: WorkspaceTarget): Promise<ToolOutcome | undefined> {
  if (openDocument(target.uri)) return undefined;
  const stat = await statOf(target.uri);
  if (!stat || stat.type & vscode.FileType.Directory || stat.size > MAX_READ_BYTES) return undefined;
  // A local file's first bytes say whether it is worth reading whole as an image.
  if (target.uri.scheme === 'file') {
    const handle = await fs.promises.open(target.uri.fsPath, 'r').catch(() => undefined);
    if (!handle) return undefined;
    const head = new Uint8Array(16);
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    if (!hasImageSignature(head)) return undefined;
  }
  return imageOutcome(target.display, await vscode.workspace.fs.readFile(target.uri));
}

export const listDirectory: ToolHandler<'list_directory'> = {
  name: 'list_directory',
  consentNeeded: (input) => consentToTouch(input.path ?? '', 'list'),
  async run(input) {
    const folders = workspaceFolders();
    if (!input.path?.replace(/[./\\]/g, '') && folders.length > 1) {
      return done(`The workspace has ${folders.length} folders:\n${folders.map((folder) => `${folder.name}/`).join('\n')}`);
    }
    const target = await resolveTarget(input.path ?? '');
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(target.uri);
    } catch {
      throw new ToolError(`${target.display} is not a folder of the workspace. Use find_files to look for it.`);
    }
    const isFolder = (type: vscode.FileType) => (type & vscode.FileType.Directory) !== 0;
    entries.sort(([a, typeA], [b, typeB]) => Number(isFolder(typeB)) - Number(isFolder(typeA)) || a.localeCompare(b));
    const lines = entries.slice(0, MAX_ENTRIES).map(([name, type]) => `${name}${isFolder(type) ? '/' : ''}${type & vscode.FileType.SymbolicLink ? ' (link)' : ''}`);
    if (entries.length > MAX_ENTRIES) lines.push(`[${entries.length - MAX_ENTRIES} more entries not shown.]`);
    const header = `${target.display} holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${entries.length ? ':' : '.'}`;
    return done([header, ...lines].join('\n'), header.replace(/:$/, ''));
  },
};

const SEVERITIES: Record<'error' | 'warning' | 'all', vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  all: vscode.DiagnosticSeverity.Hint,
};
const SEVERITY_NAMES = ['error', 'warning', 'info', 'hint'];

export const getDiagnostics: ToolHandler<'get_diagnostics'> = {
  name: 'get_diagnostics',
  async run(input) {
    const worst = SEVERITIES[input.severity ?? 'warning'];
    const file = input.path === undefined ? undefined : await resolveTarget(input.path);
    const scope: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = file
      ? [[file.uri, vscode.languages.getDiagnostics(file.uri)]]
      : vscode.languages.getDiagnostics().filter(([uri]) => vscode.workspace.getWorkspaceFolder(uri) !== undefined);
    const lines = scope.flatMap(([uri, diagnostics]) =>
      diagnostics
        .filter((diagnostic) => diagnostic.severity <= worst)
        .map((diagnostic) => {
          const { line, character } = diagnostic.range.start;
          const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
          const origin = [diagnostic.source, code].filter((part) => part !== undefined && part !== '').join(' ');
          return `${displayOf(uri)}:${line + 1}:${character + 1} ${SEVERITY_NAMES[diagnostic.severity]}: ${diagnostic.message}${origin ? ` [${origin}]` : ''}`;
        }),
    );
    const where = file?.display ?? 'the workspace';
    if (lines.length === 0) {
      // Language servers report on the files they have looked at, often only the open ones.
      return done(`No ${input.severity === 'error' ? 'errors' : 'problems'} reported for ${where} (language tools report on files they have analysed, often only open ones).`, 'No problems');
    }
    const shown = lines.slice(0, MAX_DIAGNOSTICS);
    if (lines.length > MAX_DIAGNOSTICS) shown.push(`[${lines.length - MAX_DIAGNOSTICS} more not shown; ask for one file at a time.]`);
    return done(`${lines.length} problem${lines.length === 1 ? '' : 's'} in ${where}:\n${shown.join('\n')}`, `${lines.length} problem${lines.length === 1 ? '' : 's'}`);
  },
};

export const getSelection: ToolHandler<'get_selection'> = {
  name: 'get_selection',
  consentNeeded: async () => {
    const document = vscode.window.activeTextEditor?.document;
    return document && !document.isUntitled ? consentToTouch(displayOf(document.uri), 'share the selection of') : undefined;
  },
  async run() {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return done('No editor is active: the user is not looking at a file right now.', 'No active editor');
    const { document, selection } = editor;
    const inWorkspace = vscode.workspace.getWorkspaceFolder(document.uri) !== undefined;
    if (!inWorkspace && !document.isUntitled) {
      return done('The active editor shows a file outside the workspace; tools only share workspace files.', 'A file outside the workspace');
    }
    const name = document.isUntitled ? `an unsaved new file (${document.uri.path})` : displayOf(document.uri);
    const cursor = selection.active;
    const lines = [`File: ${name}`, `Language: ${document.languageId}`, `Lines in the file: ${document.lineCount}`, `Cursor: line ${cursor.line + 1}, column ${cursor.character + 1}`];
    if (selection.isEmpty) {
      lines.push('Nothing is selected.');
    } else {
      const text = document.getText(selection);
      lines.push(`Selection: line ${selection.start.line + 1}, column ${selection.start.character + 1} to line ${selection.end.line + 1}, column ${selection.end.character + 1}`, '', capText(text, MAX_SELECTION_CHARS));
    }
    return done(lines.join('\n'), `${name}${selection.isEmpty ? '' : `, lines ${selection.start.line + 1}–${selection.end.line + 1}`}`);
  },
};
