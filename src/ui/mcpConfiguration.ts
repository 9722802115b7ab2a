/**
 * Where the MCP servers are configured, read the VS Code way: each workspace folder's
 * `.vscode/mcp.json` (its `${workspaceFolder}` that folder) and the user's `sonnet.mcpServers`.
 * Watched: a change to either is handed on as the whole configuration again.
 */
import * as vscode from 'vscode';
import { NO_MCP_CONFIGURATION, parseMcpJson, readMcpConfiguration, type McpConfiguration, type McpInput } from '../mcp/mcpConfig';
import type { McpServerEntry } from '../mcp/mcpServers';
import type { McpServerOrigin } from '../tools/mcpToolSource';

export const MCP_SERVERS_SETTING = 'sonnet.mcpServers';

/** A configured server, with what its variables need: the inputs declared beside it, and its folder. */
export interface McpConfiguredServer extends McpServerEntry {
  inputs: McpInput[];
  /** The folder of its mcp.json (for a server from the settings: none). */
  folder?: vscode.Uri;
}

export interface McpConfigurationRead {
  servers: McpConfiguredServer[];
  problems: string[];
}

export async function readMcpServers(): Promise<McpConfigurationRead> {
  const problems: string[] = [];
  const servers: McpConfiguredServer[] = [];
  const add = (configuration: McpConfiguration, folder?: vscode.Uri) => {
    problems.push(...configuration.problems);
    for (const config of configuration.servers) {
      if (servers.some((known) => known.config.name === config.name)) {
        problems.push(`${folder ? mcpJsonOf(folder).fsPath : MCP_SERVERS_SETTING}: server "${config.name}" has the name of another configured server; it is left out.`);
        continue;
      }
      const blocked = config.source === 'workspace' && !vscode.workspace.isTrusted ? 'is not started: the workspace is not trusted (Restricted Mode)' : undefined;
      const origin: McpServerOrigin = folder ? { kind: 'workspace', folder: folder.scheme === 'file' ? folder.fsPath : folder.toString() } : { kind: 'settings' };
      servers.push({ config, origin, inputs: configuration.inputs, ...(folder ? { folder } : {}), ...(blocked ? { blocked } : {}) });
    }
  };
  // The user's own servers first: a workspace cannot take a name the user gave one.
  add(readMcpConfiguration(userSetting() ?? { servers: {} }, 'settings', MCP_SERVERS_SETTING));
  for (const folder of vscode.workspace.workspaceFolders ?? []) add(await readMcpJson(folder.uri), folder.uri);
  return { servers, problems };
}

/** Calls `onChange` when an mcp.json, the setting, the folders or the workspace's trust change. */
export function watchMcpServers(onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(onChange),
    watcher.onDidChange(onChange),
    watcher.onDidDelete(onChange),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(MCP_SERVERS_SETTING)) onChange();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(onChange),
    vscode.workspace.onDidGrantWorkspaceTrust(onChange),
  );
}

/** The user's value only: the setting is application-scoped, and a workspace's copy is never used. */
function userSetting(): unknown {
  return vscode.workspace.getConfiguration().inspect(MCP_SERVERS_SETTING)?.globalValue;
}

async function readMcpJson(folder: vscode.Uri): Promise<McpConfiguration> {
  const file = mcpJsonOf(folder);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(file);
  } catch {
    return NO_MCP_CONFIGURATION;
  }
  return parseMcpJson(new TextDecoder().decode(bytes), vscode.workspace.asRelativePath(file, true));
}

function mcpJsonOf(folder: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(folder, '.vscode', 'mcp.json');
}
