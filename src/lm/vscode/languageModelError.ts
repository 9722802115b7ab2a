import * as vscode from 'vscode';
import { lmFailure } from '../errorMapping';

/** Our failure as the error a calling extension gets from its `sendRequest`, with our message. */
export function languageModelError(error: unknown): Error {
  const { kind, message } = lmFailure(error);
  switch (kind) {
    case 'NoPermissions':
      return vscode.LanguageModelError.NoPermissions(message);
    case 'Blocked':
      return vscode.LanguageModelError.Blocked(message);
    case 'NotFound':
      return vscode.LanguageModelError.NotFound(message);
    default:
      // VS Code hands a plain error on as a `LanguageModelError` of code `Unknown`, with this message.
      return new Error(message);
  }
}
