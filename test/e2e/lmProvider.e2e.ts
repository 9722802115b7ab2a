// Sonnet Chat as a VS Code language model, used the way other extensions use it: the lm-consumer
// fixture (test/fixtures/lm-consumer) is installed beside it and finds the model with
// `vscode.lm.selectChatModels({ vendor: 'sonnet-chat' })`. VS Code's own Chat view cannot be driven
// here (it asks to sign in to GitHub Copilot), so this is the path every consumer takes.
import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageVsix, PROJECT_ROOT } from './harness';
import { logHolding } from './logFile';
import { TEST_API_KEY, useSonnet } from './sonnet';
import { sseReply } from '../fixtures/transcripts';

interface Seen {
  models?: Array<{ id: string; name: string; vendor: string; maxInputTokens: number }>;
  tokens?: number;
  first?: Array<{ text?: string; callId?: string; name?: string; input?: unknown }>;
  second?: Array<{ text?: string }>;
  finalText?: string;
  parts?: string[];
  ended?: string;
  error?: { name: string; code: string; message: string; isLanguageModelError: boolean };
}

const CONSUMER = path.join(PROJECT_ROOT, 'test', 'fixtures', 'lm-consumer');

describe('Sonnet as a VS Code language model (another extension using it)', function () {
  const sonnet = useSonnet({
    apiKey: null,
    extensions: async () => [await packageVsix(CONSUMER, path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'lm-consumer-')), 'lm-consumer.vsix'))],
  });

  /** Runs one of the consumer's commands and reads what it saw, once it has written it. */
  async function run(command: 'Tool Round Trip' | 'Cancel Midway', file: string): Promise<Seen> {
    const result = path.join(sonnet.vsc().server.workspace, 'lm-consumer', `${file}.json`);
    await fsp.rm(result, { force: true });
    await sonnet.vsc().runCommand(`LM Consumer: ${command}`);
    // The command's promise is not ours to await (it runs in the extension host): its file is the sign it ended.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sonnet.vsc().page.waitForTimeout(100)) {
      const text = await fsp.readFile(result, 'utf8').catch(() => undefined);
      if (text) return JSON.parse(text) as Seen;
    }
    throw new Error(`LM Consumer: ${command} wrote nothing to ${result} within 30 s`);
  }

  /** The first test starts without a key and sets one; any test run on its own sets it first. */
  let keySet = false;
  async function setKey(): Promise<void> {
    if (keySet) return;
    await sonnet.vsc().runCommand('Sonnet: Set API Key');
    await sonnet.vsc().answerInput(TEST_API_KEY, { prompt: 'API key' });
    keySet = true;
  }

  it('offers no model without a key, and asks for none; with a key set, Claude Sonnet 4.6', async () => {
    const seen = await run('Tool Round Trip', 'roundTrip');
    assert.deepEqual(seen.models, []);
    assert.equal(await sonnet.vsc().quickInputBox.isVisible(), false, 'no prompt for a key');
    assert.equal(sonnet.mock().messageRequests.length, 0);

    await setKey();
    // Free, so that the credits the next test counts are its own whatever runs first.
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Hi.' }], credits: { where: 'message_delta', value: 0 } }));
    const withKey = await run('Tool Round Trip', 'roundTrip');
    assert.deepEqual(withKey.models?.map(({ id, name, vendor }) => ({ id, name, vendor })), [{ id: 'claude-sonnet-4-6', name: 'Claude Sonnet 4.6', vendor: 'sonnet-chat' }]);
    assert.equal(withKey.models?.[0].maxInputTokens, 200_000 - 8192);
  });

  it('streams text in pieces and a tool call, takes the tool result back and gives the final answer', async () => {
    await setKey();
    sonnet.mock().setCredits({ kind: 'json', body: { credits: 1000 } });
    sonnet.mock().enqueue(
      sseReply(
        { blocks: [{ type: 'text', text: 'I will multiply them with the tool.' }, { type: 'tool_use', id: 'toolu_lm1', name: 'calc_multiply', input: { a: 6, b: 7 } }], stopReason: 'tool_use', deltaSize: 6, credits: { where: 'message_delta', value: 1.5 } },
        { chunkSize: 90, delayMs: 15 },
      ),
    );
    sonnet.mock().onMessages(() => {
      // The balance the provider reports once the two answers are charged.
      sonnet.mock().setCredits({ kind: 'json', body: { credits: 997 } });
      return sseReply({ blocks: [{ type: 'text', text: '6 times 7 is 42.' }], deltaSize: 4, credits: { where: 'message_delta', value: 1.5 } });
    });
    const chat = await sonnet.chat();
    const seen = await run('Tool Round Trip', 'roundTrip');
    assert.equal(seen.error, undefined, JSON.stringify(seen.error));

    const texts = seen.first!.filter((part) => part.text !== undefined).map((part) => part.text);
    assert.ok(texts.length > 1, `the text arrived in pieces: ${JSON.stringify(texts)}`);
    assert.equal(texts.join(''), 'I will multiply them with the tool.');
    assert.deepEqual(seen.first!.at(-1), { callId: 'toolu_lm1', name: 'calc.multiply', input: { a: 6, b: 7 } });
    assert.equal(seen.finalText, '6 times 7 is 42.');
    assert.ok(seen.tokens! > 0 && seen.tokens! < 100, `countTokens: ${seen.tokens}`);

    const [first, second] = sonnet.mock().messageRequests.map((request) => request.body);
    assert.deepEqual(first.tools, [{ name: 'calc_multiply', description: 'Multiplies two numbers.', input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } }]);
    assert.deepEqual(first.tool_choice, { type: 'auto' });
    assert.equal(first.stream, true);
    assert.deepEqual(second.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'text', text: 'I will multiply them with the tool.' }, { type: 'tool_use', id: 'toolu_lm1', name: 'calc_multiply', input: { a: 6, b: 7 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_lm1', content: [{ type: 'text', text: '42' }] }] },
    ]);
    assert.equal(sonnet.mock().messageRequests[0].headers.authorization, `Bearer ${TEST_API_KEY}`);
    // The log names the calling extension, as VS Code passes it (`requestInitiator`).
    await logHolding(sonnet.vsc(), [/Language model request from e2e-tests\.lm-consumer answered: 1\.5 credits \(provider\)/]);

    // What the requests spent shows in our balance, and the status bar says who spent it.
    await chat.frame.locator('#balance', { hasText: 'Balance: 997 credits' }).waitFor();
    const statusBar = sonnet.vsc().page.locator('.statusbar-item[id$="sonnet.balance"]');
    await statusBar.filter({ hasText: '997' }).hover();
    await sonnet.vsc().page.getByText('Other extensions spent 3.00 credits through Sonnet in this window.').waitFor();
  });

  it('closes the connection to the provider when the caller cancels midway', async () => {
    await setKey();
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Once upon a time, '.repeat(200) }], deltaSize: 8 }, { chunkSize: 200, delayMs: 50 }));
    const seen = await run('Cancel Midway', 'cancel');
    const [request] = sonnet.mock().messageRequests;
    await request.finished;
    assert.equal(request.clientClosedEarly, true, 'the mock provider saw the socket close');
    assert.ok(seen.parts!.length >= 1);
    assert.ok(seen.parts!.join('').length < 'Once upon a time, '.repeat(200).length, 'the answer stopped before its end');
  });

  it('hands the caller a LanguageModelError with our message when the provider refuses', async () => {
    await setKey();
    sonnet.mock().enqueue({ kind: 'json', status: 402, body: { error: { code: 'insufficient_credits', message: 'Your credit balance is too low. Please top up.', type: 'billing_error' } } });
    const blocked = await run('Tool Round Trip', 'roundTrip');
    assert.equal(blocked.error?.isLanguageModelError, true, JSON.stringify(blocked.error));
    assert.equal(blocked.error?.code, 'Blocked');
    assert.equal(blocked.error?.message, "Sonnet Chat: Not enough credits. Your credit balance is too low. Please top up. Top up the account in the provider's dashboard.");

    sonnet.mock().enqueue({ kind: 'json', status: 401, body: { error: { code: 'invalid_api_key', message: 'Invalid API key.', type: 'authentication_error' } } });
    const refused = await run('Tool Round Trip', 'roundTrip');
    assert.equal(refused.error?.code, 'NoPermissions', JSON.stringify(refused.error));
    assert.match(refused.error?.message ?? '', /^Sonnet Chat: API key rejected\. Invalid API key\. Run "Sonnet: Set API Key"/);
  });
});
