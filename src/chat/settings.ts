import { CHAT_MODES, type ChatMode } from '../shared/chatModes';

/**
 * The `sonnet.*` settings as the chat uses them. Reading them from VS Code lives in `src/config.ts`;
 * the checking lives here, in plain TypeScript, so it runs in unit tests without an editor.
 *
 * `SETTINGS` is the one place their defaults and bounds are written; package.json declares the same
 * (a unit test keeps the two in step), and the API client takes them as options, with none of its own.
 */
export interface SonnetConfig {
  /** Without a trailing slash: `/messages` and `/credits` are appended to it. */
  baseUrl: string;
  model: string;
  maxTokens: number;
  /** Extended thinking for a conversation that has not chosen (`Conversation.thinking`). */
  thinking: boolean;
  /** The mode of a conversation that has not chosen one (`Conversation.mode`). */
  defaultMode: ChatMode;
  /** Added after the built-in system prompt; empty adds nothing. */
  systemPrompt: string;
  timeoutMs: number;
  maxRetries: number;
  /** How many times the model may have tools run in one turn. */
  maxToolRounds: number;
  /** How long `run_command` waits for a command when the model gives no timeout. */
  commandTimeoutMs: number;
  /** Tool rounds in a row in which something ran without a click (an edit or a command), before the next one asks. */
  maxAutoApprovedRounds: number;
  /** The share of the context window past which older turns are compacted; 0: never automatically. */
  compactionThreshold: number;
}

export interface NumberSetting {
  default: number;
  minimum: number;
  maximum: number;
  /** Whole numbers only (`integer` in package.json). */
  integer: boolean;
}

/** Defaults and bounds of the `sonnet.*` settings, by their name in package.json (without `sonnet.`). */
export const SETTINGS = {
  baseUrl: { default: 'https://api.aivideoapi.ai/v1' },
  model: { default: 'claude-sonnet-4-6' },
  maxTokens: { default: 8192, minimum: 1, maximum: 64_000, integer: true },
  thinking: { default: false },
  defaultMode: { default: 'agent' },
  systemPrompt: { default: '' },
  requestTimeoutSeconds: { default: 60, minimum: 5, maximum: 600, integer: false },
  maxRetries: { default: 2, minimum: 0, maximum: 10, integer: true },
  maxToolRounds: { default: 25, minimum: 1, maximum: 200, integer: true },
  'tools.commandTimeoutSeconds': { default: 120, minimum: 1, maximum: 3600, integer: true },
  'tools.maxAutoApprovedRounds': { default: 20, minimum: 1, maximum: 1000, integer: true },
  'compaction.threshold': { default: 0.8, minimum: 0, maximum: 0.95, integer: false },
} as const satisfies Record<string, { default: unknown } | NumberSetting>;

/** The settings as `package.json` declares them, before checking. */
export type RawSettings = { [K in keyof typeof SETTINGS]?: unknown };

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/** A number within the setting's bounds (settings.json is not validated on read); its default otherwise. */
export function bounded(value: unknown, setting: NumberSetting): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return setting.default;
  const inRange = Math.min(setting.maximum, Math.max(setting.minimum, value));
  return setting.integer ? Math.round(inRange) : inRange;
}

export function normalizeConfig(raw: RawSettings): SonnetConfig {
  return {
    baseUrl: text(raw.baseUrl, SETTINGS.baseUrl.default).replace(/\/+$/, ''),
    model: text(raw.model, SETTINGS.model.default),
    maxTokens: bounded(raw.maxTokens, SETTINGS.maxTokens),
    thinking: raw.thinking === true,
    defaultMode: CHAT_MODES.find((mode) => mode === raw.defaultMode) ?? SETTINGS.defaultMode.default,
    systemPrompt: typeof raw.systemPrompt === 'string' ? raw.systemPrompt.trim() : SETTINGS.systemPrompt.default,
    timeoutMs: Math.round(bounded(raw.requestTimeoutSeconds, SETTINGS.requestTimeoutSeconds) * 1000),
    maxRetries: bounded(raw.maxRetries, SETTINGS.maxRetries),
    maxToolRounds: bounded(raw.maxToolRounds, SETTINGS.maxToolRounds),
    commandTimeoutMs: bounded(raw['tools.commandTimeoutSeconds'], SETTINGS['tools.commandTimeoutSeconds']) * 1000,
    maxAutoApprovedRounds: bounded(raw['tools.maxAutoApprovedRounds'], SETTINGS['tools.maxAutoApprovedRounds']),
    compactionThreshold: bounded(raw['compaction.threshold'], SETTINGS['compaction.threshold']),
  };
}

/** Every setting at its default. */
export const DEFAULT_CONFIG: SonnetConfig = normalizeConfig({});
