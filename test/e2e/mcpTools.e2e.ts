// The model calling an MCP server's tool in the real VS Code (code-server): the workspace's
// .vscode/mcp.json names the tiny stdio server of test/fixtures/mcp-server; the mock provider, playing
// the model, checks that the request offers its tools as mcp__<server>__<tool> and calls one. Its card
// names the server; Accept runs it and the result reaches the model; Reject does not run it; Stop
// during a tool that never finishes ends the turn at once; a server that exits on the call gives an
// is_error result and a notice with Restart, and the conversation stays; "Always allow" lets the next
// call run without a card and writes the entry that names the workspace's server.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sseReply, type BlockScript } from '../fixtures/transcripts';
import { PROJECT_ROOT } from './harness';
import { waitForRow } from './mcpServerRows';
import { screenshotInThemes, useSonnet } from './sonnet';
import { acceptThenStop, sendAndAwaitApproval, toolResultOf } from './toolCalls';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'mcp-server', 'server.mjs');
const callsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-mcp-tools-e2e-'));
/** The fixture adds a line here for each call of `echo` it runs. */
const CALLS_FILE = path.join(callsFolder, 'calls.txt');

const server = (args: string[]) => ({ command: process.execPath, args: [FIXTURE, ...args], env: { MCP_FIXTURE_CALLS_FILE: CALLS_FILE } });
const MCP_JSON = JSON.stringify({ servers: { fixture: server([]), crashy: server(['--exit-on-call']) } }, null, 2);

const echoCalls = () => (fs.existsSync(CALLS_FILE) ? fs.readFileSync(CALLS_FILE, 'utf8').split('\n').filter(Boolean) : []);

/** A tool_result's text, whether it came as a string or as blocks. */
function textOf(content: unknown): string {
  return typeof content === 'string' ? content : (content as Array<{ type: string; text?: string }>).flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}

describe("MCP servers' tools through the model", function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { '.vscode/mcp.json': MCP_JSON, 'README.md': '# Project\n' } });
  const offeredIn: string[][] = [];
  const results: Array<{ content: unknown; is_error?: boolean }> = [];

  /** A model that calls `call` (after noting the tools it is offered), then answers with the result. */
  function callsThenAnswers(call: BlockScript) {
    sonnet.mock().onMessages((request) => {
      offeredIn.push((request.body.tools ?? []).map((tool: { name: string }) => tool.name));
      const result = toolResultOf(request);
      if (!result) return sseReply({ blocks: [call], stopReason: 'tool_use' });
      results.push(result);
      return sseReply({ blocks: [{ type: 'text', text: `The tool said (${result.is_error ? 'error' : 'ok'}): ${textOf(result.content)}` }] });
    });
  }

  before(async () => {
    // Started from the list, so the first request finds them running (a request waits only briefly for a server that starts).
    const vsc = sonnet.vsc();
    for (const name of ['fixture', 'crashy']) {
      await vsc.runCommand('Sonnet: Show MCP Servers');
      await vsc.pickQuickItem(new RegExp(`^${name}`));
      await waitForRow(vsc, new RegExp(`^${name}.*running, 5 tools$`));
      await vsc.dismiss();
    }
  });
  beforeEach(() => {
    offeredIn.length = 0;
    results.length = 0;
  });
  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });
  after(async () => {
    await fsp.rm(callsFolder, { recursive: true, force: true });
  });

  it('offers the server\'s tools, asks on a card that names the server, and Accept sends its answer to the model', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_echo', name: 'mcp__fixture__echo', input: { text: 'hello' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Echo hello');
    assert.match(await card.innerText(), /mcp__fixture__echo\s*from the MCP server fixture/);
    const [first] = offeredIn;
    for (const name of ['mcp__fixture__echo', 'mcp__fixture__slow', 'mcp__crashy__echo', 'read_file']) assert.ok(first.includes(name), `${name} in ${first.join()}`);
    assert.deepEqual(echoCalls(), [], 'nothing runs before Accept');

    await card.locator('button[data-approve="true"]').click();
    assert.match(await chat.waitForAnswer('The tool said'), /The tool said \(ok\): echo: hello/);
    assert.deepEqual(results.map((result) => [textOf(result.content), result.is_error ?? false]), [['echo: hello', false]]);
    assert.deepEqual(echoCalls(), ['echo hello']);
  });

  it('Reject does not call the server, and the model reads that it was rejected', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_no', name: 'mcp__fixture__echo', input: { text: 'rejected' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Echo rejected');
    await card.locator('button[data-approve="false"]').click();
    assert.match(await chat.waitForAnswer('The tool said'), /The tool said \(error\): The user rejected this tool call/);
    assert.ok(!echoCalls().includes('echo rejected'), echoCalls().join());
  });

  it('Stop during a slow tool ends the turn at once, the call cancelled', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_slow', name: 'mcp__fixture__slow', input: { text: 'wait' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Wait');
    await acceptThenStop(chat, card);
    assert.equal(sonnet.mock().messageRequests.length, 1, 'nothing more goes to the model');
  });

  it('a server that exits on the call gives an is_error result and a notice with Restart; the conversation stays', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_crash', name: 'mcp__crashy__echo', input: { text: 'boom' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Crash it');
    await card.locator('button[data-approve="true"]').click();
    assert.match(await chat.waitForAnswer('The tool said'), /The tool said \(error\): mcp__crashy__echo \(the MCP server crashy\) failed: MCP server "crashy" stopped during the call of echo: the server process exited/);
    assert.equal(results.length, 1);
    assert.equal(results[0].is_error, true);
    const notice = chat.frame.locator('.mcp-notice[data-server="crashy"]');
    await notice.waitFor();
    assert.match(await notice.locator('.mcp-notice-text').innerText(), /^MCP server "crashy": .*restarted it/);
    await notice.getByRole('button', { name: 'Restart MCP server crashy' }).waitFor();
    assert.equal(await chat.lastUserTurn.innerText().then((text) => text.includes('Crash it')), true, 'the prompt is still there');
    assert.equal(await chat.frame.locator('.turn.assistant').count(), 1);
  });

  it('"Always allow tools of the MCP server" lets the next call run without a card, and allow-lists this workspace\'s server', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_always', name: 'mcp__fixture__echo', input: { text: 'first' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Echo first');
    const workspace = sonnet.vsc().server.workspace;
    const always = card.locator('button[data-approve="always"]');
    assert.equal((await always.innerText()).trim(), `Always allow tools of the MCP server fixture of ${workspace} …`);
    // The label holds the folder's path: it must wrap within the card in every kind of theme.
    const vsc = sonnet.vsc();
    await screenshotInThemes(vsc, chat, 'mcp', 'always-allow');
    await vsc.setColorTheme('Dark Modern');
    await always.click();
    await chat.waitForAnswer('The tool said (ok): echo: first');

    callsThenAnswers({ type: 'tool_use', id: 'toolu_again', name: 'mcp__fixture__echo', input: { text: 'second' } });
    await chat.send('Echo second');
    // No card waits for an answer: the call runs and the model gets its result.
    assert.match(await chat.waitForAnswer('The tool said (ok): echo: second'), /echo: second/);
    assert.deepEqual(echoCalls().slice(-2), ['echo first', 'echo second']);
    assert.deepEqual((await sonnet.vsc().readSettings())['sonnet.mcp.allowedServers'], [`fixture@${workspace}`]);
  });
});
