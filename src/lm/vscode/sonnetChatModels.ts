/**
 * Registers Claude Sonnet 4.6 as a VS Code language model (vendor `sonnet-chat`), for every extension
 * that uses `vscode.lm.selectChatModels`. Listing the model needs only the key and the settings (VS
 * Code asks every provider at start); counting tokens and answering are in the session, loaded by the
 * first extension that uses the model.
 */
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../../auth/apiKeyStore';
import { readConfig } from '../../config';
import { LM_VENDOR, sonnetModelInformation } from '../modelInformation';
import type { LanguageModelResponder } from './chatResponder';

/** The settings the model's description depends on. */
const MODEL_SETTINGS = ['sonnet.maxTokens'];

export function registerSonnetChatModels(keys: ApiKeyStore, responder: () => LanguageModelResponder): vscode.Disposable[] {
  // Feature-detected, as the tools are: hosts without the API still get the chat.
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') return [];
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.LanguageModelChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    async provideLanguageModelChatInformation({ silent }) {
      // Without a key there is no model; VS Code's `selectChatModels` asks silently, and is not interrupted.
      const key = (await keys.get()) ?? (silent ? undefined : await keys.promptAndStore());
      return key ? [sonnetModelInformation(readConfig().maxTokens)] : [];
    },
    provideLanguageModelChatResponse: (_model, messages, options, progress, token) => responder().respond(messages, options, progress, token),
    provideTokenCount: (_model, text) => Promise.resolve(responder().countTokens(text)),
  };
  return [
    changed,
    keys.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (MODEL_SETTINGS.some((setting) => event.affectsConfiguration(setting))) changed.fire();
    }),
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider),
  ];
}
