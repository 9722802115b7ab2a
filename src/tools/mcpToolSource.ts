/**
 * The MCP servers as the tool layer sees them. `src/mcp` implements it (configuration, processes,
 * the SDK client); the tool layer offers what it lists to the model, asks for approval and calls.
 */
import type { ImageBlock, TextBlock } from '../api/types';

/**
 * Where a server was configured: the user's `sonnet.mcpServers`, or the `.vscode/mcp.json` of a
 * workspace folder (its path). An allow-list entry names the configuration, not just the server's name,
 * which any workspace can choose.
 */
export type McpServerOrigin = { kind: 'settings' } | { kind: 'workspace'; folder: string };

/** One tool of a running MCP server, as the server lists it. */
export interface McpTool {
  /** The server's name as configured: its key under `servers` in `.vscode/mcp.json` or `sonnet.mcpServers`. */
  server: string;
  origin: McpServerOrigin;
  name: string;
  description?: string;
  inputSchema: { type: 'object'; [keyword: string]: unknown };
}

/** What a call gave back: its content as `tool_result` blocks, and whether the server called it an error. */
export interface McpToolCallResult {
  content: Array<TextBlock | ImageBlock>;
  isError: boolean;
}

export interface McpToolSource {
  /**
   * Starts the configured servers that have not started yet (servers start when a conversation that
   * may use them begins, never at activation) and lists the tools of those that run. A server that
   * fails is left out; its failure is shown by the MCP part itself.
   */
  tools(signal: AbortSignal): Promise<McpTool[]>;
  /** Calls `tool` of `server`; Stop (the signal) cancels the call. Throws when the server is gone. */
  call(server: string, tool: string, input: unknown, signal: AbortSignal): Promise<McpToolCallResult>;
  /** The names of the configured servers, started or not: VS Code's own copies of their tools are not offered twice. */
  serverNames(): string[];
}
