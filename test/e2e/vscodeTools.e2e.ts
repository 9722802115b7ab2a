// Other extensions' tools in a real VS Code: a fixture extension (test/fixtures/lm-tool-extension)
// registers tools with `vscode.lm.registerTool`; the mock provider, playing the model, checks that the
// request offers them (and not our own `sonnet_*` copies), calls one; its approval card says where it
// comes from; Accept runs it and its result reaches the model, Reject does not run it, and Stop during
// a tool that never finishes ends the turn at once and cancels the tool.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sseReply, type BlockScript } from '../fixtures/transcripts';
import { packageVsix } from './harness';
import { useSonnet } from './sonnet';
import { acceptThenStop, sendAndAwaitApproval, toolResultOf } from './toolCalls';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'lm-tool-extension');

async function packageFixture(): Promise<string[]> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonnet-e2e-lm-tool-'));
  // vsce packages what is in the folder: a copy, so nothing else gets in.
  await fsp.cp(FIXTURE, path.join(dir, 'ext'), { recursive: true });
  return [await packageVsix(path.join(dir, 'ext'), path.join(dir, 'lm-tool-extension.vsix'))];
}

describe("Other extensions' tools", function () {
  this.timeout(90_000);
  const sonnet = useSonnet({ files: { 'README.md': '# Project\n' }, extensions: packageFixture });
  const onDisk = (file: string) => path.join(sonnet.vsc().server.workspace, file);
  const offeredIn: string[][] = [];

  /** A model that calls `call` (after checking the tools it is offered), then answers with the result. */
  function callsThenAnswers(call: BlockScript) {
    sonnet.mock().onMessages((request) => {
      offeredIn.push((request.body.tools ?? []).map((tool: { name: string }) => tool.name));
      const result = toolResultOf(request);
      return result
        ? sseReply({ blocks: [{ type: 'text', text: `The tool said (${result.is_error ? 'error' : 'ok'}): ${typeof result.content === 'string' ? result.content : JSON.stringify(result.content)}` }] })
        : sseReply({ blocks: [call], stopReason: 'tool_use' });
    });
  }

  beforeEach(() => {
    offeredIn.length = 0;
  });
  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('offers the fixture tool, asks on its card, and Accept runs it and sends its result to the model', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_mark', name: 'lmfixture_write_marker', input: { file: 'accepted.txt', text: 'yes' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Write the marker');
    assert.match(await card.innerText(), /lmfixture_write_marker\s*from the extension e2e-fixtures\.lm-tool-extension/);
    const [first] = offeredIn;
    assert.ok(first.includes('lmfixture_write_marker') && first.includes('lmfixture_wait'), first.join());
    assert.ok(first.includes('read_file'));
    assert.ok(!first.some((name) => name.startsWith('sonnet_')), `our own tools are offered once: ${first.join()}`);
    assert.ok(!fs.existsSync(onDisk('accepted.txt')), 'nothing runs before Accept');

    await card.locator('button[data-approve="true"]').click();
    assert.match(await chat.waitForAnswer('The tool said'), /The tool said \(ok\): Marker accepted\.txt written\./);
    assert.equal(fs.readFileSync(onDisk('accepted.txt'), 'utf8'), 'yes');
  });

  it('Reject does not run it, and the model reads that it was rejected', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_no', name: 'lmfixture_write_marker', input: { file: 'rejected.txt', text: 'no' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Write the other marker');
    await card.locator('button[data-approve="false"]').click();
    assert.match(await chat.waitForAnswer('The tool said'), /The tool said \(error\): The user rejected this tool call/);
    assert.ok(!fs.existsSync(onDisk('rejected.txt')));
  });

  it('Stop while a tool runs ends the turn at once and cancels the tool', async () => {
    callsThenAnswers({ type: 'tool_use', id: 'toolu_wait', name: 'lmfixture_wait', input: { file: 'cancelled.txt' } });
    const chat = await sonnet.chat();
    const card = await sendAndAwaitApproval(chat, 'Wait');
    await acceptThenStop(chat, card);
    assert.equal(sonnet.mock().messageRequests.length, 1, 'nothing more goes to the model');
    // The fixture writes its marker when its cancellation token fires.
    const deadline = Date.now() + 10_000;
    // Created first, written after: waited for until it holds the word.
    const marker = () => (fs.existsSync(onDisk('cancelled.txt')) ? fs.readFileSync(onDisk('cancelled.txt'), 'utf8') : '');
    while (marker() !== 'cancelled' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(marker(), 'cancelled');
  });
});
