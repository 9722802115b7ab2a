import * as vscode from 'vscode';

/** The log's name in the Output panel's list. */
export const LOG_NAME = 'Sonnet Chat';

export interface LazyLog {
  (): vscode.LogOutputChannel;
  dispose(): void;
}

/**
 * The extension's one log, made the first time something is logged or shown: activation itself
 * makes no channel, so a window that never uses the chat has none.
 */
export function lazyLog(): LazyLog {
  let channel: vscode.LogOutputChannel | undefined;
  const log = () => (channel ??= vscode.window.createOutputChannel(LOG_NAME, { log: true }));
  return Object.assign(log, { dispose: () => channel?.dispose() });
}
