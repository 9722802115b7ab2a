/**
 * The `sonnet.checkpoints.*` settings, checked: whether turns take workspace checkpoints, the size
 * budgets of the shadow repository, and how long checkpoints are kept. package.json declares the
 * same defaults and bounds (a unit test keeps them in step).
 */
import type { ScanLimits } from '../checkpoints/workspaceScan';
import { bounded } from './settings';

export const CHECKPOINT_SETTINGS = {
  enabled: { default: true },
  maxWorkspaceMB: { default: 500, minimum: 1, maximum: 100_000, integer: true },
  maxFileMB: { default: 20, minimum: 1, maximum: 2_000, integer: true },
  keepPerConversation: { default: 50, minimum: 1, maximum: 1_000, integer: true },
  maxAgeDays: { default: 30, minimum: 1, maximum: 3_650, integer: true },
} as const;

export type RawCheckpointSettings = { [K in keyof typeof CHECKPOINT_SETTINGS]?: unknown };

export interface CheckpointSettings {
  enabled: boolean;
  limits: ScanLimits;
  keepPerConversation: number;
  maxAgeMs: number;
}

const MB = 1024 * 1024;
const DAY_MS = 24 * 3600_000;

export function normalizeCheckpointSettings(raw: RawCheckpointSettings): CheckpointSettings {
  return {
    enabled: raw.enabled !== false,
    limits: { maxWorkspaceBytes: bounded(raw.maxWorkspaceMB, CHECKPOINT_SETTINGS.maxWorkspaceMB) * MB, maxFileBytes: bounded(raw.maxFileMB, CHECKPOINT_SETTINGS.maxFileMB) * MB },
    keepPerConversation: bounded(raw.keepPerConversation, CHECKPOINT_SETTINGS.keepPerConversation),
    maxAgeMs: bounded(raw.maxAgeDays, CHECKPOINT_SETTINGS.maxAgeDays) * DAY_MS,
  };
}
