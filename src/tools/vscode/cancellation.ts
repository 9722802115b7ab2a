/**
 * Bridges between VS Code's cancellation tokens and abort signals. Each bridge removes its listener
 * when disposed: a turn runs many tool calls on one signal, and a listener left behind per call made
 * Node warn of a leak (MaxListenersExceededWarning) after eleven of them.
 */
import * as vscode from 'vscode';

export interface TokenBridge extends vscode.Disposable {
  token: vscode.CancellationToken;
}

/** A cancellation token that follows `signal`; dispose it when the work is done. */
export function tokenFor(signal: AbortSignal): TokenBridge {
  const source = new vscode.CancellationTokenSource();
  const cancel = () => source.cancel();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return {
    token: source.token,
    dispose: () => {
      signal.removeEventListener('abort', cancel);
      source.dispose();
    },
  };
}

export interface SignalBridge extends vscode.Disposable {
  signal: AbortSignal;
}

/** An abort signal that follows `token`, for code written against signals; dispose it when done. */
export function signalFor(token: vscode.CancellationToken): SignalBridge {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return {
    signal: controller.signal,
    dispose: () => {
      listener.dispose();
    },
  };
}
