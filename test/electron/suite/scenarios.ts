// The user's flows, driven through VS Code's API inside the extension host: commands, editors,
// settings and secret storage are real; the provider is the loopback mock. What only the Chat view's
// page shows (rendering, buttons) is covered by the code-server suites in test/e2e/.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MockProvider } from '../../fixtures/mockProvider';
import { providerError, sseReply, transcript } from '../../fixtures/transcripts';

const EXTENSION_ID = 'sonnet-chat.sonnet-chat';

/** Resolves once the mock has received `count` message requests, and each has ended. */
async function requestsSettled(mock: MockProvider, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (mock.messageRequests.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${mock.messageRequests.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(mock.messageRequests.map((request) => request.finished));
}

describe('Sonnet Chat in the extension host', function () {
  let mock: MockProvider;

  before(async () => {
    mock = await MockProvider.start();
    await vscode.workspace.getConfiguration('sonnet').update('baseUrl', mock.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('sonnet').update('maxRetries', 1, vscode.ConfigurationTarget.Global);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('sonnet').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('sonnet').update('maxRetries', undefined, vscode.ConfigurationTarget.Global);
    await mock.close();
  });

  beforeEach(async () => {
    mock.reset();
    await vscode.commands.executeCommand('sonnet.newChat');
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['sonnet.ask', 'sonnet.explainSelection', 'sonnet.newChat', 'sonnet.stop', 'sonnet.setApiKey', 'sonnet.clearApiKey']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('"Ask Sonnet" sends the question with the key as a Bearer token', async () => {
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'Hello.' }] }));
    await vscode.commands.executeCommand('sonnet.ask', 'Hi there');
    await requestsSettled(mock, 1);
    const [request] = mock.messageRequests;
    assert.equal(request.headers.authorization, `Bearer ${process.env.SONNET_API_KEY}`);
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.messages, [{ role: 'user', content: 'Hi there' }]);
  });

  it('"Explain Selection" sends the selected code with its file and language', async () => {
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'It adds.' }] }));
    const [file] = await vscode.workspace.findFiles('calc.py');
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(0, 0, 1, 16);
    await vscode.commands.executeCommand('sonnet.explainSelection');
    await requestsSettled(mock, 1);
    const content = mock.messageRequests[0].body.messages.at(-1).content as string;
    assert.match(content, /def add\(a, b\):\n {4}return a \+ b/);
    assert.match(content, /calc\.py/);
    assert.match(content, /language: python/);
    assert.doesNotMatch(content, /def sub/);
  });

  it('"Stop" ends a slow answer and closes the connection', async () => {
    const body = transcript({ blocks: [{ type: 'text', text: 'word '.repeat(300) }], deltaSize: 5 });
    mock.enqueue({ kind: 'sse', body, chunkSize: Math.ceil(body.length / 100), delayMs: 100 });
    await vscode.commands.executeCommand('sonnet.ask', 'Write a lot');
    while (mock.messageRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await vscode.commands.executeCommand('sonnet.stop');
    await requestsSettled(mock, 1);
    assert.equal(mock.messageRequests[0].clientClosedEarly, true);
  });

  it('does not retry a rejected key, and retries a rate limit once as set', async () => {
    mock.enqueue(providerError('invalid_api_key'));
    await vscode.commands.executeCommand('sonnet.ask', 'Key?');
    await requestsSettled(mock, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(mock.messageRequests.length, 1);

    mock.reset();
    await vscode.commands.executeCommand('sonnet.newChat');
    mock.enqueue(providerError('rate_limit_exceeded', { 'retry-after': '1' }), sseReply({ blocks: [{ type: 'text', text: 'Now.' }] }));
    await vscode.commands.executeCommand('sonnet.ask', 'Busy?');
    await requestsSettled(mock, 2);
    assert.deepEqual(mock.messageRequests[1].body, mock.messageRequests[0].body);
  });
});
