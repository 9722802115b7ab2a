/**
 * The MCP servers' tools as external tools: offered as `mcp__<server>__<tool>`, approved per call
 * unless the user always allows the server's tools (`sonnet.mcp.allowedServers`, user settings).
 */
import type { ImageBlock } from '../api/types';
import type { ExternalTool, ExternalToolSource } from './externalTools';
import type { McpToolSource } from './mcpToolSource';

export interface McpToolsOptions {
  /** The servers whose tools run without asking. */
  allowedServers: () => readonly string[];
  /** Adds a server to them. */
  allowServer: (server: string) => Promise<void>;
}

export function mcpTools(mcp: McpToolSource, options: McpToolsOptions): ExternalToolSource {
  return {
    label: 'The MCP servers',
    list: async (signal) =>
      (await mcp.tools(signal)).map(
        (tool): ExternalTool => ({
          key: `mcp\u0000${tool.server}\u0000${tool.name}`,
          wantedName: `mcp__${tool.server}__${tool.name}`,
          origin: `the MCP server ${tool.server}`,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema,
          allowed: () => options.allowedServers().includes(tool.server),
          alwaysAllowLabel: `tools of the MCP server ${tool.server}`,
          allowAlways: () => options.allowServer(tool.server),
          call: async (input, signal) => {
            const result = await mcp.call(tool.server, tool.name, input, signal);
            const text = result.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
            const images = result.content.filter((block): block is ImageBlock => block.type === 'image');
            return { text, images, isError: result.isError };
          },
        }),
      ),
  };
}
