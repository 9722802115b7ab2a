import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatControllerOptions } from '../../src/chat/chatController';
import type { Conversation } from '../../src/chat/conversation';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import type { ChatHistory as ChatHistoryClass } from '../../src/history/chatHistory';
import { HistoryStore } from '../../src/history/historyStore';
import { nodeHistoryFiles } from '../../src/history/nodeHistoryFiles';
import { fileMemory } from '../../src/history/openConversationMemory';
import { providedVscodeModule } from '../fixtures/fakeVscode';
import { sseBody, sseReply, transcriptEvents } from '../fixtures/transcripts';
import { useMockProvider, useTempFolder } from './helpers';

/** The chat as the session wires it, with its history in real files under `folder`. */
function chatWithHistory(ChatHistory: typeof ChatHistoryClass, folder: string, url: string, options: Partial<ChatControllerOptions> = {}) {
  const store = new HistoryStore(nodeHistoryFiles(path.join(folder, 'history')));
  const memory = fileMemory(nodeHistoryFiles(path.join(folder, 'workspace')));
  const sink = { post: () => {}, refresh: () => {} };
  let history: ChatHistoryClass | undefined;
  const controller = new ChatController({
    sink,
    readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: url, maxRetries: 0, timeoutMs: 2000 }),
    resolveApiKey: async () => 'sk-test-123456',
    createClient: (o) => new MessagesClient(o),
    onConversationChange: (conversation, event) => history!.onConversationChange(conversation, event),
    ...options,
  });
  history = new ChatHistory(store, controller, sink, memory);
  return { controller, history, store, memory };
}

describe('the chat and its history, on real files', () => {
  const mock = useMockProvider();
  const folder = useTempFolder('sonnet-chat-history-');
  const warnings: string[] = [];
  let ChatHistory: typeof ChatHistoryClass;

  before(async () => {
    const vscode = providedVscodeModule();
    vscode.window.showWarningMessage = async (message: string) => {
      warnings.push(message);
      return undefined;
    };
    // Loaded only now: it imports `vscode`, which exists from the lines above.
    ({ ChatHistory } = await import('../../src/history/chatHistory'));
  });
  afterEach(() => {
    warnings.length = 0;
  });

  it('ends a turn whose block index is 1e9, saves it small, and reads it back whole', async () => {
    const events = transcriptEvents({ blocks: [{ type: 'text', text: 'Far away.' }] });
    for (const event of events) {
      const data = event.data as { index?: number };
      if (data.index !== undefined) data.index = 1e9;
    }
    mock().enqueue({ kind: 'sse', body: sseBody(events) });
    const { controller, store } = chatWithHistory(ChatHistory, folder(), mock().url);
    controller.send(plainPrompt('hello'));
    await controller.whenIdle();
    assert.equal(controller.busy, false);
    await store.list(); // after the saves queued before it
    const file = path.join(folder(), 'history', `conversation-${controller.current.id}.json`);
    assert.ok((await fsp.stat(file)).size < 10_000, 'no holes written out');
    const reloaded = await new HistoryStore(nodeHistoryFiles(path.join(folder(), 'history'))).load(controller.current.id);
    assert.ok(reloaded.ok, JSON.stringify(reloaded));
    assert.deepEqual(reloaded.conversation.turns[0].answer.blocks, [{ kind: 'text', text: 'Far away.' }]);
    assert.deepEqual(warnings, []);
  });

  it('flush (what deactivation waits for) ends a streaming answer and settles once it is on disk', async () => {
    // The first words arrive, then the stream stalls, as a long answer does while the window reloads.
    const reply = sseReply({ blocks: [{ type: 'text', text: 'The first words, then more.' }] });
    const body = String(reply.body);
    mock().enqueue({ ...reply, splitAt: [body.indexOf('\n\n', body.indexOf('The first words')) + 2], delayMs: 3_000 });
    const { controller, history } = chatWithHistory(ChatHistory, folder(), mock().url);
    controller.send(plainPrompt('a long answer, please'));
    while (!JSON.stringify(controller.snapshot().turns[0]?.answer.blocks ?? []).includes('"text":"')) await new Promise((resolve) => setTimeout(resolve, 10));
    await history.flush();
    assert.equal(controller.busy, false);
    // Read straight from disk, with no store in between whose queue could still be writing.
    const file = path.join(folder(), 'history', `conversation-${controller.current.id}.json`);
    const saved = JSON.parse(await fsp.readFile(file, 'utf8')) as { turns: Array<{ answer: { status: string } }> };
    assert.equal(saved.turns[0].answer.status, 'stopped');
    assert.deepEqual(controller.snapshot().turns[0].answer.blocks.length, 1);
  });

  it('never leaves the chat busy when saving throws, and keeps the turn in memory', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Kept in memory.' }] }));
    const busy: boolean[] = [];
    const { controller } = chatWithHistory(ChatHistory, folder(), mock().url, {
      onBusyChange: (value) => busy.push(value),
      onConversationChange: (_conversation, event) => {
        if (event === 'turnEnded') throw new RangeError('Invalid string length');
      },
    });
    controller.send(plainPrompt('hello'));
    await controller.whenIdle();
    assert.equal(controller.busy, false);
    assert.deepEqual(busy, [true, false]);
    assert.deepEqual(controller.snapshot().turns[0].answer.blocks, [{ kind: 'text', text: 'Kept in memory.' }]);
    assert.equal(controller.send(plainPrompt('and the next one')), true, 'the next prompt goes out');
    await controller.whenIdle();
  });

  it('says so when a conversation cannot be written at all, and it stays open', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Unwritable.' }] }));
    const { controller, history, store } = chatWithHistory(ChatHistory, folder(), mock().url);
    controller.send(plainPrompt('hello'));
    await controller.whenIdle();
    await store.list();
    // Something JSON cannot write, as an answer too long for one string would be.
    const conversation: Conversation = controller.current;
    conversation.turns[0].answer.blocks.push({ kind: 'other', type: 10n as unknown as string });
    await assert.rejects(store.save(conversation), TypeError, 'the save fails as a promise, not a throw');
    history.onConversationChange(conversation, 'turnEnded');
    await store.list().catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /could not save this conversation.*It stays open in the Chat view/s);
    assert.equal(controller.current, conversation);
  });

  for (const [what, damage] of [
    ['its index entry', (text: string) => text.replace(/"turns":\[/, '"turns":[7,')],
    ['what is still readable of its file', (text: string) => text.replace(/"status":"done"/, '"status":"finished"')],
  ] as const) {
    it(`names a corrupt conversation reopened at reload by its title, from ${what}`, async () => {
      mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Soon corrupt.' }] }));
      const first = chatWithHistory(ChatHistory, folder(), mock().url);
      first.controller.send(plainPrompt('Plan the garden party'));
      await first.controller.whenIdle();
      await first.store.list();
      await first.memory.recall();
      const historyFolder = path.join(folder(), 'history');
      const file = path.join(historyFolder, `conversation-${first.controller.current.id}.json`);
      await fsp.writeFile(file, damage(await fsp.readFile(file, 'utf8')));
      if (what.startsWith('what')) await fsp.rm(path.join(historyFolder, 'index.json'));

      const reloaded = chatWithHistory(ChatHistory, folder(), mock().url);
      await reloaded.history.restore();
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], /^Sonnet Chat: "Plan the garden party" could not be read/);
    });
  }
});
