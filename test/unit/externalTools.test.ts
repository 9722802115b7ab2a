// The composite tool runner: other sources' tools (VS Code's, MCP servers') offered beside ours, under
// names the API accepts, mapped back when called, left out of Ask and Plan, each call approved unless
// allow-listed, failures and slow calls as error results, Stop cancelling; and the MCP source.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../src/api/log';
import type { ImageBlock, ToolUseBlock } from '../../src/api/types';
import { toolsOfMode } from '../../src/chat/modeTools';
import { ApprovalBroker } from '../../src/tools/approvals';
import type { AutoApproval } from '../../src/tools/autoApproval';
import { CompositeTools } from '../../src/tools/compositeTools';
import { TOOL_SPECS } from '../../src/tools/definitions';
import { externalResultOf } from '../../src/tools/externalResultParts';
import { EXTERNAL_TIMEOUT_SECONDS, isOffered, normalizeExternalToolSettings, withName } from '../../src/tools/externalToolSettings';
import type { ExternalResult, ExternalTool, ExternalToolSource } from '../../src/tools/externalTools';
import type { McpTool, McpToolCallResult, McpToolSource } from '../../src/tools/mcpToolSource';
import { mcpTools } from '../../src/tools/mcpTools';
import { isValidToolName, MAX_TOOL_NAME_LENGTH } from '../../src/tools/toolNames';
import { isVscodeCopyOfMcpTool, vscodeMcpPrefix } from '../../src/tools/vscodeMcpCopies';
import { done, type ToolOutcome, type ToolRunContext, type ToolRunner } from '../../src/tools/types';
import { pngHeader } from '../fixtures/pngHeader';

const OWN_NAMES = TOOL_SPECS.map((spec) => spec.name);

/** Our side: `read_file` offered, every call recorded. */
function ownTools(ran: string[]): ToolRunner {
  return {
    definitions: () => [{ name: 'read_file', description: 'Reads a file.', input_schema: { type: 'object' } }],
    describe: () => ({ summary: 'ours', changesFiles: false }),
    run: async (call) => (ran.push(call.name), done('own result')),
  };
}

interface FakeTool {
  name: string;
  origin?: string;
  allowed?: boolean;
  /** What a call does; by default it answers with its input. */
  call?: (input: unknown, signal: AbortSignal) => Promise<ExternalResult>;
}

/** A source of tools; `calls` records each call by the source's own name, `allowAlways` each "Always allow". */
function fakeSource(tools: FakeTool[], label = 'Fake tools') {
  const calls: Array<{ name: string; input: unknown }> = [];
  const allowedAlways: string[] = [];
  const source: ExternalToolSource = {
    label,
    list: async () =>
      tools.map(
        (tool): ExternalTool => ({
          key: `${label}:${tool.name}`,
          wantedName: tool.name,
          origin: tool.origin ?? 'the extension acme.tools',
          description: `The ${tool.name} tool.`,
          inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
          allowed: () => tool.allowed === true,
          alwaysAllowLabel: `the tool ${tool.name}`,
          allowAlways: async () => void allowedAlways.push(tool.name),
          call: async (input, signal) => {
            calls.push({ name: tool.name, input });
            return tool.call ? tool.call(input, signal) : { text: `ran ${tool.name} with ${JSON.stringify(input)}`, images: [], isError: false };
          },
        }),
      ),
  };
  return { source, calls, allowedAlways };
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  return { warnings, trace: ignore, debug: ignore, info: ignore, warn: (message: string) => void warnings.push(message), error: ignore };
}

function composite(sources: ExternalToolSource[], options: { listWaitMs?: number; callTimeoutMs?: number; log?: Logger; ran?: string[] } = {}) {
  const approvals = new ApprovalBroker();
  const tools = new CompositeTools({
    own: ownTools(options.ran ?? []),
    ownNames: OWN_NAMES,
    sources,
    approvals,
    listWaitMs: options.listWaitMs ?? 1_000,
    callTimeoutMs: () => options.callTimeoutMs ?? 5_000,
    timeoutSetting: 'sonnet.externalTools.timeoutSeconds',
    ...(options.log ? { log: options.log } : {}),
  });
  return { tools, approvals };
}

const names = (runner: ToolRunner) => runner.definitions().map((definition) => definition.name);

interface Asked {
  status: string;
  question?: string;
  alwaysAllow?: string;
}

/**
 * Runs a call as the tool loop does; each question the runner asks is answered with `answer`
 * (`always`: Accept with "Always allow"; `none`: left waiting).
 */
function callTool(
  runner: ToolRunner,
  approvals: ApprovalBroker,
  name: string,
  answer: 'accept' | 'reject' | 'always' | 'none',
  extra: { signal?: AbortSignal; autoApproval?: AutoApproval } = {},
): { outcome: Promise<ToolOutcome>; asked: Asked[] } {
  const asked: Asked[] = [];
  const call: ToolUseBlock = { type: 'tool_use', id: `toolu_${name}`, name, input: { q: 'x' } };
  const context: ToolRunContext = {
    signal: extra.signal ?? new AbortController().signal,
    ...(extra.autoApproval ? { autoApproval: extra.autoApproval } : {}),
    setStatus: (status, question, alwaysAllow) => {
      asked.push({ status, ...(question ? { question } : {}), ...(alwaysAllow ? { alwaysAllow } : {}) });
      if (status !== 'awaitingApproval' || answer === 'none') return;
      // The runner waits for the answer right after saying it waits.
      queueMicrotask(() => approvals.answer(call.id, answer !== 'reject', answer === 'always'));
    },
  };
  return { outcome: runner.run(call, context), asked };
}

describe('External tools: names', () => {
  it('offers external tools after ours under valid, unique names, never one of ours, each kept across requests', async () => {
    const long = `very.long-${'x'.repeat(80)}`;
    const fake = fakeSource([{ name: 'get weather.v2' }, { name: 'read_file' }, { name: long }, { name: 'get_weather_v2' }, { name: '' }]);
    const { tools } = composite([fake.source]);
    await tools.prepare(new AbortController().signal);
    const offered = names(tools);
    assert.equal(offered[0], 'read_file', 'ours first, under its own name');
    assert.equal(offered.length, 6);
    for (const name of offered) assert.ok(isValidToolName(name) && name.length <= MAX_TOOL_NAME_LENGTH, name);
    assert.equal(new Set(offered).size, offered.length, 'unique');
    assert.equal(offered[1], 'get_weather_v2', 'sanitized');
    // Taken by ours, by the first one sanitized to it, or too long: cut, with a hash.
    assert.match(offered[2], /^read_file_[0-9a-f]{8}$/);
    assert.match(offered[3], /^very_long-x+_[0-9a-f]{8}$/);
    assert.equal(offered[3].length, MAX_TOOL_NAME_LENGTH);
    assert.match(offered[4], /^get_weather_v2_[0-9a-f]{8}$/);
    assert.equal(offered[5], 'tool');
    // The model's next request means the same tools by the same names.
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(names(tools), offered);
  });

  it('maps a call back to the source with its own name and input, and our tools to ours', async () => {
    const ran: string[] = [];
    const fake = fakeSource([{ name: 'get weather.v2', allowed: true }]);
    const { tools, approvals } = composite([fake.source], { ran });
    await tools.prepare(new AbortController().signal);
    const outcome = await callTool(tools, approvals, 'get_weather_v2', 'none').outcome;
    assert.deepEqual(fake.calls, [{ name: 'get weather.v2', input: { q: 'x' } }]);
    assert.deepEqual(outcome, { content: 'ran get weather.v2 with {"q":"x"}', status: 'done' });
    assert.equal((await callTool(tools, approvals, 'read_file', 'none').outcome).content, 'own result');
    assert.deepEqual(ran, ['read_file']);
  });

  it('does not run a tool its source no longer lists (turned off, its server gone)', async () => {
    const ran: string[] = [];
    const listed: FakeTool[] = [{ name: 'lookup', allowed: true }];
    const fake = fakeSource(listed);
    const { tools, approvals } = composite([fake.source], { ran });
    await tools.prepare(new AbortController().signal);
    listed.length = 0;
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(names(tools), ['read_file']);
    await callTool(tools, approvals, 'lookup', 'accept').outcome;
    assert.deepEqual(fake.calls, []);
    // Our runner answers it, as any unknown name.
    assert.deepEqual(ran, ['lookup']);
  });

  it('says where a tool comes from, on its card and to the model', async () => {
    const { tools } = composite([fakeSource([{ name: 'lookup', origin: 'the MCP server github' }]).source]);
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(tools.describe('lookup', {}), { summary: 'from the MCP server github', changesFiles: true });
    assert.match(tools.definitions()[1].description ?? '', /^The lookup tool\.\n\n\(A tool of the MCP server github; /);
  });
});

describe('External tools: modes', () => {
  it('Ask and Plan offer none of them and refuse a call anyway; Agent offers them', async () => {
    const fake = fakeSource([{ name: 'lookup', allowed: true }]);
    const { tools, approvals } = composite([fake.source]);
    // Listed by an earlier turn in Agent mode (Ask and Plan list no other sources themselves).
    await tools.prepare(new AbortController().signal);
    for (const mode of ['ask', 'plan'] as const) {
      const ofMode = toolsOfMode(tools, mode);
      assert.ok(!('prepare' in ofMode));
      assert.deepEqual(names(ofMode), ['read_file']);
      const outcome = await callTool(ofMode, approvals, 'lookup', 'accept').outcome;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.content, /^Not run: lookup changes the workspace/);
    }
    assert.deepEqual(fake.calls, []);
    assert.deepEqual(names(toolsOfMode(tools, 'agent')), ['read_file', 'lookup']);
  });
});

describe('External tools: approval', () => {
  async function prepared(tool: FakeTool) {
    const fake = fakeSource([tool]);
    const { tools, approvals } = composite([fake.source]);
    await tools.prepare(new AbortController().signal);
    return { fake, tools, approvals };
  }

  it('asks on the card, offering "Always allow" for the tool; Reject does not run it', async () => {
    const { fake, tools, approvals } = await prepared({ name: 'lookup' });
    const { outcome, asked } = callTool(tools, approvals, 'lookup', 'reject');
    assert.equal((await outcome).status, 'rejected');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].status, 'awaitingApproval');
    assert.match(asked[0].question ?? '', /^Allow lookup of the extension acme\.tools to run/);
    assert.equal(asked[0].alwaysAllow, 'the tool lookup');
    assert.deepEqual(fake.calls, []);
  });

  it('Accept runs it; "Always allow" runs it and writes the allow-list', async () => {
    const { fake, tools, approvals } = await prepared({ name: 'lookup' });
    const accepted = callTool(tools, approvals, 'lookup', 'accept');
    assert.equal((await accepted.outcome).status, 'done');
    assert.deepEqual(accepted.asked.map((entry) => entry.status), ['awaitingApproval', 'running']);
    assert.deepEqual(fake.allowedAlways, []);
    assert.equal((await callTool(tools, approvals, 'lookup', 'always').outcome).status, 'done');
    assert.deepEqual(fake.allowedAlways, ['lookup']);
    assert.equal(fake.calls.length, 2);
  });

  it('an allow-listed tool runs without a card, within the limit of rounds in a row that ran without asking', async () => {
    const { fake, tools, approvals } = await prepared({ name: 'lookup', allowed: true });
    let mayAutoApprove = true;
    const counted: string[] = [];
    const autoApproval: AutoApproval = {
      editsInChat: false,
      acceptEditsInChat: () => {},
      mayAutoApprove: () => mayAutoApprove,
      autoApproved: () => void counted.push('auto'),
      asked: () => void counted.push('asked'),
      limitNote: '20 tool rounds in a row ran without asking.',
    };
    const free = callTool(tools, approvals, 'lookup', 'accept', { autoApproval });
    assert.equal((await free.outcome).status, 'done');
    assert.deepEqual(free.asked, []);
    mayAutoApprove = false;
    const limited = callTool(tools, approvals, 'lookup', 'accept', { autoApproval });
    assert.equal((await limited.outcome).status, 'done');
    assert.match(limited.asked[0].question ?? '', /20 tool rounds in a row ran without asking\.$/);
    assert.deepEqual(counted, ['auto', 'asked']);
    assert.equal(fake.calls.length, 2);
  });

  it('Stop while the card waits answers cancelled, and the tool never runs', async () => {
    const { fake, tools, approvals } = await prepared({ name: 'lookup' });
    const stop = new AbortController();
    const { outcome } = callTool(tools, approvals, 'lookup', 'none', { signal: stop.signal });
    stop.abort();
    assert.equal((await outcome).status, 'cancelled');
    assert.deepEqual(fake.calls, []);
  });
});

describe('External tools: failures, time limit and Stop', () => {
  it('a tool that throws, or says it failed, is an error result the model reads', async () => {
    const fake = fakeSource([
      { name: 'broken', allowed: true, call: async () => Promise.reject(new Error('socket hang up')) },
      { name: 'refusing', allowed: true, call: async () => ({ text: 'No such city.', images: [], isError: true }) },
    ]);
    const { tools, approvals } = composite([fake.source]);
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(await callTool(tools, approvals, 'broken', 'none').outcome, { content: 'broken (the extension acme.tools) failed: socket hang up', status: 'failed' });
    assert.deepEqual(await callTool(tools, approvals, 'refusing', 'none').outcome, { content: 'No such city.', status: 'failed' });
  });

  it('a call past the time limit is cancelled (its signal aborts) and is an error result that says so', async () => {
    let aborted: Promise<void> | undefined;
    const hanging = (_input: unknown, signal: AbortSignal) => {
      aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      return new Promise<ExternalResult>(() => {});
    };
    const { tools, approvals } = composite([fakeSource([{ name: 'slow', allowed: true, call: hanging }]).source], { callTimeoutMs: 50 });
    await tools.prepare(new AbortController().signal);
    const outcome = await callTool(tools, approvals, 'slow', 'none').outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.content, 'slow (the extension acme.tools) did not finish within 0.05 s (setting sonnet.externalTools.timeoutSeconds), so it was cancelled.');
    await aborted;
  });

  it('Stop during a call ends it at once as cancelled and aborts the tool, even one that ignores it', async () => {
    const stop = new AbortController();
    let heard = false;
    const ignoring = (_input: unknown, signal: AbortSignal) => {
      signal.addEventListener('abort', () => (heard = true));
      queueMicrotask(() => stop.abort());
      return new Promise<ExternalResult>(() => {});
    };
    const { tools, approvals } = composite([fakeSource([{ name: 'slow', allowed: true, call: ignoring }]).source]);
    await tools.prepare(new AbortController().signal);
    const outcome = await callTool(tools, approvals, 'slow', 'none', { signal: stop.signal }).outcome;
    assert.equal(outcome.status, 'cancelled');
    assert.ok(heard);
  });

  it('cuts a long result like our tools do, and keeps the images', async () => {
    const image: ImageBlock = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const big = async () => ({ text: 'y'.repeat(70_000), images: [image], isError: false });
    const { tools, approvals } = composite([fakeSource([{ name: 'big', allowed: true, call: big }]).source]);
    await tools.prepare(new AbortController().signal);
    const outcome = await callTool(tools, approvals, 'big', 'none').outcome;
    assert.match(outcome.content, /\n\[Cut off: 10000 more characters not shown\.\]$/);
    assert.deepEqual(outcome.images, [image]);
  });
});

describe('External tools: listing before each request', () => {
  it('leaves a slow source out of the request with a log line, and offers its tools once they are listed', async () => {
    let answer: (tools: ExternalTool[]) => void = () => {};
    let listings = 0;
    const quick = fakeSource([{ name: 'quick' }], 'Quick tools');
    const later = fakeSource([{ name: 'late' }], 'Slow tools');
    const slow: ExternalToolSource = {
      label: 'Slow tools',
      list: (signal) => {
        listings++;
        return new Promise((resolve) => (answer = resolve)).then(() => later.source.list(signal));
      },
    };
    const log = recordingLog();
    const { tools } = composite([quick.source, slow], { listWaitMs: 30, log });
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(names(tools), ['read_file', 'quick']);
    assert.deepEqual(log.warnings, ['Slow tools did not list their tools within 30 ms; this request goes without them.']);
    // The next request waits on the same listing, not a new one.
    const next = tools.prepare(new AbortController().signal);
    answer([]);
    await next;
    assert.equal(listings, 1);
    assert.deepEqual(names(tools), ['read_file', 'quick', 'late']);
  });

  it('a source that fails to list is left out with a log line', async () => {
    const log = recordingLog();
    const failing: ExternalToolSource = { label: 'Broken tools', list: async () => Promise.reject(new Error('no server')) };
    const { tools } = composite([failing], { log });
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(names(tools), ['read_file']);
    assert.deepEqual(log.warnings, ['Broken tools could not list their tools, so this request goes without them: no server']);
  });
});

/** An MCP part that runs the servers `tools` name; each call answers `results[tool]`, recorded in `calls`. */
function fakeMcp(tools: McpTool[], results: Record<string, McpToolCallResult> = {}) {
  const calls: Array<{ server: string; tool: string; input: unknown }> = [];
  const source: McpToolSource = {
    tools: async () => tools,
    call: async (server, tool, input) => {
      calls.push({ server, tool, input });
      return results[tool] ?? { content: [{ type: 'text', text: `${tool} ok` }], isError: false };
    },
    serverNames: () => [...new Set(tools.map((tool) => tool.server))],
  };
  return { source, calls };
}

describe('External tools: MCP servers', () => {
  const schema = { type: 'object' as const, properties: {} };

  function mcpComposite(mcp: McpToolSource, allowedServers: string[] = []) {
    const allowed: string[] = [];
    const approvals = new ApprovalBroker();
    const tools = new CompositeTools({
      own: ownTools([]),
      ownNames: OWN_NAMES,
      sources: [mcpTools(mcp, { allowedServers: () => allowedServers, allowServer: async (server) => void allowed.push(server) })],
      approvals,
      listWaitMs: 1_000,
      callTimeoutMs: () => 5_000,
      timeoutSetting: 'sonnet.externalTools.timeoutSeconds',
    });
    return { tools, approvals, allowed };
  }

  it('offers them as mcp__<server>__<tool>, sanitized, and calls the server with the tool\'s own name', async () => {
    const mcp = fakeMcp([
      { server: 'git hub', origin: { kind: 'settings' }, name: 'search.issues', description: 'Searches issues.', inputSchema: schema },
      { server: 'files', origin: { kind: 'settings' }, name: 'read', inputSchema: schema },
    ]);
    const { tools, approvals } = mcpComposite(mcp.source);
    await tools.prepare(new AbortController().signal);
    assert.deepEqual(names(tools), ['read_file', 'mcp__git_hub__search_issues', 'mcp__files__read']);
    assert.equal(tools.describe('mcp__files__read', {}).summary, 'from the MCP server files');
    const outcome = await callTool(tools, approvals, 'mcp__git_hub__search_issues', 'accept').outcome;
    assert.deepEqual(outcome, { content: 'search.issues ok', status: 'done' });
    assert.deepEqual(mcp.calls, [{ server: 'git hub', tool: 'search.issues', input: { q: 'x' } }]);
  });

  it('asks per call, offering "Always allow tools of the MCP server …", which allow-lists the server', async () => {
    const mcp = fakeMcp([{ server: 'files', origin: { kind: 'settings' }, name: 'read', inputSchema: schema }]);
    const { tools, approvals, allowed } = mcpComposite(mcp.source);
    await tools.prepare(new AbortController().signal);
    const { outcome, asked } = callTool(tools, approvals, 'mcp__files__read', 'always');
    assert.equal((await outcome).status, 'done');
    assert.equal(asked[0].alwaysAllow, 'tools of the MCP server files of your settings');
    assert.deepEqual(allowed, ['files']);
  });

  it('runs an allowed server\'s tools without a card; isError is an error result; text and images come back', async () => {
    const image: ImageBlock = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const mcp = fakeMcp(
      [
        { server: 'files', origin: { kind: 'settings' }, name: 'read', inputSchema: schema },
        { server: 'files', origin: { kind: 'settings' }, name: 'snap', inputSchema: schema },
      ],
      {
        read: { content: [{ type: 'text', text: 'ENOENT: no such file' }], isError: true },
        snap: { content: [{ type: 'text', text: 'line 1' }, image, { type: 'text', text: 'line 2' }], isError: false },
      },
    );
    const { tools, approvals } = mcpComposite(mcp.source, ['files']);
    await tools.prepare(new AbortController().signal);
    const read = callTool(tools, approvals, 'mcp__files__read', 'none');
    assert.deepEqual(await read.outcome, { content: 'ENOENT: no such file', status: 'failed' });
    assert.deepEqual(read.asked, []);
    assert.deepEqual(await callTool(tools, approvals, 'mcp__files__snap', 'none').outcome, { content: 'line 1\nline 2', status: 'done', images: [image] });
  });
});

describe('External tools: MCP allow-list entries name the configuration', () => {
  const schema = { type: 'object' as const, properties: {} };
  const userServer: McpTool = { server: 'github', origin: { kind: 'settings' }, name: 'search', inputSchema: schema };
  const workspaceServer = (folder: string): McpTool => ({ server: 'github', origin: { kind: 'workspace', folder }, name: 'search', inputSchema: schema });

  function allowList(tool: McpTool, allowedServers: string[]) {
    const allowed: string[] = [];
    const approvals = new ApprovalBroker();
    const tools = new CompositeTools({
      own: ownTools([]),
      ownNames: OWN_NAMES,
      sources: [mcpTools(fakeMcp([tool]).source, { allowedServers: () => allowedServers, allowServer: async (entry) => void allowed.push(entry) })],
      approvals,
      listWaitMs: 1_000,
      callTimeoutMs: () => 5_000,
      timeoutSetting: 'sonnet.externalTools.timeoutSeconds',
    });
    return { tools, approvals, allowed };
  }

  it('a workspace server named like an allowed server of the user\'s settings asks', async () => {
    const { tools, approvals } = allowList(workspaceServer('/home/me/cloned'), ['github']);
    await tools.prepare(new AbortController().signal);
    const { outcome, asked } = callTool(tools, approvals, 'mcp__github__search', 'reject');
    assert.equal((await outcome).status, 'rejected');
    assert.equal(asked[0]?.status, 'awaitingApproval');
  });

  it('a workspace server allowed in one folder asks in another; in its own it runs without a card', async () => {
    const elsewhere = allowList(workspaceServer('/home/me/other'), ['github@/home/me/project']);
    await elsewhere.tools.prepare(new AbortController().signal);
    assert.equal((await callTool(elsewhere.tools, elsewhere.approvals, 'mcp__github__search', 'reject').outcome).status, 'rejected');
    const own = allowList(workspaceServer('/home/me/project'), ['github@/home/me/project']);
    await own.tools.prepare(new AbortController().signal);
    const run = callTool(own.tools, own.approvals, 'mcp__github__search', 'none');
    assert.equal((await run.outcome).status, 'done');
    assert.deepEqual(run.asked.filter((item) => item.status === 'awaitingApproval'), []);
  });

  it('a user-settings server is allowed by its name; an entry for a workspace server does not allow it', async () => {
    const byName = allowList(userServer, ['github']);
    await byName.tools.prepare(new AbortController().signal);
    assert.equal((await callTool(byName.tools, byName.approvals, 'mcp__github__search', 'none').outcome).status, 'done');
    const byFolder = allowList(userServer, ['github@/home/me/project']);
    await byFolder.tools.prepare(new AbortController().signal);
    assert.equal((await callTool(byFolder.tools, byFolder.approvals, 'mcp__github__search', 'reject').outcome).status, 'rejected');
  });

  it('"Always allow" writes the server\'s name, with the folder\'s path for a workspace server, and says which', async () => {
    const workspace = allowList(workspaceServer('/home/me/project'), []);
    await workspace.tools.prepare(new AbortController().signal);
    const always = callTool(workspace.tools, workspace.approvals, 'mcp__github__search', 'always');
    assert.equal((await always.outcome).status, 'done');
    assert.equal(always.asked[0].alwaysAllow, 'tools of the MCP server github of /home/me/project');
    assert.deepEqual(workspace.allowed, ['github@/home/me/project']);
    const user = allowList(userServer, []);
    await user.tools.prepare(new AbortController().signal);
    const userAlways = callTool(user.tools, user.approvals, 'mcp__github__search', 'always');
    assert.equal((await userAlways.outcome).status, 'done');
    assert.equal(userAlways.asked[0].alwaysAllow, 'tools of the MCP server github of your settings');
    assert.deepEqual(user.allowed, ['github']);
  });
});

describe('External tools: settings', () => {
  const declared = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number }> } } })
    .contributes.configuration.properties;

  it('offers the tools of other extensions and VS Code\'s MCP servers by default, none, or those listed; a bad value is the default', () => {
    assert.equal(normalizeExternalToolSettings({}).offeredVscodeTools, 'all');
    assert.equal(normalizeExternalToolSettings({ offered: 'none' }).offeredVscodeTools, 'none');
    assert.equal(normalizeExternalToolSettings({ offered: 42 }).offeredVscodeTools, 'all');
    const listed = normalizeExternalToolSettings({ offered: ['acme_lookup', 7, ''] }).offeredVscodeTools;
    assert.ok(listed instanceof Set && [...listed].join() === 'acme_lookup');
    assert.ok(isOffered('all', 'x', false) && !isOffered('none', 'x', false) && isOffered(listed, 'acme_lookup', false) && !isOffered(listed, 'other', false));
    // VS Code's own chat tools only when named.
    assert.ok(!isOffered('all', 'run_task', true) && isOffered(new Set(['run_task']), 'run_task', true));
    assert.equal(declared['sonnet.vscodeTools.offered'].default, 'all');
  });

  it('reads the allow-lists as names, and the time limit within the bounds package.json declares', () => {
    const settings = normalizeExternalToolSettings({ allowed: ['a', null, 'b'], allowedServers: 'files', timeoutSeconds: 99_999 });
    assert.deepEqual([settings.allowedVscodeTools, settings.allowedMcpServers, settings.callTimeoutMs], [['a', 'b'], [], 3_600_000]);
    assert.equal(normalizeExternalToolSettings({ timeoutSeconds: Number.NaN }).callTimeoutMs, 120_000);
    const declaredTimeout = declared['sonnet.externalTools.timeoutSeconds'];
    assert.deepEqual([declaredTimeout.default, declaredTimeout.minimum, declaredTimeout.maximum], [EXTERNAL_TIMEOUT_SECONDS.default, EXTERNAL_TIMEOUT_SECONDS.minimum, EXTERNAL_TIMEOUT_SECONDS.maximum]);
    assert.deepEqual(withName(['a'], 'b'), ['a', 'b']);
    assert.deepEqual(withName(['a', 'b'], 'b'), ['a', 'b']);
  });
});

describe("External tools: VS Code's copies of our MCP servers' tools", () => {
  it('knows them by the mcp tag and the prefix VS Code makes of the server name', () => {
    assert.equal(vscodeMcpPrefix('My Server!'), 'mcp_my_server_');
    assert.equal(vscodeMcpPrefix('a-very-long-server-name'), 'mcp_a-very-long-s');
    const servers = ['github', 'My Server!', 'a-very-long-server-name'];
    assert.ok(isVscodeCopyOfMcpTool({ name: 'mcp_github_get_me', tags: ['mcp'] }, servers));
    assert.ok(isVscodeCopyOfMcpTool({ name: 'mcp_github2_get_me', tags: ['mcp'] }, servers), 'a second server of the same prefix');
    assert.ok(isVscodeCopyOfMcpTool({ name: 'mcp_my_server__lookup', tags: ['mcp'] }, servers));
    assert.ok(isVscodeCopyOfMcpTool({ name: 'mcp_a-very-long-s_run', tags: ['mcp'] }, servers));
    assert.ok(!isVscodeCopyOfMcpTool({ name: 'mcp_github_get_me', tags: [] }, servers), 'an extension tool named like one');
    assert.ok(!isVscodeCopyOfMcpTool({ name: 'mcp_githubby_get_me', tags: ['mcp'] }, servers), 'another server');
    assert.ok(!isVscodeCopyOfMcpTool({ name: 'mcp_github_get_me', tags: ['mcp'] }, []), 'no MCP part: VS Code\'s copies are the only ones');
  });
});

describe("External tools: a VS Code tool's result parts", () => {
  it('text as is, images as images, JSON and text data as text, prompt-tsx as its text or a note', () => {
    const png = new Uint8Array(pngHeader(2, 2));
    const result = externalResultOf([
      { kind: 'text', value: 'Sunny.' },
      { kind: 'data', mimeType: 'image/png', data: png },
      { kind: 'data', mimeType: 'application/json', data: new TextEncoder().encode('{"t":21}') },
      { kind: 'data', mimeType: 'image/tiff', data: png },
      { kind: 'promptTsx', value: { node: { children: [{ text: 'from ' }, { text: 'tsx' }] } } },
      { kind: 'promptTsx', value: { node: { children: [] } } },
      { kind: 'other' },
    ]);
    assert.deepEqual(result.images, [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: Buffer.from(png).toString('base64') } }]);
    assert.deepEqual(result.text.split('\n'), [
      'Sunny.',
      '{"t":21}',
      '[An image of type image/tiff from the tool was left out: it was sent as image/tiff, but it is image/png.]',
      'from tsx',
      '[The tool returned a prompt-tsx part with no text in it.]',
      '[The tool returned a part of a kind that cannot be shown here.]',
    ]);
    assert.equal(result.isError, false);
  });
});
