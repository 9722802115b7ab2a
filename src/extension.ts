import * as vscode from 'vscode';
import { MessagesClient } from './api/client';
import { ApiKeyStore } from './auth/apiKeyStore';
import { ChatController } from './chat/chatController';
import { plainPrompt } from './chat/prompts';
import { readConfig } from './config';
import { ChatViewProvider } from './ui/chatViewProvider';
import { registerCommands } from './ui/commands';
import { runErrorAction, type ErrorActionContext } from './ui/errorActions';

/** Wires the parts together; each one is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): void {
  const keys = new ApiKeyStore(context.secrets);

  // The view and the controller refer to each other, hence the explicit type.
  const view: ChatViewProvider = new ChatViewProvider(context.extensionUri, {
    snapshot: () => controller.snapshot(),
    handlers: {
      send: ({ text }) => void controller.send(plainPrompt(text)),
      stop: () => void controller.stop(),
      retry: ({ turnId }) => void controller.retry(turnId),
      action: ({ action, turnId }) => void runErrorAction(action, turnId, actions),
      newChat: () => controller.newChat(),
    },
  });

  const controller = new ChatController({
    sink: view,
    readConfig,
    // Asked for once, when a message is sent without one; cancelling shows the error card instead.
    resolveApiKey: async () => (await keys.get()) ?? (await keys.promptAndStore()),
    createClient: (options) => new MessagesClient(options),
    onBusyChange: (busy) => void vscode.commands.executeCommand('setContext', 'sonnet.busy', busy),
  });

  const actions: ErrorActionContext = {
    extensionId: context.extension.id,
    controller,
    keys,
    getCredits: (apiKey) => {
      const config = readConfig();
      return new MessagesClient({ baseUrl: config.baseUrl, apiKey, timeoutMs: config.timeoutMs, maxRetries: 0 }).getCredits();
    },
  };

  context.subscriptions.push(
    keys,
    view,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    ...registerCommands(actions),
    { dispose: () => controller.stop() },
  );
}

export function deactivate(): void {
  // Everything is disposed through `context.subscriptions`.
}
