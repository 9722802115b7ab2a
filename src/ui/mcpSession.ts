/**
 * The MCP part in the editor: the servers of `.vscode/mcp.json` and `sonnet.mcpServers`, their
 * variables and inputs, their notices in the Chat view, the server list, and their end with the
 * window. Servers start only when a conversation asks for their tools (`source.tools`).
 */
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { McpServerConfig } from '../mcp/mcpConfig';
import { McpServers } from '../mcp/mcpServers';
import { inputIdsOf, resolveVariables } from '../mcp/mcpVariables';
import type { McpToolSource } from '../tools/mcpToolSource';
import type { ChatUpdate } from '../chat/turnRun';
import { readMcpServers, watchMcpServers, type McpConfiguredServer } from './mcpConfiguration';
import { McpInputValues } from './mcpInputs';
import { restartMcpServer, showMcpServers, type McpServerListHost } from './mcpServerList';

export interface McpSession extends vscode.Disposable {
  /** What the tool layer offers the model and calls. */
  source: McpToolSource;
  commands: Record<string, (...args: never[]) => unknown>;
  /** Restart from a notice in the Chat view. */
  restart(server: string): void;
  /** The notices still standing, for a Chat view that (re)loaded. */
  postNotices(): void;
}

export interface McpSessionHost {
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  post: (message: ChatUpdate) => void;
}

export function startMcpSession({ secrets, log, post }: McpSessionHost): McpSession {
  const inputs = new McpInputValues(secrets);
  const changed = new vscode.EventEmitter<void>();
  const notices = new Map<string, string>();
  /** Servers whose notice says they failed: running again answers it. A crash they were restarted after stays told. */
  const failed = new Set<string>();
  let configured = new Map<string, McpConfiguredServer>();
  let problems: string[] = [];

  const servers = new McpServers({
    log,
    timeoutMs: () => 1000 * Math.min(3600, Math.max(1, Number(vscode.workspace.getConfiguration('sonnet.mcp').get('timeoutSeconds')) || 60)),
    prepare: (config) => prepare(config, configured.get(config.name), inputs),
    onFailure: (server, message) => {
      notices.set(server, message);
      post({ type: 'mcpNotice', server, message });
    },
    onChange: () => {
      // A server that failed and runs again takes its notice away.
      for (const status of servers.statuses()) {
        if (status.state.kind === 'failed') failed.add(status.name);
        else if (status.state.kind === 'running' && failed.delete(status.name) && notices.delete(status.name)) post({ type: 'mcpNotice', server: status.name });
      }
      changed.fire();
    },
  });

  const load = async () => {
    try {
      const read = await readMcpServers();
      problems = read.problems;
      for (const problem of problems) log.warn(`MCP configuration: ${problem}`);
      configured = new Map(read.servers.map((server) => [server.config.name, server]));
      for (const name of notices.keys()) if (!configured.has(name) && notices.delete(name)) post({ type: 'mcpNotice', server: name });
      servers.configure(read.servers.map(({ config, origin, blocked }) => ({ config, origin, ...(blocked ? { blocked } : {}) })));
    } catch (error) {
      log.error(`MCP configuration could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // Read now (cheap: no server starts) and after every change, one read after the other.
  let loaded = load();
  const reload = () => {
    loaded = loaded.then(load);
  };
  const watcher = watchMcpServers(reload);

  const list: McpServerListHost = {
    statuses: () => servers.statuses(),
    problems: () => problems,
    restart: async (server) => {
      await loaded;
      await servers.restart(server);
    },
    onDidChange: changed.event,
    showLog: () => log.show(true),
  };

  return {
    source: {
      tools: async (signal) => {
        await loaded;
        return servers.tools(signal);
      },
      call: (server, tool, input, signal) => servers.call(server, tool, input, signal),
      serverNames: () => servers.serverNames(),
    },
    commands: {
      'sonnet.showMcpServers': () => loaded.then(() => showMcpServers(list)),
      'sonnet.restartMcpServer': (server?: unknown) => restartMcpServer(list, server),
    },
    restart: (server) => {
      // The view took the notice away when Restart was pressed; a reloaded view must not show it again.
      notices.delete(server);
      void restartMcpServer(list, server);
    },
    postNotices: () => {
      for (const [server, message] of notices) post({ type: 'mcpNotice', server, message });
    },
    dispose: () => {
      watcher.dispose();
      changed.dispose();
      void servers.dispose();
    },
  };
}

/** The server ready to start: variables resolved (inputs asked for), in its folder unless it names one. */
async function prepare(config: McpServerConfig, configured: McpConfiguredServer | undefined, inputs: McpInputValues): Promise<McpServerConfig> {
  const folder = configured?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const folderPath = folder?.scheme === 'file' ? folder.fsPath : undefined;
  const values = await inputs.values(inputIdsOf(config), configured?.inputs ?? [], configured?.folder, config.name);
  let resolved: McpServerConfig;
  try {
    resolved = resolveVariables(config, { workspaceFolder: folderPath, userHome: os.homedir(), pathSeparator: path.sep, env: process.env, inputs: values });
  } catch (error) {
    throw new Error(`could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (resolved.kind === 'stdio' && resolved.cwd === undefined && folderPath) return { ...resolved, cwd: folderPath };
  return resolved;
}
