// The Sonnet Chat log, as a user or a developer reads it: Sonnet: Show Log and an error card's Show Log
// open it in the Output panel, and it records the requests, a retry and the tool calls of an answer,
// never the key.

import assert from 'node:assert/strict';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { providerError, sseReply } from '../fixtures/transcripts';
import type { VSCode } from './harness';
import { logHolding } from './logFile';
import { TEST_API_KEY, useSonnet } from './sonnet';

/** The text the Output panel shows (the editor renders spaces as no-break spaces). */
async function outputPanelText(vsc: VSCode): Promise<string> {
  return (await vsc.page.locator('.part.panel .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

describe('The Sonnet Chat log', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({ files: { 'notes/facts.md': 'The answer is 42.\n' }, settings: { 'sonnet.maxRetries': 1 } });

  it('records the requests, a retry and a tool call of an answer; Sonnet: Show Log opens it', async () => {
    const hasToolResult = (request: RecordedRequest) => JSON.stringify(request.body.messages.at(-1)).includes('tool_result');
    sonnet.mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': '1' }));
    sonnet.mock().onMessages((request) =>
      hasToolResult(request)
        ? sseReply({ blocks: [{ type: 'text', text: 'It says 42.' }] }, { headers: { 'request-id': 'req_e2e_log' } })
        : sseReply({ blocks: [{ type: 'tool_use', id: 'toolu_log', name: 'read_file', input: { path: 'notes/facts.md' } }], stopReason: 'tool_use' }),
    );
    const chat = await sonnet.chat();
    await chat.send('What does the facts file say?');
    await chat.waitForAnswer('It says 42.');

    const text = await logHolding(sonnet.vsc(), [
      /\[info\] POST \/messages \(claude-sonnet-4-6, 1 message, \d+ bytes, \d+ tools\)/,
      /\[error\] Request failed after \d+ ms: 429 rate_limit_exceeded/,
      /\[warning\] Retry 1 of 1 in 1000 ms/,
      /\[info\] Tool read_file \(toolu_log\) done in \d+ ms, result \d+ chars/,
      /\[info\] Response 200, first byte after \d+ ms .*request id req_e2e_log/,
      /\[info\] Answer complete in \d+ ms: end_turn/,
    ]);
    assert.ok(!text.includes(TEST_API_KEY), 'the key is never logged');
    assert.ok(!text.includes('What does the facts file say?'), 'message contents only at trace level, which is off');

    await sonnet.vsc().runCommand('Sonnet: Show Log');
    await sonnet.vsc().page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'POST /messages' }).first().waitFor();
    assert.match(await outputPanelText(sonnet.vsc()), /Retry 1 of 1/);
  });

  it("an error card's Show Log opens the log at the failure", async () => {
    // Closed first, so that only the button can show the log.
    await sonnet.vsc().runCommand('View: Toggle Panel Visibility');
    await sonnet.vsc().page.locator('.part.panel').waitFor({ state: 'hidden' });
    sonnet.mock().enqueue(providerError('invalid_api_key'));
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    await chat.send('Is my key fine?');
    await chat.errorCard.waitFor();
    await chat.errorCard.locator('button[data-action="showLog"]').click();
    await sonnet.vsc().page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Turn failed: API key rejected (invalid_api_key)' }).first().waitFor();
  });
});
