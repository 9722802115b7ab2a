import * as vscode from 'vscode';
import { CHECKPOINT_SETTINGS, normalizeCheckpointSettings, type CheckpointSettings, type RawCheckpointSettings } from './chat/checkpointSettings';
import { normalizeConfig, SETTINGS, type RawSettings, type SonnetConfig } from './chat/settings';

export type { SonnetConfig } from './chat/settings';

/** The current `sonnet.*` settings; read at each request, so a change applies to the next one. */
export function readConfig(): SonnetConfig {
  const settings = vscode.workspace.getConfiguration('sonnet');
  const raw: RawSettings = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, settings.get(name)]));
  return normalizeConfig(raw);
}

/** The current `sonnet.checkpoints.*` settings. */
export function readCheckpointSettings(): CheckpointSettings {
  const settings = vscode.workspace.getConfiguration('sonnet.checkpoints');
  const raw: RawCheckpointSettings = Object.fromEntries(Object.keys(CHECKPOINT_SETTINGS).map((name) => [name, settings.get(name)]));
  return normalizeCheckpointSettings(raw);
}
