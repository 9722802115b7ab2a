import * as assert from 'node:assert/strict';
import { parseMcpJson, readMcpConfiguration } from '../../src/mcp/mcpConfig';
import { parseEnvFile, serverEnvironment } from '../../src/mcp/mcpEnvironment';
import { inputIdsOf, resolveVariables, type VariableValues } from '../../src/mcp/mcpVariables';

const WHERE = '.vscode/mcp.json';

describe('MCP configuration: .vscode/mcp.json and sonnet.mcpServers', () => {
  it('reads stdio and http servers with every field, from JSONC with comments and trailing commas', () => {
    const config = parseMcpJson(
      `{
        // VS Code's own format
        "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true, },],
        "servers": {
          "files": { "type": "stdio", "command": "node", "args": ["server.mjs", "--root", "\${workspaceFolder}"], "env": { "A": "1", "N": 2, "U": null }, "envFile": "\${workspaceFolder}/.env", "cwd": "/tmp", },
          "remote": { "type": "http", "url": "https://example.invalid/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
          /* type left out: from command or url */
          "plain": { "command": "uvx", "args": ["x"] },
          "web": { "url": "http://127.0.0.1:1/mcp" },
        },
      }`,
      WHERE,
    );
    assert.deepEqual(config.problems, []);
    assert.deepEqual(config.inputs, [{ id: 'token', description: 'API token', password: true }]);
    assert.deepEqual(config.servers, [
      { kind: 'stdio', name: 'files', source: 'workspace', command: 'node', args: ['server.mjs', '--root', '${workspaceFolder}'], env: { A: '1', N: '2' }, envFile: '${workspaceFolder}/.env', cwd: '/tmp' },
      { kind: 'http', name: 'remote', source: 'workspace', url: 'https://example.invalid/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
      { kind: 'stdio', name: 'plain', source: 'workspace', command: 'uvx', args: ['x'], env: {} },
      { kind: 'http', name: 'web', source: 'workspace', url: 'http://127.0.0.1:1/mcp', headers: {} },
    ]);
  });

  it('leaves out each bad entry with a message naming it, and keeps the good ones', () => {
    const config = parseMcpJson(
      JSON.stringify({
        inputs: [{ type: 'pickString', id: 'p' }, { type: 'promptString' }, 'x'],
        servers: {
          good: { command: 'node' },
          noCommand: { type: 'stdio', args: [] },
          badArgs: { command: 'node', args: 'a b' },
          badEnv: { command: 'node', env: { A: true } },
          badType: { type: 'websocket', url: 'ws://x' },
          badUrl: { type: 'http', url: 'file:///etc/passwd' },
          badHeaders: { url: 'https://x.invalid', headers: ['a'] },
          'bad name!': { command: 'node' },
          notObject: 'node server.js',
        },
      }),
      WHERE,
    );
    assert.deepEqual(config.servers.map((server) => server.name), ['good']);
    assert.deepEqual(config.problems, [
      '.vscode/mcp.json: input "p" has "type" "pickString": only "promptString" is supported.',
      '.vscode/mcp.json: input 2 needs an "id".',
      '.vscode/mcp.json: input 3 needs an "id".',
      '.vscode/mcp.json: server "noCommand" needs "command", the program to run; it is left out.',
      '.vscode/mcp.json: server "badArgs" has "args" that is not a list of strings; it is left out.',
      '.vscode/mcp.json: server "badEnv" has "env" that is not an object of strings; it is left out.',
      '.vscode/mcp.json: server "badType" has "type" "websocket": expected "stdio" or "http"; it is left out.',
      '.vscode/mcp.json: server "badUrl" needs "url", an http:// or https:// address; it is left out.',
      '.vscode/mcp.json: server "badHeaders" has "headers" that is not an object of strings; it is left out.',
      '.vscode/mcp.json: server "bad name!" has a name that is not 1 to 64 letters, digits, "_", "-" or "."; it is left out.',
      '.vscode/mcp.json: server "notObject" must be an object; it is left out.',
    ]);
  });

  it('says where a file is not JSON, and uses none of it', () => {
    const config = parseMcpJson('{\n  "servers": {\n    "a": { "command": "node" }\n    "b": {}\n  }\n}', WHERE);
    assert.deepEqual(config.servers, []);
    assert.deepEqual(config.problems, ['.vscode/mcp.json: not valid JSON (CommaExpected on line 4); no server of it is used.']);
  });

  it('reads the setting the same way, as user-scope servers; an empty file is no servers', () => {
    const config = readMcpConfiguration({ servers: { mine: { command: 'node', args: ['a.mjs'] } } }, 'settings', 'sonnet.mcpServers');
    assert.deepEqual(config.servers, [{ kind: 'stdio', name: 'mine', source: 'settings', command: 'node', args: ['a.mjs'], env: {} }]);
    assert.deepEqual(readMcpConfiguration([], 'settings', 'sonnet.mcpServers').problems, ['sonnet.mcpServers: expected an object with "servers" (and "inputs"); no server of it is used.']);
    assert.deepEqual(parseMcpJson('  // nothing yet\n', WHERE), { servers: [], inputs: [], problems: [] });
  });
});

describe('MCP configuration: variables', () => {
  const values: VariableValues = { workspaceFolder: '/work/project', userHome: '/home/me', pathSeparator: '/', env: { TOKEN: 't0k', SONNET_API_KEY: 'sk-secret' }, inputs: new Map([['token', 's3cret']]) };
  const [files, remote] = parseMcpJson(
    JSON.stringify({
      servers: {
        files: { command: '${userHome}/bin/server', args: ['${workspaceFolder}${pathSeparator}src', '${env:TOKEN}', '${env:MISSING}'], env: { T: '${input:token}' }, envFile: '${workspaceFolder}/.env', cwd: '${workspaceFolder}' },
        remote: { url: 'https://x.invalid/${input:region}/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
      },
    }),
    WHERE,
  ).servers;

  it('replaces ${workspaceFolder}, ${userHome}, ${pathSeparator}, ${env:…} and ${input:…} in every field', () => {
    assert.deepEqual(resolveVariables(files, values), {
      ...files,
      command: '/home/me/bin/server',
      args: ['/work/project/src', 't0k', ''],
      env: { T: 's3cret' },
      envFile: '/work/project/.env',
      cwd: '/work/project',
    });
    assert.deepEqual(resolveVariables(remote, { ...values, inputs: new Map([...values.inputs, ['region', 'eu']]) }), { ...remote, url: 'https://x.invalid/eu/mcp', headers: { Authorization: 'Bearer s3cret' } });
  });

  it('lists the inputs a server uses, each once', () => {
    assert.deepEqual(inputIdsOf(files), ['token']);
    assert.deepEqual(inputIdsOf(remote), ['region', 'token']);
  });

  it('refuses, naming it, an input without a value, an unknown variable, no folder, and the API key', () => {
    assert.throws(() => resolveVariables(remote, values), { message: '${input:region} has no value: it is not declared in "inputs", or was not given' });
    const server = (args: string[]) => ({ ...files, args, env: {} });
    assert.throws(() => resolveVariables(server(['${workspaceRoot}']), values), /\$\{workspaceRoot\} is not a variable MCP configurations know/);
    assert.throws(() => resolveVariables(server(['${workspaceFolder}']), { ...values, workspaceFolder: undefined }), { message: '${workspaceFolder} is used, but no folder is open' });
    assert.throws(() => resolveVariables(server(['${env:SONNET_API_KEY}']), values), { message: '${env:SONNET_API_KEY} is the Sonnet Chat API key, which is never passed to MCP servers' });
  });
});

describe('MCP configuration: a server process environment', () => {
  it('reads an env file: export, comments, quotes', () => {
    assert.deepEqual(parseEnvFile('# comment\nA=1\nexport B = two words # note\nC="x\\ny"\nD=\'$raw\'\n\nnot a line\n'), { A: '1', B: 'two words', C: 'x\ny', D: '$raw' });
  });

  it('lets env win over the env file, and never passes SONNET_API_KEY', () => {
    assert.deepEqual(serverEnvironment({ A: 'file', B: 'file', SONNET_API_KEY: 'sk-1' }, { B: 'env', SONNET_API_KEY: 'sk-2' }), { env: { A: 'file', B: 'env' }, withheld: ['SONNET_API_KEY'] });
  });
});
