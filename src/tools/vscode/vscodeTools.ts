/**
 * The tools other extensions and VS Code's own MCP servers register (`vscode.lm.tools`), as external
 * tools: invoked with `vscode.lm.invokeTool` outside a chat request (no `toolInvocationToken`), with a
 * cancellation token that Stop and the time limit cancel. Our own `sonnet_*` tools, which we register
 * there too, and VS Code's copies of the MCP servers our MCP part runs are left out.
 */
import * as vscode from 'vscode';
import { externalResultOf, type ResultPart } from '../externalResultParts';
import { isOffered, type ExternalToolSettings } from '../externalToolSettings';
import type { ExternalTool, ExternalToolSource } from '../externalTools';
import { isVscodeCopyOfMcpTool } from '../vscodeMcpCopies';
import { tokenFor } from './cancellation';

export interface VscodeToolsOptions {
  /** The names under which we register our own tools with VS Code. */
  ownNames: ReadonlySet<string>;
  /** The MCP servers our MCP part runs (none without it). */
  mcpServers: () => readonly string[];
  settings: () => ExternalToolSettings;
  /** Adds a tool to `sonnet.vscodeTools.allowed`. */
  allowTool: (name: string) => Promise<void>;
}

const EMPTY_SCHEMA = { type: 'object', properties: {} } as const;

export function vscodeTools(options: VscodeToolsOptions): ExternalToolSource {
  return {
    label: "VS Code's tools",
    list: async () => {
      const { offeredVscodeTools } = options.settings();
      const servers = options.mcpServers();
      const origins = contributingExtensions();
      return vscode.lm.tools
        .filter((tool) => !options.ownNames.has(tool.name) && isOffered(offeredVscodeTools, tool.name, ofVscodeItself(tool, origins)) && !isVscodeCopyOfMcpTool(tool, servers))
        .map((tool) => externalTool(tool, originOf(tool, origins), options));
    },
  };
}

function externalTool(tool: vscode.LanguageModelToolInformation, origin: string, options: VscodeToolsOptions): ExternalTool {
  const schema = tool.inputSchema as ExternalTool['inputSchema'] | undefined;
  return {
    key: `vscode\u0000${tool.name}`,
    wantedName: tool.name,
    origin,
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: schema && schema.type === 'object' ? schema : { ...EMPTY_SCHEMA },
    allowed: () => options.settings().allowedVscodeTools.includes(tool.name),
    alwaysAllowLabel: `the tool ${tool.name}`,
    allowAlways: () => options.allowTool(tool.name),
    call: async (input, signal) => {
      const cancellation = tokenFor(signal);
      try {
        const result = await vscode.lm.invokeTool(tool.name, { input: input ?? {}, toolInvocationToken: undefined }, cancellation.token);
        return externalResultOf(result.content.map(resultPart));
      } finally {
        cancellation.dispose();
      }
    },
  };
}

function resultPart(part: unknown): ResultPart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'promptTsx', value: part.value };
  return { kind: 'other' };
}

/** Which extension declares each tool (`contributes.languageModelTools`), by tool name; built-in extensions are VS Code's own. */
function contributingExtensions(): Map<string, string> {
  const origins = new Map<string, string>();
  for (const extension of vscode.extensions.all) {
    if ((extension.packageJSON as { isBuiltin?: unknown } | undefined)?.isBuiltin === true) continue;
    const declared: unknown = (extension.packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes?.languageModelTools;
    if (!Array.isArray(declared)) continue;
    for (const entry of declared as Array<{ name?: unknown }>) if (typeof entry.name === 'string') origins.set(entry.name, extension.id);
  }
  return origins;
}

/** A tool VS Code itself registers (its chat's tools, its built-in extensions'), not another extension or an MCP server. */
function ofVscodeItself(tool: vscode.LanguageModelToolInformation, origins: ReadonlyMap<string, string>): boolean {
  return !origins.has(tool.name) && !tool.tags.includes('mcp');
}

function originOf(tool: vscode.LanguageModelToolInformation, origins: ReadonlyMap<string, string>): string {
  const extension = origins.get(tool.name);
  if (extension) return `the extension ${extension}`;
  return tool.tags.includes('mcp') ? "an MCP server VS Code runs" : 'VS Code';
}
