/**
 * Sonnet: Show MCP Servers — each configured server, where it comes from, and its state, kept up to
 * date while the list is open; Restart (Start, for one not started yet) and Show Log on each. And
 * Sonnet: Restart MCP Server.
 */
import * as vscode from 'vscode';
import type { McpServerState, McpServerStatus } from '../mcp/mcpServers';

export interface McpServerListHost {
  statuses(): McpServerStatus[];
  /** The entries of the configuration that were left out, and why. */
  problems(): string[];
  restart(server: string): Promise<void>;
  onDidChange: vscode.Event<void>;
  showLog(): void;
}

interface ServerItem extends vscode.QuickPickItem {
  /** Absent on a row that says what was left out of the configuration. */
  server?: string;
}

const RESTART: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-restart'), tooltip: 'Restart' };
const SHOW_LOG: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('output'), tooltip: 'Show Log' };

export function describeState(state: McpServerState): string {
  switch (state.kind) {
    case 'notStarted':
      return 'not started (starts with the first conversation)';
    case 'starting':
      return 'starting…';
    case 'running':
      return `running, ${state.tools.length} ${state.tools.length === 1 ? 'tool' : 'tools'}`;
    case 'failed':
      return `failed: ${state.reason}`;
    case 'blocked':
      return state.reason;
  }
}

export function showMcpServers(host: McpServerListHost): void {
  const pick = vscode.window.createQuickPick<ServerItem>();
  pick.title = 'MCP Servers';
  pick.placeholder = 'Enter restarts (or starts) the server; the buttons restart it or show the log';
  pick.matchOnDetail = true;
  const render = () => {
    const active = pick.activeItems[0]?.server;
    pick.items = host.statuses().map(({ name, source, state }) => ({
      server: name,
      label: `$(server) ${name}`,
      description: source === 'workspace' ? 'workspace (.vscode/mcp.json)' : 'user settings (sonnet.mcpServers)',
      detail: describeState(state),
      buttons: state.kind === 'blocked' ? [SHOW_LOG] : [RESTART, SHOW_LOG],
    }));
    for (const problem of host.problems()) pick.items = [...pick.items, { label: '$(warning) Left out of the configuration', detail: problem }];
    const again = pick.items.find((item) => item.server === active);
    if (again) pick.activeItems = [again];
    if (pick.items.length === 0) pick.placeholder = 'No MCP servers: add them to .vscode/mcp.json or the sonnet.mcpServers setting';
  };
  const restart = (server: string) => void host.restart(server).catch((error: unknown) => vscode.window.showErrorMessage(String(error instanceof Error ? error.message : error)));
  const subscriptions = [
    host.onDidChange(render),
    pick.onDidTriggerItemButton(({ item, button }) => (button === SHOW_LOG ? host.showLog() : item.server !== undefined && restart(item.server))),
    pick.onDidAccept(() => {
      const server = pick.selectedItems[0]?.server;
      if (server !== undefined && host.statuses().find((status) => status.name === server)?.state.kind !== 'blocked') restart(server);
    }),
    pick.onDidHide(() => {
      for (const subscription of subscriptions) subscription.dispose();
      pick.dispose();
    }),
  ];
  render();
  pick.show();
}

/** Restarts `server` (from a notice or a caller), or the one chosen from a list. */
export async function restartMcpServer(host: McpServerListHost, server?: unknown): Promise<void> {
  const statuses = host.statuses().filter((status) => status.state.kind !== 'blocked');
  if (typeof server !== 'string' && statuses.length === 0) {
    void vscode.window.showInformationMessage('Sonnet Chat: no MCP server to restart.');
    return;
  }
  const name =
    typeof server === 'string'
      ? server
      : (await vscode.window.showQuickPick(statuses.map((status) => ({ label: status.name, description: describeState(status.state) })), { title: 'Restart MCP Server' }))?.label;
  if (name === undefined) return;
  await host.restart(name).catch((error: unknown) => vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error)));
}
