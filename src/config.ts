import * as vscode from 'vscode';
import { normalizeConfig, SETTINGS, type RawSettings, type SonnetConfig } from './chat/settings';

export type { SonnetConfig } from './chat/settings';

/** The current `sonnet.*` settings; read at each request, so a change applies to the next one. */
export function readConfig(): SonnetConfig {
  const settings = vscode.workspace.getConfiguration('sonnet');
  const raw: RawSettings = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, settings.get(name)]));
  return normalizeConfig(raw);
}
