/**
 * The `sonnet.*` settings as the chat uses them. Reading them from VS Code lives in `src/config.ts`;
 * the checking lives here, in plain TypeScript, so it runs in unit tests without an editor.
 */
export interface SonnetConfig {
  /** Without a trailing slash: `/messages` and `/credits` are appended to it. */
  baseUrl: string;
  model: string;
  maxTokens: number;
  thinking: boolean;
  /** Empty means the built-in system prompt. */
  systemPrompt: string;
  timeoutMs: number;
  maxRetries: number;
  /** How many times the model may have tools run in one turn. */
  maxToolRounds: number;
}

/** The settings as `package.json` declares them, before checking. */
export interface RawSettings {
  baseUrl?: unknown;
  model?: unknown;
  maxTokens?: unknown;
  thinking?: unknown;
  systemPrompt?: unknown;
  requestTimeoutSeconds?: unknown;
  maxRetries?: unknown;
  maxToolRounds?: unknown;
}

/** The defaults of `package.json`; they apply wherever a setting is missing or malformed. */
export const DEFAULT_CONFIG: SonnetConfig = {
  baseUrl: 'https://api.aivideoapi.ai/v1',
  model: 'claude-sonnet-4-6',
  maxTokens: 8192,
  thinking: false,
  systemPrompt: '',
  timeoutMs: 60_000,
  maxRetries: 2,
  maxToolRounds: 25,
};

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/** A whole number within the bounds `package.json` declares (settings.json is not validated on read). */
function integer(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

export function normalizeConfig(raw: RawSettings): SonnetConfig {
  const timeoutSeconds = integer(raw.requestTimeoutSeconds, 5, 600, DEFAULT_CONFIG.timeoutMs / 1000);
  return {
    baseUrl: text(raw.baseUrl, DEFAULT_CONFIG.baseUrl).replace(/\/+$/, ''),
    model: text(raw.model, DEFAULT_CONFIG.model),
    maxTokens: integer(raw.maxTokens, 1, 64_000, DEFAULT_CONFIG.maxTokens),
    thinking: raw.thinking === true,
    systemPrompt: typeof raw.systemPrompt === 'string' ? raw.systemPrompt.trim() : '',
    timeoutMs: timeoutSeconds * 1000,
    maxRetries: integer(raw.maxRetries, 0, 10, DEFAULT_CONFIG.maxRetries),
    maxToolRounds: integer(raw.maxToolRounds, 1, 200, DEFAULT_CONFIG.maxToolRounds),
  };
}
