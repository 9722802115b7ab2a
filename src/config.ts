import * as vscode from 'vscode';
import { normalizeConfig, type RawSettings, type SonnetConfig } from './chat/settings';

export type { SonnetConfig } from './chat/settings';

/** The current `sonnet.*` settings; read at each request, so a change applies to the next one. */
export function readConfig(): SonnetConfig {
  const settings = vscode.workspace.getConfiguration('sonnet');
  const raw: RawSettings = {
    baseUrl: settings.get('baseUrl'),
    model: settings.get('model'),
    maxTokens: settings.get('maxTokens'),
    thinking: settings.get('thinking'),
    systemPrompt: settings.get('systemPrompt'),
    requestTimeoutSeconds: settings.get('requestTimeoutSeconds'),
    maxRetries: settings.get('maxRetries'),
    maxToolRounds: settings.get('maxToolRounds'),
  };
  return normalizeConfig(raw);
}
