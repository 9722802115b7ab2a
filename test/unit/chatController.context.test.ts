import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatControllerOptions, type ChatUpdate } from '../../src/chat/chatController';
import { Conversation } from '../../src/chat/conversation';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { MockProvider } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';

function setup(mock: MockProvider, options: Partial<ChatControllerOptions> = {}) {
  const updates: ChatUpdate[] = [];
  const changes: string[] = [];
  const controller = new ChatController({
    sink: { post: (update) => updates.push(update), refresh: () => undefined },
    readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 }),
    resolveApiKey: async () => 'sk-test-123456',
    createClient: (options) => new MessagesClient(options),
    onConversationChange: (conversation, event) => changes.push(`${event}:${conversation.turns.length}:${conversation.lastTurn?.answer.status}`),
    ...options,
  });
  return { controller, updates, changes };
}

/** A saved conversation of `count` plain turns of about `chars` characters each. */
function longConversation(count: number, chars: number): Conversation {
  const conversation = new Conversation();
  for (let index = 1; index <= count; index++) {
    const turn = conversation.addTurn(plainPrompt(`turn ${index} ${'p'.repeat(chars / 2)}`));
    turn.answer = { status: 'done', blocks: [{ kind: 'text', text: 'a'.repeat(chars / 2) }] };
    turn.committed = true;
    conversation.messages.push({ role: 'user', content: turn.prompt.content }, { role: 'assistant', content: [{ type: 'text', text: 'a'.repeat(chars / 2) }] });
  }
  return conversation;
}

describe('ChatController: context window and saved conversations', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await MockProvider.start();
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

  it('continues a reopened conversation: the model sees its earlier turns', async () => {
    const { controller } = setup(mock);
    const saved = longConversation(2, 100);
    controller.open(saved);
    assert.equal(controller.snapshot().conversationId, saved.id);
    assert.equal(controller.current, saved);
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'third answer' }] }));
    controller.send(plainPrompt('third'));
    await controller.whenIdle();
    const sent = mock.messageRequests[0].body.messages;
    assert.equal(sent.length, 5);
    assert.match(sent[0].content, /^turn 1 /);
    assert.equal(sent[4].content, 'third');
    assert.equal(controller.snapshot().turns.length, 3);
  });

  it('leaves out the oldest turns that do not fit, and says so on the turn (automatic compaction off)', async () => {
    const { controller, updates } = setup(mock, { readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000, compactionThreshold: 0 }) });
    // Four turns of ~57K tokens each: ~230K, over the window.
    controller.open(longConversation(4, 200_000));
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
    controller.send(plainPrompt('next'));
    await controller.whenIdle();
    const sent = mock.messageRequests[0].body.messages;
    assert.equal(sent.length, 2 * 3 + 1);
    assert.match(sent[0].content, /^turn 2 /);
    const note = '1 earlier turn was left out to fit the context window.';
    assert.equal(controller.snapshot().turns.at(-1)?.contextNote, note);
    const started = updates.filter((u) => u.type === 'turnStarted');
    assert.equal(started.at(-1)?.type === 'turnStarted' && started.at(-1)?.turn.contextNote, note);
    assert.equal(controller.current.messages.length, 2 * 5, 'the full history is kept, only the request is trimmed');
  });

  it('refuses a prompt too long for the window alone with a clear card, and sends nothing', async () => {
    const { controller } = setup(mock);
    controller.send(plainPrompt('x'.repeat(700_000)));
    await controller.whenIdle();
    const answer = controller.snapshot().turns[0].answer;
    assert.equal(answer.status, 'failed');
    assert.equal(answer.error?.title, 'Message too long');
    assert.match(answer.error?.message ?? '', /about 200,0[0-9]{2} tokens, more than the 181,808 that fit/);
    assert.deepEqual(answer.error?.actions, []);
    assert.equal(mock.messageRequests.length, 0);
  });

  it('reports a conversation opened, and when a turn starts and ends, also in a conversation replaced meanwhile', async () => {
    const { controller, changes } = setup(mock);
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'y'.repeat(400) }], deltaSize: 5 }, { chunkSize: 40, delayMs: 20 }));
    controller.send(plainPrompt('q'));
    const first = controller.current;
    controller.newChat();
    await controller.whenIdle();
    assert.notEqual(controller.current, first);
    assert.deepEqual(changes, ['turnStarted:1:streaming', 'opened:0:undefined', 'turnEnded:1:stopped']);
  });

  it('reports a running turn\'s progress while it streams, so what arrived is saved, and not after it ends', async () => {
    const texts: string[] = [];
    const { controller, changes } = setup(mock, {
      progressIntervalMs: 100,
      onConversationChange: (conversation, event) => {
        changes.push(event);
        const block = conversation.lastTurn?.answer.blocks[0];
        if (event === 'turnProgress') texts.push(block && 'text' in block ? block.text : '');
      },
    });
    // About 1.2 s of streaming: 120 deltas in some 60 writes, 20 ms apart.
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'z'.repeat(600) }], deltaSize: 5 }, { chunkSize: 300, delayMs: 20 }));
    controller.send(plainPrompt('q'));
    await controller.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(changes[0], 'turnStarted');
    assert.equal(changes.at(-1), 'turnEnded', 'no progress is reported once the turn has ended');
    assert.ok(texts.length >= 3, `progress reported ${texts.length} times`);
    assert.ok(texts.some((text) => text.length > 0 && text.length < 600), 'a progress report holds the partial answer');
    for (let i = 1; i < texts.length; i++) assert.ok(texts[i].length >= texts[i - 1].length);
  });

  for (const [what, block] of [
    ['text', { type: 'text', text: 'First words.' }],
    ['thinking', { type: 'thinking', thinking: 'First thought.', signature: 'sig' }],
  ] as const) {
    it(`reports progress as soon as the first ${what} arrives, without waiting for the interval`, async () => {
      const saved: string[] = [];
      const { controller } = setup(mock, {
        // Far longer than the test: only the first content can prompt the report.
        progressIntervalMs: 60_000,
        onConversationChange: (conversation, event) => {
          const first = conversation.lastTurn?.answer.blocks[0];
          if (event === 'turnProgress') saved.push(first && 'text' in first ? first.text : '');
        },
      });
      const reply = sseReply({ blocks: [block, { type: 'text', text: 'The rest never comes.' }] });
      const body = reply.body as string;
      // The first block whole, then the stream stalls.
      mock.enqueue({ ...reply, stallAfterBytes: body.indexOf('event: content_block_start', body.indexOf('content_block_stop')) });
      controller.send(plainPrompt('q'));
      const deadline = Date.now() + 5_000;
      while (saved.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.stop();
      await controller.whenIdle();
      assert.ok(saved.length > 0, 'progress was reported before the interval');
      assert.ok(saved[0].length > 0, `the first report holds what arrived: ${JSON.stringify(saved[0])}`);
    });
  }
});
