import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { AttachmentTray } from '../../src/chat/attachments';
import { ChatController, type ChatUpdate, type ConversationEvent } from '../../src/chat/chatController';
import { Conversation } from '../../src/chat/conversation';
import { editableText, editedPrompt } from '../../src/chat/promptEdit';
import { explainSelectionPrompt, plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { promptWithAttachments } from '../../src/chat/attachments';
import { MockProvider } from '../fixtures/mockProvider';
import { providerError, sseReply } from '../fixtures/transcripts';

function setup(mock: MockProvider) {
  const updates: ChatUpdate[] = [];
  const saved: { conversation: Conversation; event: ConversationEvent }[] = [];
  const controller = new ChatController({
    sink: { post: (u) => updates.push(u), refresh: () => undefined },
    readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 }),
    resolveApiKey: async () => 'sk-test-123456',
    createClient: (o) => new MessagesClient(o),
    onConversationChange: (conversation, event) => saved.push({ conversation, event }),
  });
  return { controller, updates, saved };
}

const answer = (text: string) => sseReply({ blocks: [{ type: 'text', text }] });
/** An answer that streams for a while (about a second), so the chat is busy meanwhile. */
const slowAnswer = () => sseReply({ blocks: [{ type: 'text', text: 'slow '.repeat(40) }], deltaSize: 5 }, { chunkSize: 100, delayMs: 20 });

function lastUserContent(mock: MockProvider, request: number): unknown {
  return mock.messageRequests[request].body.messages.at(-1).content;
}

function queuedUpdates(updates: ChatUpdate[]) {
  return updates.flatMap((u) => (u.type === 'queued' ? [u.queued] : []));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Conversation controls against the mock provider', () => {
  let mock: MockProvider;
  before(async () => { mock = await MockProvider.start(); });
  afterEach(() => mock.reset());
  after(() => mock.close());

  describe('a message sent while an answer streams', () => {
    it('is queued (a second one added to it) and sent when the answer is done', async () => {
      mock.enqueue(slowAnswer(), answer('second answer'));
      const { controller, updates } = setup(mock);
      assert.equal(controller.submit('first'), true);
      assert.equal(controller.submit('then this'), true);
      assert.equal(controller.submit('and this'), true);
      assert.deepEqual(controller.snapshot().queued, { text: 'then this\n\nand this', attachments: [] });
      assert.equal(controller.snapshot().turns.length, 1);
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 2);
      assert.equal(lastUserContent(mock, 1), 'then this\n\nand this');
      const turns = controller.snapshot().turns;
      assert.deepEqual(turns.map((t) => [t.prompt.text, t.answer.status]), [['first', 'done'], ['then this\n\nand this', 'done']]);
      assert.equal(controller.snapshot().queued, undefined);
      assert.equal(queuedUpdates(updates).at(-1), undefined);
    });

    it('takes the attachments it was sent with; cancelled, it gives them back and sends nothing', async () => {
      mock.enqueue(slowAnswer(), answer('about the file'));
      const tray = new AttachmentTray();
      const attachment = tray.add('file', { code: 'const x = 1;\n', path: 'src/x.ts', languageId: 'typescript', startLine: 1, endLine: 1 });
      const { controller } = setup(mock);
      controller.submit('first');
      controller.submit('look at this', tray.attachments);
      assert.deepEqual(controller.snapshot().queued?.attachments, [{ id: attachment.id, label: 'src/x.ts', kind: 'file' }]);
      await controller.whenIdle();
      assert.equal(lastUserContent(mock, 1), promptWithAttachments('look at this', [attachment]).content);
      assert.match(String(lastUserContent(mock, 1)), /const x = 1;/);

      mock.enqueue(slowAnswer());
      controller.submit('third');
      controller.submit('never mind', [attachment]);
      const cancelled = controller.cancelQueued();
      assert.equal(cancelled?.text, 'never mind');
      assert.deepEqual(cancelled?.attachments, [attachment]);
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 3);
      assert.equal(controller.snapshot().queued, undefined);
    });

    it('is held, not sent, when the answer fails, with the reason; Send sends it then', async () => {
      mock.enqueue(providerError('model_not_found'));
      const { controller } = setup(mock);
      controller.submit('first');
      controller.submit('queued one');
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 1);
      assert.equal(controller.snapshot().turns[0].answer.status, 'failed');
      assert.deepEqual(controller.snapshot().queued, { text: 'queued one', attachments: [], held: 'Not sent: the answer failed.' });
      // A retried answer does not send it either: held, it waits for the user.
      mock.enqueue(answer('retried'), answer('now it works'));
      assert.equal(controller.retry(), true);
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 2);
      assert.equal(controller.snapshot().queued?.held, 'Not sent: the answer failed.');
      assert.equal(controller.sendQueued(), true);
      await controller.whenIdle();
      assert.equal(lastUserContent(mock, 2), 'queued one');
      assert.equal(controller.snapshot().queued, undefined);
    });

    it('is held when the user stops the answer; Stop and send stops it and sends', async () => {
      mock.enqueue(slowAnswer(), slowAnswer(), answer('sent after the stop'));
      const { controller, updates } = setup(mock);
      controller.submit('first');
      controller.submit('queued');
      await until(() => updates.some((u) => u.type === 'textDelta'));
      controller.stop();
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 1);
      assert.equal(controller.snapshot().queued?.held, 'Not sent: the answer was stopped.');

      controller.submit('second');
      // Sending again while held adds to it, and it waits for this answer again.
      controller.submit('more');
      assert.deepEqual(controller.snapshot().queued, { text: 'queued\n\nmore', attachments: [] });
      await until(() => updates.filter((u) => u.type === 'textDelta').length > 3);
      assert.equal(controller.sendQueued(), true);
      await controller.whenIdle();
      const turns = controller.snapshot().turns;
      assert.deepEqual(turns.map((t) => [t.prompt.text, t.answer.status]), [['first', 'stopped'], ['second', 'stopped'], ['queued\n\nmore', 'done']]);
      assert.equal(lastUserContent(mock, 2), 'queued\n\nmore');
    });
  });

  describe('edit and resend, regenerate', () => {
    async function threeTurns(mock: MockProvider) {
      mock.enqueue(answer('one'), answer('two'), answer('three'));
      const chat = setup(mock);
      for (const text of ['first', 'second', 'third']) {
        chat.controller.send(plainPrompt(text));
        await chat.controller.whenIdle();
      }
      return chat;
    }

    it('an edited prompt replaces its turn and every later one, in the view and in the history; the old branch is saved', async () => {
      const { controller, saved } = await threeTurns(mock);
      const second = controller.snapshot().turns[1];
      assert.equal(second.prompt.editText, 'second');
      mock.enqueue(answer('two, again'));
      assert.equal(controller.resend(second.id, 'second, reworded'), true);
      await controller.whenIdle();
      const turns = controller.snapshot().turns;
      assert.deepEqual(turns.map((t) => t.prompt.text), ['first', 'second, reworded']);
      assert.equal(new Set(turns.map((t) => t.id)).size, 2);
      assert.ok(!turns.some((t) => t.id === second.id), 'the replacement has an id of its own');
      const sent = mock.messageRequests[3].body.messages;
      assert.deepEqual(sent.map((m: any) => [m.role, typeof m.content === 'string' ? m.content : m.content[0].text]), [
        ['user', 'first'], ['assistant', 'one'], ['user', 'second, reworded'],
      ]);
      const branch = saved.find((s) => s.event === 'branched')!.conversation;
      assert.equal(branch.title, 'first (earlier version)');
      assert.notEqual(branch.id, controller.current.id);
      assert.deepEqual(branch.turns.map((t) => t.prompt.text), ['first', 'second', 'third']);
      assert.equal(branch.messages.length, 6);
      // The next turn continues from the edited history.
      mock.enqueue(answer('four'));
      controller.send(plainPrompt('next'));
      await controller.whenIdle();
      assert.equal(mock.messageRequests[4].body.messages.length, 5);
    });

    it('regenerates the last answer only, and nothing while an answer streams', async () => {
      const { controller } = await threeTurns(mock);
      const turns = controller.snapshot().turns;
      assert.equal(controller.regenerate(turns[1].id), false);
      mock.enqueue(slowAnswer(), answer('three, again'));
      assert.equal(controller.regenerate(turns[2].id), true);
      assert.equal(controller.regenerate(controller.snapshot().turns[2].id), false, 'not while it streams');
      assert.equal(controller.resend(turns[0].id, 'edit'), false, 'no edit while it streams');
      await controller.whenIdle();
      assert.equal(mock.messageRequests.length, 4);
      const sent = mock.messageRequests[3].body.messages;
      assert.equal(sent.length, 5);
      assert.equal(sent.at(-1).content, 'third');
      const after = controller.snapshot().turns;
      assert.equal(after.length, 3);
      assert.match((after[2].answer.blocks[0] as { text: string }).text, /^slow/);
    });

    it('says why an edit was not sent: an answer started meanwhile, or its turn is gone', async () => {
      const { controller } = await threeTurns(mock);
      const first = controller.snapshot().turns[0];
      // The queued message started as the last answer ended, after the view last heard it was idle.
      mock.enqueue(slowAnswer());
      controller.send(plainPrompt('a queued message, started'));
      assert.match(controller.editPrompt(first.id, 'first, reworded') ?? '', /^Not sent: an answer started meanwhile/);
      await controller.whenIdle();
      controller.newChat();
      assert.match(controller.editPrompt(first.id, 'first, reworded') ?? '', /^Not sent: that prompt is no longer in this conversation/);
      assert.equal(mock.messageRequests.length, 4, 'neither edit was sent');
    });

    it('takes the edit in progress with the view\'s draft, well-formed only', () => {
      const editing = { turnId: 'c:1', draft: 'my draft' };
      assert.deepEqual(parseWebviewMessage({ type: 'draftChanged', text: 'reworded', editing }), { type: 'draftChanged', text: 'reworded', editing });
      assert.deepEqual(parseWebviewMessage({ type: 'draftChanged', text: 'plain' }), { type: 'draftChanged', text: 'plain' });
      assert.deepEqual(parseWebviewMessage({ type: 'draftChanged', text: 'plain', savedAt: 5 }), { type: 'draftChanged', text: 'plain', savedAt: 5 });
      assert.equal(parseWebviewMessage({ type: 'draftChanged', text: 'plain', savedAt: 'soon' }), undefined);
      for (const bad of [null, 'c:1', { turnId: 1, draft: '' }, { turnId: 'c:1' }]) {
        assert.equal(parseWebviewMessage({ type: 'draftChanged', text: 'reworded', editing: bad }), undefined, JSON.stringify(bad));
      }
    });

    it('edits only what the user typed: attachments stay, Explain Selection cannot be edited', () => {
      const tray = new AttachmentTray();
      const attachment = tray.add('selection', { code: 'let y = 2;', path: 'src/y.ts', languageId: 'typescript', startLine: 3, endLine: 3 });
      const withCode = promptWithAttachments('why?', [attachment]);
      assert.equal(editableText(withCode), 'why?');
      assert.deepEqual(editedPrompt(withCode, 'how?'), promptWithAttachments('how?', [attachment]));
      const explain = explainSelectionPrompt({ code: 'x', path: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 1 });
      assert.equal(editableText(explain), undefined);
      assert.equal(editedPrompt(explain, 'anything'), undefined);
      assert.equal(editableText(promptWithAttachments('', [attachment])), undefined);
      assert.equal(editedPrompt(plainPrompt('a'), '  '), undefined);
    });

    it('cuts the history at the replaced turn, tool rounds and uncommitted turns included', () => {
      const conversation = new Conversation();
      const first = conversation.addTurn(plainPrompt('first'));
      conversation.commit(first, [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'lines' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'read it' }] },
      ]);
      conversation.addTurn(plainPrompt('failed one'));
      const third = conversation.addTurn(plainPrompt('third'));
      conversation.commit(third, [{ role: 'assistant', content: [{ type: 'text', text: 'three' }] }]);
      conversation.removeFrom(third);
      assert.equal(conversation.messages.length, 4);
      assert.deepEqual(conversation.turns.map((t) => t.prompt.text), ['first', 'failed one']);
      conversation.removeFrom(conversation.turns[1]);
      assert.equal(conversation.messages.length, 4);
      conversation.removeFrom(first);
      assert.deepEqual([conversation.turns.length, conversation.messages.length], [0, 0]);
      assert.notEqual(conversation.addTurn(plainPrompt('again')).id, first.id);
    });
  });
});
