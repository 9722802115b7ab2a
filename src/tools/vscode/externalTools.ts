/**
 * Our tools joined with VS Code's and, when given, the MCP servers' (`createExternalTools`): what the
 * chat offers the model. The settings are read at each listing and call, so a change applies to the
 * next request; "Always allow" writes the user's settings (a workspace cannot allow-list tools).
 */
import * as vscode from 'vscode';
import type { Logger } from '../../api/log';
import type { ApprovalBroker } from '../approvals';
import { CompositeTools } from '../compositeTools';
import { TOOL_SPECS } from '../definitions';
import { normalizeExternalToolSettings, withName, type ExternalToolSettings } from '../externalToolSettings';
import type { ExternalToolSource } from '../externalTools';
import type { McpToolSource } from '../mcpToolSource';
import { mcpTools } from '../mcpTools';
import type { ToolRunner } from '../types';
import { languageModelToolName } from './languageModelTools';
import { vscodeTools } from './vscodeTools';

/** How long a request waits for a source's list of tools (an MCP server that is still starting). */
const LIST_WAIT_MS = 2_000;

export interface ExternalToolsOptions {
  /** Our own tools (`EditorTools.registry`). */
  own: ToolRunner;
  approvals: ApprovalBroker;
  /** The MCP servers' tools; without it only VS Code's are added. */
  mcp?: McpToolSource;
  log: Logger;
}

export function readExternalToolSettings(): ExternalToolSettings {
  const get = (section: string, key: string) => vscode.workspace.getConfiguration(section).get(key);
  return normalizeExternalToolSettings({
    offered: get('sonnet.vscodeTools', 'offered'),
    allowed: get('sonnet.vscodeTools', 'allowed'),
    allowedServers: get('sonnet.mcp', 'allowedServers'),
    timeoutSeconds: get('sonnet.externalTools', 'timeoutSeconds'),
  });
}

/** Adds `name` to the user's list `section.key`. */
async function addToUserList(section: string, key: string, name: string): Promise<void> {
  const settings = vscode.workspace.getConfiguration(section);
  const current = settings.inspect<unknown>(key)?.globalValue;
  const list = Array.isArray(current) ? current.filter((item): item is string => typeof item === 'string') : [];
  await settings.update(key, withName(list, name), vscode.ConfigurationTarget.Global);
}

export function createExternalTools({ own, approvals, mcp, log }: ExternalToolsOptions): CompositeTools {
  const sources: ExternalToolSource[] = [
    vscodeTools({
      ownNames: new Set(TOOL_SPECS.map((spec) => languageModelToolName(spec.name))),
      mcpServers: () => mcp?.serverNames() ?? [],
      settings: readExternalToolSettings,
      allowTool: (name) => addToUserList('sonnet.vscodeTools', 'allowed', name),
    }),
  ];
  if (mcp) {
    sources.push(
      mcpTools(mcp, {
        allowedServers: () => readExternalToolSettings().allowedMcpServers,
        allowServer: (server) => addToUserList('sonnet.mcp', 'allowedServers', server),
      }),
    );
  }
  return new CompositeTools({
    own,
    ownNames: TOOL_SPECS.map((spec) => spec.name),
    sources,
    approvals,
    listWaitMs: LIST_WAIT_MS,
    callTimeoutMs: () => readExternalToolSettings().callTimeoutMs,
    timeoutSetting: 'sonnet.externalTools.timeoutSeconds',
    log,
  });
}
