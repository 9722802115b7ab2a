/**
 * The MCP servers' tools as external tools: offered as `mcp__<server>__<tool>`, approved per call
 * unless the user always allows the server's tools (`sonnet.mcp.allowedServers`, user settings, by
 * `mcpAllowListEntry`).
 */
import type { ImageBlock } from '../api/types';
import type { ExternalTool, ExternalToolSource } from './externalTools';
import type { McpServerOrigin, McpToolSource } from './mcpToolSource';

/**
 * The allow-list entry of a server: a server of the user's settings by its name (no workspace can take
 * that name: the settings' servers come first), a workspace's by its name and folder, `name@/path`
 * (a name has no "@"), so a workspace that names a server like an allowed one still asks.
 */
export function mcpAllowListEntry(server: string, origin: McpServerOrigin): string {
  return origin.kind === 'settings' ? server : `${server}@${origin.folder}`;
}

function originLabel(origin: McpServerOrigin): string {
  return origin.kind === 'settings' ? 'your settings' : origin.folder;
}

export interface McpToolsOptions {
  /** The allow-list entries (`mcpAllowListEntry`) of the servers whose tools run without asking. */
  allowedServers: () => readonly string[];
  /** Adds an entry to them. */
  allowServer: (entry: string) => Promise<void>;
}

export function mcpTools(mcp: McpToolSource, options: McpToolsOptions): ExternalToolSource {
  return {
    label: 'The MCP servers',
    list: async (signal) =>
      (await mcp.tools(signal)).map((tool): ExternalTool => {
        const entry = mcpAllowListEntry(tool.server, tool.origin);
        return {
          key: `mcp\u0000${tool.server}\u0000${tool.name}`,
          wantedName: `mcp__${tool.server}__${tool.name}`,
          origin: `the MCP server ${tool.server}`,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema,
          allowed: () => options.allowedServers().includes(entry),
          alwaysAllowLabel: `tools of the MCP server ${tool.server} of ${originLabel(tool.origin)}`,
          allowAlways: () => options.allowServer(entry),
          call: async (input, signal) => {
            const result = await mcp.call(tool.server, tool.name, input, signal);
            const text = result.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
            const images = result.content.filter((block): block is ImageBlock => block.type === 'image');
            return { text, images, isError: result.isError };
          },
        };
      }),
  };
}
