/**
 * VS Code runs the MCP servers of `.vscode/mcp.json` itself too, and lists their tools in
 * `vscode.lm.tools`, tagged `mcp` and named `mcp_<server>_<tool>`: the server's name lower-cased, every
 * run of other characters than `a-z0-9_.-` made `_`, cut to 13 characters, and a number after it
 * for a second server of the same prefix (VS Code 1.106's naming). Where our MCP part runs a server
 * of that name, its tools are offered once: ours.
 */

const VSCODE_MCP_PREFIX_LENGTH = 13;

/** The start of the names VS Code gives the tools of `server`, without the number of a second one. */
export function vscodeMcpPrefix(server: string): string {
  return `mcp_${server.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').slice(0, VSCODE_MCP_PREFIX_LENGTH)}`;
}

/** Whether a tool of `vscode.lm.tools` is VS Code's copy of a tool of one of `servers`. */
export function isVscodeCopyOfMcpTool(tool: { name: string; tags: readonly string[] }, servers: readonly string[]): boolean {
  if (!tool.tags.includes('mcp')) return false;
  return servers.some((server) => {
    const prefix = vscodeMcpPrefix(server);
    if (!tool.name.startsWith(prefix)) return false;
    return /^\d*_/.test(tool.name.slice(prefix.length));
  });
}
