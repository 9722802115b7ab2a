import * as vscode from 'vscode';
import { findRipgrep } from '../ripgrepLocation';
import { ToolError } from '../types';

let found: string | undefined;

/** VS Code's own ripgrep, looked up once under its install folder; a `ToolError` when it has none. */
export function ripgrepPath(): string {
  found ??= findRipgrep(vscode.env.appRoot);
  if (!found) throw new ToolError(`Searching needs ripgrep, which VS Code ships, but none was found under ${vscode.env.appRoot}.`);
  return found;
}
