import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SILENT_LOG } from '../../src/api/log';
import type { McpStdioServer } from '../../src/mcp/mcpConfig';
import { MAX_RESTARTS, McpServers, type McpServerEntry, type McpServersOptions } from '../../src/mcp/mcpServers';
import { startMcpHttpFixture, type McpHttpFixture } from '../fixtures/mcp-server/httpServer';
import { useTempFolder } from './helpers';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'mcp-server', 'server.mjs');

function fixture(name: string, args: string[] = [], env: Record<string, string> = {}): McpServerEntry {
  const config: McpStdioServer = { kind: 'stdio', name, source: 'workspace', command: process.execPath, args: [FIXTURE, ...args], env };
  return { config, origin: { kind: 'workspace', folder: path.dirname(FIXTURE) } };
}

/** Whether the process is alive (not a zombie), by /proc. */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
}

async function until(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('MCP servers: a real stdio server process', function () {
  this.timeout(30_000);
  const folder = useTempFolder('sonnet-mcp-');
  let servers: McpServers;
  let failures: Array<[string, string]>;
  const live = new AbortController().signal;

  function create(options: Partial<McpServersOptions> = {}): McpServers {
    failures = [];
    servers = new McpServers({
      log: SILENT_LOG,
      timeoutMs: () => 5_000,
      prepare: async (config) => config,
      onFailure: (server, message) => failures.push([server, message]),
      onChange: () => {},
      ...options,
    });
    return servers;
  }
  afterEach(() => servers.dispose());

  const pidOf = (name: string) => servers.statuses().find((status) => status.name === name)?.pid;

  it('does not start before a conversation asks for the tools, then lists them and calls one', async () => {
    create().configure([fixture('fx')]);
    assert.deepEqual(servers.statuses(), [{ name: 'fx', source: 'workspace', state: { kind: 'notStarted' } }]);
    assert.deepEqual(servers.serverNames(), ['fx']);
    const tools = await servers.tools(live);
    assert.deepEqual(tools.map((tool) => `${tool.server}/${tool.name}`), ['fx/echo', 'fx/add', 'fx/slow', 'fx/picture', 'fx/more']);
    assert.deepEqual(tools[1].origin, { kind: 'workspace', folder: path.dirname(FIXTURE) }, 'each tool says where its server was configured');
    assert.deepEqual(tools[1].inputSchema, { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    assert.equal(tools[0].description, 'Echoes the text back.');
    assert.deepEqual(await servers.call('fx', 'add', { a: 2, b: 3 }, live), { content: [{ type: 'text', text: '5' }], isError: false });
    assert.deepEqual(await servers.call('fx', 'echo', { text: 'fail' }, live), { content: [{ type: 'text', text: 'echo refuses "fail"' }], isError: true });
    assert.ok(alive(pidOf('fx') ?? 0));
  });

  it('maps images to image blocks, and resources, links and audio to notes', async () => {
    create().configure([fixture('fx')]);
    await servers.tools(live);
    assert.deepEqual((await servers.call('fx', 'picture', { text: '' }, live)).content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' } },
      { type: 'text', text: '[a resource link: a.txt <file:///tmp/a.txt>]' },
      { type: 'text', text: '[resource <file:///tmp/b.txt>]\ninside b' },
      { type: 'text', text: '[audio (audio/wav), which cannot be passed to the model]' },
    ]);
  });

  it('re-lists the tools when the server says they changed', async () => {
    create().configure([fixture('fx')]);
    await servers.tools(live);
    await servers.call('fx', 'more', { text: '' }, live);
    const toolCount = () => {
      const [{ state }] = servers.statuses();
      return state.kind === 'running' ? state.tools.length : 0;
    };
    await until(() => toolCount() === 6, 'the tool `extra` is listed');
    assert.ok((await servers.tools(live)).some((tool) => tool.name === 'extra'));
  });

  it('cancels a call on Stop, and the server goes on answering', async () => {
    create().configure([fixture('fx')]);
    await servers.tools(live);
    const stop = new AbortController();
    const call = servers.call('fx', 'slow', { text: '' }, stop.signal);
    setImmediate(() => stop.abort());
    await assert.rejects(call, { message: 'Cancelled: the user stopped the call of slow.' });
    assert.deepEqual(await servers.call('fx', 'echo', { text: 'still' }, live), { content: [{ type: 'text', text: 'echo: still' }], isError: false });
    assert.deepEqual(failures, []);
  });

  it('gives up a call at the timeout, and says so in the view', async () => {
    // Long enough to start on a loaded machine; then short, as a changed setting applies to the next call.
    let timeoutMs = 10_000;
    create({ timeoutMs: () => timeoutMs }).configure([fixture('fx')]);
    await servers.tools(live);
    timeoutMs = 1_500;
    await assert.rejects(servers.call('fx', 'slow', { text: '' }, live), { message: 'MCP server "fx" did not answer the call of slow within 2 s.' });
    assert.deepEqual(failures, [['fx', 'MCP server "fx" did not answer the call of slow within 2 s.']]);
  });

  it('a server that exits at start: left out of the tools, its stderr in the message; Restart starts it once fixed', async () => {
    const exitFile = path.join(folder(), 'fail');
    await writeFile(exitFile, '');
    create().configure([fixture('broken', [], { MCP_FIXTURE_EXIT_FILE: exitFile }), fixture('fx')]);
    assert.deepEqual((await servers.tools(live)).filter((tool) => tool.server === 'broken'), []);
    const [status] = servers.statuses();
    assert.equal(status.state.kind, 'failed');
    assert.deepEqual(status.state, { kind: 'failed', reason: 'could not start: the server process exited before it answered. It wrote: fixture: configured to fail at start' });
    assert.deepEqual(failures.map(([server]) => server), ['broken']);
    assert.match(failures[0][1], /^MCP server "broken" could not start/);
    // A failed server is not started again by every conversation, only by Restart.
    await servers.tools(live);
    assert.equal(failures.length, 1);
    await rm(exitFile);
    await servers.restart('broken');
    assert.equal(servers.statuses()[0].state.kind, 'running');
    assert.ok((await servers.tools(live)).some((tool) => tool.server === 'broken'));
  });

  it('a program that does not exist: a clear message', async () => {
    create().configure([{ config: { kind: 'stdio', name: 'missing', source: 'settings', command: 'no-such-mcp-program', args: [], env: {} }, origin: { kind: 'settings' } }]);
    await servers.tools(live);
    assert.deepEqual(failures, [['missing', 'MCP server "missing" could not start: the program "no-such-mcp-program" was not found']]);
  });

  it('a crash fails the running call, restarts the server, at most 3 times a minute, then leaves it stopped', async () => {
    create().configure([fixture('crashy', ['--exit-on-call'])]);
    await servers.tools(live);
    for (let crash = 1; crash <= MAX_RESTARTS + 1; crash++) {
      const pid = pidOf('crashy') ?? 0;
      assert.ok(alive(pid), `crash ${crash}: the server runs`);
      await assert.rejects(servers.call('crashy', 'echo', { text: 'x' }, live), /^Error: MCP server "crashy" stopped during the call of echo: the server process exited\. It wrote: fixture: started \d+\.$/);
      await until(() => !alive(pid), `process ${pid} has ended`);
      if (crash <= MAX_RESTARTS) await until(() => servers.statuses()[0].state.kind === 'running', `the restart after crash ${crash}`);
    }
    await until(() => servers.statuses()[0].state.kind === 'failed', 'the server is left stopped');
    assert.match((servers.statuses()[0].state as { reason: string }).reason, /crashed 4 times within a minute and is left stopped$/);
    assert.equal(failures.length, MAX_RESTARTS + 1);
    assert.match(failures[0][1], /the server process exited.*; restarted it \(1 of 3 restarts a minute\)\.$/);
    await assert.rejects(servers.call('crashy', 'echo', { text: 'x' }, live), /is not running: .*left stopped/);
  });

  it('dispose ends the server process (checked in /proc)', async () => {
    create().configure([fixture('fx')]);
    await servers.tools(live);
    const pid = pidOf('fx') ?? 0;
    assert.ok(alive(pid));
    await servers.dispose();
    assert.equal(alive(pid), false, `process ${pid} still runs`);
  });

  it('a configuration change restarts a started server with the new configuration; removing it ends it', async () => {
    const envOut = path.join(folder(), 'env.json');
    create().configure([fixture('fx', ['first'], { MCP_FIXTURE_ENV_OUT: envOut })]);
    await servers.tools(live);
    const first = pidOf('fx') ?? 0;
    servers.configure([fixture('fx', ['second'], { MCP_FIXTURE_ENV_OUT: envOut })]);
    await until(() => servers.statuses()[0].state.kind === 'running', 'the restart');
    await until(() => !alive(first), `the first process ${first} has ended`);
    assert.deepEqual((JSON.parse(readFileSync(envOut, 'utf8')) as { argv: string[] }).argv, ['second']);
    const second = pidOf('fx') ?? 0;
    assert.notEqual(second, first);
    // Unchanged: left running.
    servers.configure([fixture('fx', ['second'], { MCP_FIXTURE_ENV_OUT: envOut })]);
    assert.equal(pidOf('fx'), second);
    servers.configure([]);
    await until(() => !alive(second), `process ${second} has ended`);
    assert.deepEqual(servers.serverNames(), []);
  });

  it('never passes SONNET_API_KEY on, from the editor or the configuration; passes env, envFile and cwd', async () => {
    const envOut = path.join(folder(), 'env.json');
    const envFile = path.join(folder(), '.env');
    await writeFile(envFile, 'FROM_FILE=yes\nSONNET_API_KEY=sk-from-file\n');
    process.env.SONNET_API_KEY = 'sk-editor-key';
    try {
      const entry = fixture('fx', [], { MCP_FIXTURE_ENV_OUT: envOut, SONNET_API_KEY: 'sk-configured', GIVEN: '1' });
      create().configure([{ config: { ...(entry.config as McpStdioServer), envFile, cwd: folder() }, origin: entry.origin }]);
      await servers.tools(live);
    } finally {
      delete process.env.SONNET_API_KEY;
    }
    const seen = JSON.parse(readFileSync(envOut, 'utf8')) as { env: Record<string, string>; cwd: string };
    assert.equal(seen.env.SONNET_API_KEY, undefined);
    assert.equal(seen.env.FROM_FILE, 'yes');
    assert.equal(seen.env.GIVEN, '1');
    assert.equal(seen.cwd, folder());
  });

  it('a workspace server in an untrusted workspace never starts', async () => {
    create().configure([{ ...fixture('fx'), blocked: 'is not started: the workspace is not trusted' }]);
    assert.deepEqual(await servers.tools(live), []);
    assert.deepEqual(servers.statuses()[0].state, { kind: 'blocked', reason: 'is not started: the workspace is not trusted' });
    await assert.rejects(servers.call('fx', 'echo', { text: '' }, live), { message: 'MCP server "fx" is not running: is not started: the workspace is not trusted.' });
  });
});

describe('MCP servers: Streamable HTTP', function () {
  this.timeout(30_000);
  let fixture: McpHttpFixture;
  let servers: McpServers | undefined;
  beforeEach(async () => {
    fixture = await startMcpHttpFixture();
  });
  afterEach(async () => {
    await servers?.dispose();
    await fixture.close();
  });

  it('lists and calls tools, sending the configured headers with each request', async () => {
    servers = new McpServers({ log: SILENT_LOG, timeoutMs: () => 5_000, prepare: async (config) => config, onFailure: () => {}, onChange: () => {} });
    servers.configure([{ config: { kind: 'http', name: 'web', source: 'settings', url: fixture.url, headers: { Authorization: 'Bearer t0k', 'X-Team': 'sonnet' } }, origin: { kind: 'settings' } }]);
    const signal = new AbortController().signal;
    assert.deepEqual((await servers.tools(signal)).map((tool) => `${tool.server}/${tool.name}`), ['web/echo']);
    assert.deepEqual(await servers.call('web', 'echo', { text: 'over http' }, signal), { content: [{ type: 'text', text: 'echo: over http' }], isError: false });
    assert.ok(fixture.headers.length >= 2);
    for (const headers of fixture.headers) {
      assert.equal(headers.authorization, 'Bearer t0k');
      assert.equal(headers['x-team'], 'sonnet');
    }
  });

  it('a server that is not there: a clear message', async () => {
    const failures: string[] = [];
    servers = new McpServers({ log: SILENT_LOG, timeoutMs: () => 5_000, prepare: async (config) => config, onFailure: (_server, message) => failures.push(message), onChange: () => {} });
    await fixture.close();
    servers.configure([{ config: { kind: 'http', name: 'gone', source: 'settings', url: fixture.url, headers: {} }, origin: { kind: 'settings' } }]);
    assert.deepEqual(await servers.tools(new AbortController().signal), []);
    assert.deepEqual(failures, [`MCP server "gone" could not start: ${fixture.url} did not answer (fetch failed: ECONNREFUSED)`]);
  });
});
