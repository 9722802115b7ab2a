import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { DEFAULT_CONFIG, type SonnetConfig } from '../../src/chat/settings';
import { plainPrompt, explainSelectionPrompt, BUILT_IN_SYSTEM_PROMPT } from '../../src/chat/prompts';
import { errorPresentation } from '../../src/chat/errorPresentation';
import { ApiError } from '../../src/api/errors';
import { MockProvider } from '../fixtures/mockProvider';
import { sseReply, providerError, demoScript, anthropicError } from '../fixtures/transcripts';
import { DeltaCoalescer } from '../../src/shared/deltaCoalescer';
import { parseWebviewMessage } from '../../src/shared/protocol';

function setup(mock: MockProvider, key: string | null = 'sk-test-123456', config: Partial<SonnetConfig> = {}) {
  const updates: ChatUpdate[] = [];
  let refreshes = 0;
  const busy: boolean[] = [];
  const controller = new ChatController({
    sink: { post: (u) => updates.push(u), refresh: () => refreshes++ },
    readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 1, timeoutMs: 2000, ...config }),
    resolveApiKey: async () => key ?? undefined,
    createClient: (o) => new MessagesClient({ ...o, backoff: { initialDelayMs: 5, maxDelayMs: 10, random: () => 0 } }),
    onBusyChange: (b) => busy.push(b),
  });
  return { controller, updates, busy, refreshes: () => refreshes };
}

describe('ChatController against the mock provider', () => {
  let mock: MockProvider;
  before(async () => { mock = await MockProvider.start(); });
  afterEach(() => mock.reset());
  after(() => mock.close());

  it('streams a turn, records it, and sends the history (thinking signature included) with the next one', async () => {
    mock.enqueue(sseReply(demoScript()), sseReply({ blocks: [{ type: 'text', text: 'second' }] }));
    const { controller, updates, busy } = setup(mock);
    assert.equal(controller.send(plainPrompt('hi')), true);
    assert.equal(controller.send(plainPrompt('again')), false);
    await controller.whenIdle();
    const types = updates.map((u) => u.type);
    assert.deepEqual([types[0], types[1], types.at(-2), types.at(-1)], ['turnStarted', 'busy', 'turnFinished', 'busy']);
    const snap = controller.snapshot();
    assert.equal(snap.turns[0].answer.status, 'done');
    assert.equal(snap.turns[0].answer.blocks[0].kind, 'thinking');
    assert.match((snap.turns[0].answer.blocks[1] as any).text, /Hello from the demo provider/);
    assert.equal(snap.turns[0].answer.usage?.credits, 0.306);
    assert.deepEqual(busy, [true, false]);
    const body = mock.messageRequests[0].body;
    assert.equal(body.stream, true);
    assert.equal(body.model, 'claude-sonnet-4-6');
    assert.equal(body.thinkingFlag, undefined);
    controller.send(plainPrompt('next'));
    await controller.whenIdle();
    const second = mock.messageRequests[1].body;
    assert.equal(second.messages.length, 3);
    assert.deepEqual(second.messages.map((m: any) => m.role), ['user', 'assistant', 'user']);
    assert.equal(second.messages[1].content[0].signature, 'demo-signature');
    assert.ok(!JSON.stringify(updates).includes('sk-test'));
  });

  it('Stop keeps the partial answer on screen and in the history', async () => {
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'abcdefghijklmnopqrstuvwxyz'.repeat(20) }], deltaSize: 5 }, { chunkSize: 40, delayMs: 20 }));
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
    const { controller, updates } = setup(mock);
    controller.send(plainPrompt('long'));
    while (!updates.some((u) => u.type === 'textDelta')) await new Promise((r) => setTimeout(r, 5));
    controller.stop();
    await controller.whenIdle();
    const t = controller.snapshot().turns[0];
    assert.equal(t.answer.status, 'stopped');
    const text = (t.answer.blocks[0] as any).text as string;
    assert.ok(text.length > 0 && text.length < 520, `partial ${text.length}`);
    assert.equal(updates.filter((u) => u.type === 'turnFinished').length, 1);
    controller.send(plainPrompt('more'));
    await controller.whenIdle();
    const msgs = mock.messageRequests[1].body.messages;
    assert.equal(msgs.length, 3);
    assert.equal(msgs[1].content[0].text, text);
  });

  it('shows a 401 as a Set API Key card, and Retry resends the same turn', async () => {
    mock.enqueue(providerError('invalid_api_key'), sseReply({ blocks: [{ type: 'text', text: 'fine' }] }));
    const { controller, updates } = setup(mock);
    controller.send(plainPrompt('q'));
    await controller.whenIdle();
    const failed = updates.find((u) => u.type === 'turnFailed') as any;
    assert.deepEqual(failed.error.actions, ['setApiKey']);
    assert.equal(controller.lastFailure()?.turnId, failed.turnId);
    assert.equal(controller.retry(failed.turnId), true);
    await controller.whenIdle();
    assert.equal(controller.snapshot().turns.length, 1);
    assert.equal(controller.snapshot().turns[0].answer.status, 'done');
    assert.equal(mock.messageRequests[1].body.messages.length, 1);
  });

  it('without a key, sends nothing and shows a Set API Key card', async () => {
    const { controller } = setup(mock, null);
    controller.send(plainPrompt('q'));
    await controller.whenIdle();
    const t = controller.snapshot().turns[0];
    assert.equal(t.answer.status, 'failed');
    assert.deepEqual(t.answer.error?.actions, ['setApiKey']);
    assert.equal(mock.messageRequests.length, 0);
  });

  it('offers the action that fixes each error of the table', async () => {
    const cases: Array<[any, string[]]> = [
      [providerError('insufficient_credits'), ['topUp', 'retry']],
      [providerError('spend_limit_exceeded'), ['topUp', 'retry']],
      [providerError('model_not_found'), ['openSettings']],
      [providerError('invalid_request'), ['openSettings', 'retry']],
      [anthropicError(529, 'overloaded_error', 'Overloaded'), ['retry']],
    ];
    for (const [reply, actions] of cases) {
      mock.reset();
      mock.onMessages(() => reply);
      const { controller } = setup(mock);
      controller.send(plainPrompt('q'));
      await controller.whenIdle();
      assert.deepEqual(controller.snapshot().turns[0].answer.error?.actions, actions, JSON.stringify(reply));
    }
    assert.deepEqual(errorPresentation(new ApiError({ code: 'network_error', type: 'network_error', message: 'x', retryable: true })).actions, ['retry', 'openSettings']);
    assert.deepEqual(errorPresentation(new ApiError({ code: 'stream_truncated', type: 'stream_truncated', message: 'x', retryable: true })).actions, ['retry']);
    assert.deepEqual(errorPresentation(new ApiError({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'x', retryable: true })).actions, ['retry']);
  });

  it('New Chat during a stream starts afresh with no stray updates', async () => {
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'x'.repeat(400) }], deltaSize: 5 }, { chunkSize: 40, delayMs: 20 }));
    const { controller, updates, refreshes } = setup(mock);
    controller.send(plainPrompt('q'));
    while (!updates.some((u) => u.type === 'textDelta')) await new Promise((r) => setTimeout(r, 5));
    const before = updates.length;
    controller.newChat();
    assert.equal(controller.busy, false);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(updates.length, before);
    assert.equal(refreshes(), 1);
    assert.equal(controller.snapshot().turns.length, 0);
  });

  it('Explain Selection shows a compact reference and fences the code safely', () => {
    const p = explainSelectionPrompt({ code: 'const a = "```";\n', path: 'src/a.ts', languageId: 'typescript', startLine: 3, endLine: 9 });
    assert.equal(p.text, 'Explain `src/a.ts` lines 3–9');
    assert.match(p.content, /````typescript\nconst a = "```";\n````$/);
  });

  it('merges deltas before posting them and keeps their order', async () => {
    const sent: any[] = [];
    const c = new DeltaCoalescer((m) => sent.push(m), 5);
    c.post({ type: 'textDelta', turnId: 't', index: 0, text: 'a' });
    c.post({ type: 'textDelta', turnId: 't', index: 0, text: 'b' });
    c.post({ type: 'textDelta', turnId: 't', index: 0, text: 'b' });
    c.post({ type: 'thinkingDelta', turnId: 't', index: 1, text: 'c' });
    c.post({ type: 'busy', busy: false });
    // The first delta goes at once; the ones right after it are merged.
    assert.deepEqual(sent.map((m) => m.text ?? m.type), ['a', 'bb', 'c', 'busy']);
    c.post({ type: 'textDelta', turnId: 't', index: 0, text: 'd' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sent.at(-1).text, 'd');
  });

  it('a setting that cannot be read fails the turn with a card, and never leaves the chat busy', async () => {
    const busy: boolean[] = [];
    const updates: ChatUpdate[] = [];
    const controller = new ChatController({
      sink: { post: (u) => updates.push(u), refresh: () => undefined },
      readConfig: () => {
        throw new Error('settings.json could not be read');
      },
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (o) => new MessagesClient(o),
      onBusyChange: (b) => busy.push(b),
    });
    assert.equal(controller.send(plainPrompt('hi')), true);
    await controller.whenIdle();
    assert.equal(controller.busy, false);
    assert.deepEqual(busy, [true, false]);
    const failed = updates.find((u) => u.type === 'turnFailed');
    assert.match(failed?.type === 'turnFailed' ? failed.error.message : '', /settings\.json could not be read/);
    assert.equal(mock.messageRequests.length, 0);
  });

  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'x', extra: 1 }), { type: 'send', text: 'x' });
    assert.equal(parseWebviewMessage({ type: 'action', action: 'rm -rf' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'toString' }), undefined);
    assert.equal(parseWebviewMessage({ type: '__proto__' }), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
  });

  it("checks the retry message's turn id as it checks every other id", () => {
    assert.deepEqual(parseWebviewMessage({ type: 'retry', turnId: 't1' }), { type: 'retry', turnId: 't1' });
    assert.equal(parseWebviewMessage({ type: 'retry', turnId: 'x'.repeat(5000) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: 'retry', turnId: 7 }), undefined);
  });

  it('sends sonnet.systemPrompt after the built-in prompt, which it adds to, and the built-in one alone when empty', async () => {
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'ok' }] }), sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
    const own = setup(mock, 'sk-test-123456', { systemPrompt: 'Answer in French.' });
    own.controller.send(plainPrompt('hi'));
    await own.controller.whenIdle();
    const system = mock.messageRequests[0].body.system as string;
    assert.ok(system.startsWith(BUILT_IN_SYSTEM_PROMPT), system);
    assert.ok(system.endsWith('Answer in French.'), system);
    assert.match(system, /fenced blocks[\s\S]*\n\n[^\n]*\n*Answer in French\.$/, 'a blank line at least separates the two');
    const plain = setup(mock);
    plain.controller.send(plainPrompt('hi'));
    await plain.controller.whenIdle();
    assert.equal(mock.messageRequests[1].body.system, BUILT_IN_SYSTEM_PROMPT);
  });

  it('a stopped answer whose usage never came shows no token line, not the "1 out" of message_start', async () => {
    const reply = sseReply({ blocks: [{ type: 'text', text: 'never shown' }] });
    const body = reply.body as string;
    // The text block starts, then the stream stalls before any text or the usage of message_delta.
    mock.enqueue({ ...reply, stallAfterBytes: body.indexOf('event: content_block_delta') });
    const { controller, updates } = setup(mock);
    controller.send(plainPrompt('hi'));
    while (!updates.some((u) => u.type === 'blockStart')) await new Promise((r) => setTimeout(r, 5));
    controller.stop();
    await controller.whenIdle();
    const finished = updates.find((u) => u.type === 'turnFinished');
    assert.equal(finished?.type === 'turnFinished' && finished.status, 'stopped');
    assert.equal(finished?.type === 'turnFinished' && finished.usage, undefined);
    assert.equal(controller.snapshot().turns[0].answer.usage, undefined);
  });

  it("sends extended thinking as the conversation chose it; one that has not chosen takes the default and keeps it", async () => {
    mock.enqueue(...[1, 2, 3].map(() => sseReply({ blocks: [{ type: 'text', text: 'ok' }] })));
    let defaultThinking = true;
    const updates: ChatUpdate[] = [];
    const controller = new ChatController({
      sink: { post: (u) => updates.push(u), refresh: () => undefined },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, thinking: defaultThinking }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (o) => new MessagesClient(o),
    });
    controller.send(plainPrompt('first'));
    await controller.whenIdle();
    assert.equal(mock.messageRequests[0].body.thinkingFlag, true);
    assert.equal(controller.current.thinking, true, 'fixed by its first turn, so it is saved with it');
    // The default for new chats changes: this conversation keeps its own.
    defaultThinking = false;
    controller.send(plainPrompt('second'));
    await controller.whenIdle();
    assert.equal(mock.messageRequests[1].body.thinkingFlag, true);
    // The view's toggle turns it off for this conversation.
    controller.current.thinking = false;
    controller.send(plainPrompt('third'));
    await controller.whenIdle();
    assert.equal(mock.messageRequests[2].body.thinkingFlag, undefined);
  });
});
