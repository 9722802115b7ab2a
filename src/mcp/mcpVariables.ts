/**
 * The `${…}` variables of an MCP server's configuration, as VS Code's mcp.json has them:
 * `${workspaceFolder}`, `${userHome}`, `${pathSeparator}`, `${env:NAME}` and `${input:id}`. Pure: the
 * values come in; an unknown variable, or an input without a value, is an error that names it.
 */
import type { McpServerConfig } from './mcpConfig';

/** Never handed to a server, whatever its configuration says: it is the key this extension sends. */
export const WITHHELD_VARIABLES: ReadonlySet<string> = new Set(['SONNET_API_KEY']);

export interface VariableValues {
  workspaceFolder?: string;
  userHome: string;
  pathSeparator: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The values of the `${input:id}` variables, by id. */
  inputs: ReadonlyMap<string, string>;
}

const VARIABLE = /\$\{([^}]*)\}/g;

/** The ids of the `${input:id}` variables the server uses, to ask for before it starts. */
export function inputIdsOf(server: McpServerConfig): string[] {
  const ids = new Set<string>();
  for (const text of textsOf(server)) for (const match of text.matchAll(VARIABLE)) if (match[1].startsWith('input:')) ids.add(match[1].slice('input:'.length));
  return [...ids];
}

/** The server with its variables replaced; throws, naming the variable, when one cannot be. */
export function resolveVariables<T extends McpServerConfig>(server: T, values: VariableValues): T {
  const replace = (text: string) => text.replace(VARIABLE, (_whole, name: string) => valueOf(name, values));
  const replaceMap = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([key, value]) => [key, replace(value)]));
  if (server.kind === 'http') return { ...server, url: replace(server.url), headers: replaceMap(server.headers) };
  return {
    ...server,
    command: replace(server.command),
    args: server.args.map(replace),
    env: replaceMap(server.env),
    ...(server.envFile !== undefined ? { envFile: replace(server.envFile) } : {}),
    ...(server.cwd !== undefined ? { cwd: replace(server.cwd) } : {}),
  };
}

function valueOf(name: string, values: VariableValues): string {
  if (name === 'workspaceFolder') {
    if (values.workspaceFolder === undefined) throw new Error('${workspaceFolder} is used, but no folder is open');
    return values.workspaceFolder;
  }
  if (name === 'userHome') return values.userHome;
  if (name === 'pathSeparator' || name === '/') return values.pathSeparator;
  if (name.startsWith('env:')) {
    const variable = name.slice('env:'.length);
    if (WITHHELD_VARIABLES.has(variable)) throw new Error(`\${env:${variable}} is the Sonnet Chat API key, which is never passed to MCP servers`);
    return values.env[variable] ?? '';
  }
  if (name.startsWith('input:')) {
    const value = values.inputs.get(name.slice('input:'.length));
    if (value === undefined) throw new Error(`\${${name}} has no value: it is not declared in "inputs", or was not given`);
    return value;
  }
  throw new Error(`\${${name}} is not a variable MCP configurations know (\${workspaceFolder}, \${userHome}, \${env:NAME}, \${input:id})`);
}

function textsOf(server: McpServerConfig): string[] {
  if (server.kind === 'http') return [server.url, ...Object.values(server.headers)];
  return [server.command, ...server.args, ...Object.values(server.env), server.envFile ?? '', server.cwd ?? ''];
}
