/**
 * The MCP servers as configured: VS Code's own `.vscode/mcp.json` format (JSONC), which the
 * `sonnet.mcpServers` setting shares. Pure: the VS Code side reads the files and settings and hands
 * the text or value here; every entry that cannot be used is left out with a message that says why.
 */
import { parse, printParseErrorCode, stripComments, type ParseError } from 'jsonc-parser';

/** Where a server was configured: the workspace's `.vscode/mcp.json`, or the user's settings. */
export type McpServerSource = 'workspace' | 'settings';

export interface McpStdioServer {
  kind: 'stdio';
  name: string;
  source: McpServerSource;
  command: string;
  args: string[];
  env: Record<string, string>;
  envFile?: string;
  cwd?: string;
}

export interface McpHttpServer {
  kind: 'http';
  name: string;
  source: McpServerSource;
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = McpStdioServer | McpHttpServer;

/** An `inputs` entry: a value asked of the user once (`${input:id}`) and kept in secret storage. */
export interface McpInput {
  id: string;
  description: string;
  password: boolean;
  default?: string;
}

export interface McpConfiguration {
  servers: McpServerConfig[];
  inputs: McpInput[];
  /** One message per entry left out, naming the file or setting and the entry. */
  problems: string[];
}

export const NO_MCP_CONFIGURATION: McpConfiguration = { servers: [], inputs: [], problems: [] };

/** Reads the text of a `.vscode/mcp.json` (comments and trailing commas allowed, as VS Code does). */
export function parseMcpJson(text: string, where: string): McpConfiguration {
  // A file just created, or with everything commented out, configures nothing.
  if (stripComments(text).trim() === '') return NO_MCP_CONFIGURATION;
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const [first] = errors;
    const line = text.slice(0, first.offset).split('\n').length;
    return { ...NO_MCP_CONFIGURATION, problems: [`${where}: not valid JSON (${printParseErrorCode(first.error)} on line ${line}); no server of it is used.`] };
  }
  return readMcpConfiguration(value, 'workspace', where);
}

/** Reads `{ servers, inputs }`, from a parsed mcp.json or the `sonnet.mcpServers` setting. */
export function readMcpConfiguration(value: unknown, source: McpServerSource, where: string): McpConfiguration {
  if (!isRecord(value)) return { ...NO_MCP_CONFIGURATION, problems: [`${where}: expected an object with "servers" (and "inputs"); no server of it is used.`] };
  const problems: string[] = [];
  const inputs = readInputs(value.inputs, where, problems);
  const servers: McpServerConfig[] = [];
  if (value.servers !== undefined && !isRecord(value.servers)) problems.push(`${where}: "servers" must be an object of servers by name.`);
  else {
    for (const [name, entry] of Object.entries(value.servers ?? {})) {
      const server = readServer(name, entry, source);
      if (typeof server === 'string') problems.push(`${where}: server "${name}" ${server}; it is left out.`);
      else servers.push(server);
    }
  }
  return { servers, inputs, problems };
}

/** The server, or what is wrong with it (after "server NAME"). */
function readServer(name: string, entry: unknown, source: McpServerSource): McpServerConfig | string {
  if (!/^[\w.-]{1,64}$/.test(name)) return 'has a name that is not 1 to 64 letters, digits, "_", "-" or "."';
  if (!isRecord(entry)) return 'must be an object';
  const type = entry.type ?? (entry.url !== undefined ? 'http' : 'stdio');
  if (type === 'stdio') {
    if (typeof entry.command !== 'string' || entry.command.trim() === '') return 'needs "command", the program to run';
    const args = readStrings(entry.args);
    if (args === undefined) return 'has "args" that is not a list of strings';
    const env = readStringMap(entry.env, true);
    if (env === undefined) return 'has "env" that is not an object of strings';
    if (entry.envFile !== undefined && typeof entry.envFile !== 'string') return 'has "envFile" that is not a path';
    if (entry.cwd !== undefined && typeof entry.cwd !== 'string') return 'has "cwd" that is not a path';
    return { kind: 'stdio', name, source, command: entry.command, args, env, ...(entry.envFile ? { envFile: entry.envFile } : {}), ...(entry.cwd ? { cwd: entry.cwd } : {}) };
  }
  if (type === 'http' || type === 'sse') {
    if (typeof entry.url !== 'string' || !/^https?:\/\//i.test(entry.url)) return 'needs "url", an http:// or https:// address';
    const headers = readStringMap(entry.headers, false);
    if (headers === undefined) return 'has "headers" that is not an object of strings';
    return { kind: 'http', name, source, url: entry.url, headers };
  }
  return `has "type" ${JSON.stringify(type)}: expected "stdio" or "http"`;
}

function readInputs(value: unknown, where: string, problems: string[]): McpInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${where}: "inputs" must be a list.`);
    return [];
  }
  const inputs: McpInput[] = [];
  for (const [index, entry] of value.entries()) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') problems.push(`${where}: input ${index + 1} needs an "id".`);
    else if (entry.type !== 'promptString') problems.push(`${where}: input "${entry.id}" has "type" ${JSON.stringify(entry.type)}: only "promptString" is supported.`);
    else {
      inputs.push({
        id: entry.id,
        description: typeof entry.description === 'string' ? entry.description : entry.id,
        password: entry.password === true,
        ...(typeof entry.default === 'string' ? { default: entry.default } : {}),
      });
    }
  }
  return inputs;
}

function readStrings(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** An object of strings; in `env` numbers too, and null, which sets nothing (VS Code allows both). */
function readStringMap(value: unknown, envLike: boolean): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!isRecord(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') map[key] = item;
    else if (envLike && typeof item === 'number') map[key] = String(item);
    else if (!(envLike && item === null)) return undefined;
  }
  return map;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
