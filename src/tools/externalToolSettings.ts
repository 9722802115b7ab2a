/**
 * The settings of other sources' tools, checked in plain TypeScript (read from VS Code in
 * `vscode/externalTools.ts`): which of VS Code's tools are offered, which run without asking, and how
 * long a call may take.
 */

/** `sonnet.vscodeTools.offered`: all of VS Code's tools (each call with approval), none, or those named. */
export type OfferedVscodeTools = 'all' | 'none' | ReadonlySet<string>;

export interface ExternalToolSettings {
  offeredVscodeTools: OfferedVscodeTools;
  /** `sonnet.vscodeTools.allowed`: VS Code's tools that run without a card, by the name VS Code knows them by. */
  allowedVscodeTools: readonly string[];
  /** `sonnet.mcp.allowedServers`: MCP servers whose tools run without a card, as `mcpAllowListEntry` writes them. */
  allowedMcpServers: readonly string[];
  /** `sonnet.externalTools.timeoutSeconds`, in ms. */
  callTimeoutMs: number;
}

/** `sonnet.externalTools.timeoutSeconds` as package.json declares it. */
export const EXTERNAL_TIMEOUT_SECONDS = { default: 120, minimum: 1, maximum: 3600 } as const;

function names(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

export function normalizeExternalToolSettings(raw: { offered?: unknown; allowed?: unknown; allowedServers?: unknown; timeoutSeconds?: unknown }): ExternalToolSettings {
  const offered = raw.offered === 'none' ? 'none' : Array.isArray(raw.offered) ? new Set(names(raw.offered)) : 'all';
  const { minimum, maximum } = EXTERNAL_TIMEOUT_SECONDS;
  const seconds = typeof raw.timeoutSeconds === 'number' && Number.isFinite(raw.timeoutSeconds) ? Math.min(maximum, Math.max(minimum, raw.timeoutSeconds)) : EXTERNAL_TIMEOUT_SECONDS.default;
  return { offeredVscodeTools: offered, allowedVscodeTools: names(raw.allowed), allowedMcpServers: names(raw.allowedServers), callTimeoutMs: seconds * 1000 };
}

/**
 * Whether a tool of `vscode.lm.tools` is offered. `all` means the tools of other extensions and of
 * VS Code's MCP servers, not VS Code's own (`ofVscodeItself`: its built-in chat's tools, such as
 * terminal confirmations, inline chat and task runners, which expect VS Code's chat around them);
 * a list offers the tools it names, VS Code's own included.
 */
export function isOffered(offered: OfferedVscodeTools, name: string, ofVscodeItself: boolean): boolean {
  if (offered === 'all') return !ofVscodeItself;
  return offered !== 'none' && offered.has(name);
}

/** `list` with `name` added once (what "Always allow" writes). */
export function withName(list: readonly string[], name: string): string[] {
  return list.includes(name) ? [...list] : [...list, name];
}
