// run_command in a real VS Code (code-server): the model (the mock provider) runs a command through
// its approval card and reads its output and exit code; a rejected command does not run; Stop ends a
// `sleep 600`; "Always allow" writes a rule to the user's settings, and a command it allows runs
// without a card. The workspace's own settings try to allow `node`, and cannot.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

/** The `run_command` result the request carries back, if any. */
function commandResultOf(request: RecordedRequest): { content: string; is_error?: boolean } | undefined {
  const last = request.body.messages.at(-1);
  return Array.isArray(last.content) ? last.content.find((block: { type: string }) => block.type === 'tool_result') : undefined;
}

/** A model that runs `command`, then answers with what `answer` makes of the result. */
function runsCommand(id: string, command: string, answer: (result: { content: string; is_error?: boolean }) => string) {
  return (request: RecordedRequest) => {
    const result = commandResultOf(request);
    return result
      ? sseReply({ blocks: [{ type: 'text', text: answer(result) }] })
      : sseReply({ blocks: [{ type: 'text', text: 'Running it.' }, { type: 'tool_use', id, name: 'run_command', input: { command } }], stopReason: 'tool_use' });
  };
}

/** The processes whose command line is exactly `words`, found in /proc. */
function processesRunning(words: string[]): number[] {
  const wanted = words.join('\0');
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(stat)) return [];
      return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0$/, '') === wanted ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type SonnetUnderTest = ReturnType<typeof useSonnet>;

/** The model runs `node -e …` through its approval card, and reads 42 and exit code 3 (and no API key); `way` is how the result says it ran. */
async function runsThroughItsCard(sonnet: SonnetUnderTest, way: RegExp): Promise<void> {
  // Also prints whether the key the editor was started with (SONNET_API_KEY) reached the command: it must not.
  const command = 'node -e "console.log(42, process.env.SONNET_API_KEY === undefined); process.exit(3)"';
  sonnet.mock().onMessages(runsCommand('toolu_node', command, () => 'Done: it ran.'));
  const chat = await sonnet.chat();
  await chat.send('Run the script');

  const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
  await waiting.waitFor();
  // The exact command line and its folder; the workspace's rule for `node` does not count.
  assert.equal((await waiting.locator('.tool-question').innerText()).trim(), `Run this command in ${path.basename(sonnet.vsc().server.workspace)}?\n${command}`);
  assert.equal(await waiting.locator('button[data-approve="always"]').count(), 0, 'no "Always allow" for a program that runs any code');
  await waiting.locator('button[data-approve="true"]').click();

  await chat.waitForAnswer('Done:', 60_000);
  const result = commandResultOf(sonnet.mock().messageRequests[1])!;
  assert.equal(result.is_error, undefined);
  assert.match(result.content, /^Exit code 3, after \d+\.\d s\.\n/);
  assert.match(result.content, way);
  assert.match(result.content, /\nOutput:\n42 true$/);
  assert.match(await chat.lastAnswer.locator('.tool-call[data-status="done"]').innerText(), /run_command\s*node -e/);
}

/** Stop, while `sleep <seconds>` runs, ends it (polled until no such process is left). */
async function stopEndsSleep(sonnet: SonnetUnderTest, seconds: string): Promise<void> {
  // A duration no other process on the machine sleeps for, to find this one by.
  const words = ['sleep', seconds];
  sonnet.mock().onMessages(runsCommand('toolu_sleep', words.join(' '), () => 'It ended.'));
  const chat = await sonnet.chat();
  await chat.send('Wait ten minutes');
  const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
  await waiting.waitFor();
  await waiting.locator('button[data-approve="true"]').click();
  await chat.lastAnswer.locator('.tool-call[data-status="running"]').waitFor();
  await until(() => processesRunning(words).length === 1, 'sleep runs');
  await chat.frame.locator('#stop').click();
  await until(() => processesRunning(words).length === 0, 'sleep is gone');
  await chat.lastAnswer.locator('.tool-call[data-status="cancelled"]').waitFor();
  assert.equal(sonnet.mock().messageRequests.length, 1, 'nothing more was sent after Stop');
}

describe('run_command', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({
    files: { 'README.md': '# scratch\n', '.vscode/settings.json': JSON.stringify({ 'sonnet.tools.commandRules': { allow: ['node', 'sleep'] } }) },
  });
  const workspace = () => sonnet.vsc().server.workspace;

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('runs a command through its approval card; the model gets its output and exit code', async () => {
    await runsThroughItsCard(sonnet, /^Ran in the terminal "Sonnet" through shell integration\.$/m);
  });

  it('does not run a rejected command', async () => {
    const marker = path.join(workspace(), 'rejected.txt');
    sonnet.mock().onMessages(runsCommand('toolu_rejected', `node -e "require('fs').writeFileSync('rejected.txt', 'ran')"`, (result) => (result.is_error ? 'Not run.' : 'It ran!')));
    const chat = await sonnet.chat();
    await chat.send('Write the marker');
    const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
    await waiting.waitFor();
    await waiting.locator('button[data-approve="false"]').click();
    await chat.waitForAnswer('Not run.');
    await chat.lastAnswer.locator('.tool-call[data-status="rejected"]').waitFor();
    assert.match(commandResultOf(sonnet.mock().messageRequests[1])!.content, /rejected/);
    assert.equal(fs.existsSync(marker), false);
  });

  it('Stop ends a running sleep 600 and what it runs in', async () => {
    await stopEndsSleep(sonnet, '600.4242');
  });

  it('"Always allow" adds a rule to the user settings, and a command it allows runs without a card', async () => {
    const vsc = sonnet.vsc();
    // Plain words only: a rule never allows a redirection (`echo x > file`).
    sonnet.mock().onMessages(runsCommand('toolu_first', 'touch first.txt', () => 'First done.'));
    const chat = await sonnet.chat();
    await chat.send('Write the first file');
    const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
    await waiting.waitFor();
    const always = waiting.locator('button[data-approve="always"]');
    assert.equal((await always.innerText()).trim(), 'Always allow touch …');
    await always.click();
    await chat.waitForAnswer('First done.', 60_000);
    assert.ok(fs.existsSync(path.join(workspace(), 'first.txt')));
    assert.deepEqual((await vsc.readSettings())['sonnet.tools.commandRules'], { allow: ['touch'], deny: [] });

    await chat.newChat(vsc);
    sonnet.mock().reset();
    sonnet.mock().onMessages(runsCommand('toolu_ruled', 'touch ruled.txt', (result) => (result.is_error ? 'Failed.' : 'Ruled done.')));
    await chat.send('Write the second file');
    // No card waits: the answer comes without anyone clicking.
    await chat.waitForAnswer('Ruled done.', 60_000);
    assert.ok(fs.existsSync(path.join(workspace(), 'ruled.txt')));
    assert.equal(await chat.lastAnswer.locator('.tool-call[data-status="done"]').count(), 1);
  });
});

// Where the shell's integration does not come up (turned off here, as on a shell it does not support),
// the command runs as a child process in the same shell, mirrored into a "Sonnet" terminal.
describe('run_command without shell integration', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'README.md': '# scratch\n' }, settings: { 'terminal.integrated.shellIntegration.enabled': false } });

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('runs the command as a child process and says so', async () => {
    await runsThroughItsCard(sonnet, /^Ran as a child process of the editor in the user's shell \(shell integration did not come up\), its output mirrored into the terminal "Sonnet"\.$/m);
  });

  it('Stop ends a running sleep 600', async () => {
    await stopEndsSleep(sonnet, '600.4343');
  });
});
