/**
 * The values of `${input:id}` variables: asked once (a password input hidden as typed) and kept in
 * VS Code's secret storage. Kept per workspace folder (or for the user's settings), so a workspace
 * that declares an input of the same id as another project's never gets that project's value.
 */
import * as vscode from 'vscode';
import type { McpInput } from '../mcp/mcpConfig';

export class McpInputValues {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The values of `ids`, asking for those not kept yet; throws, naming it, for one not declared or not given. */
  async values(ids: string[], declared: McpInput[], scope: vscode.Uri | undefined, server: string): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const id of ids) {
      const input = declared.find((candidate) => candidate.id === id);
      if (!input) throw new Error(`uses \${input:${id}}, which its "inputs" do not declare`);
      const key = secretKey(scope, id);
      let value = await this.secrets.get(key);
      if (value === undefined) {
        value = await vscode.window.showInputBox({
          title: `MCP server "${server}"`,
          prompt: input.description,
          password: input.password,
          ...(input.default !== undefined ? { value: input.default } : {}),
          ignoreFocusOut: true,
        });
        if (value === undefined) throw new Error(`was not started: no value was given for \${input:${id}} (${input.description})`);
        await this.secrets.store(key, value);
      }
      values.set(id, value);
    }
    return values;
  }
}

function secretKey(scope: vscode.Uri | undefined, id: string): string {
  return `sonnet.mcp.input:${scope?.toString() ?? 'settings'}:${id}`;
}
