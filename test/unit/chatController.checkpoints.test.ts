import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessagesClient } from '../../src/api/client';
import { WorkspaceCheckpoints } from '../../src/checkpoints/workspaceCheckpoints';
import { ChatController, type ChatUpdate, type ConversationEvent } from '../../src/chat/chatController';
import type { Conversation } from '../../src/chat/conversation';
import { earlierVersion } from '../../src/chat/conversationBranch';
import { parseSavedConversation, toSavedConversation } from '../../src/chat/conversationJson';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { ApprovalBroker } from '../../src/tools/approvals';
import { ToolRegistry, type ToolHandlerContext } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { providerError, sseReply } from '../fixtures/transcripts';
import { settle, useMockProvider, useTempFolder } from './helpers';

/** The checkpoint hook of the chat: real tools on a real folder, real git, the mock provider. */
describe('ChatController: a checkpoint before the first changing tool of a turn', function () {
  this.timeout(20_000);
  const mock = useMockProvider();
  const temp = useTempFolder('sonnet-chat-checkpoints-');

  function setup(options: { beforeTake?: () => Promise<void>; searchPath?: string } = {}) {
    const root = path.join(temp(), 'workspace');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'kept.txt'), 'kept\n');
    const order: string[] = [];
    const tools = new ToolRegistry(
      [
        { name: 'read_file', run: async (input: { path: string }) => (order.push(`read ${input.path}`), done(fs.readFileSync(path.join(root, input.path), 'utf8'))) },
        {
          name: 'edit_file',
          // As the real one does: the bytes on disk go to the checkpoint, then the change is written.
          run: async (input: { path: string; oldText?: string; newText: string }, context: ToolHandlerContext) => {
            order.push(`edit ${input.path}`);
            const full = path.join(root, input.path);
            const before = fs.readFileSync(full);
            await context.beforeChange?.(pathToFileURL(full).href, before);
            fs.writeFileSync(full, before.toString().replace(input.oldText ?? '', input.newText));
            return done(`Edited ${input.path}`);
          },
        },
        {
          name: 'create_file',
          run: async (input: { path: string; content: string }, context: ToolHandlerContext) => {
            order.push(`create ${input.path}`);
            await context.beforeChange?.(pathToFileURL(path.join(root, input.path)).href, undefined);
            fs.writeFileSync(path.join(root, input.path), input.content);
            return done(`Created ${input.path}`);
          },
        },
      ],
      () => normalizeToolSettings({ autoApproveEdits: true }),
      new ApprovalBroker(),
    );
    const workspace = new WorkspaceCheckpoints({ storageDir: path.join(temp(), 'storage'), folders: () => [root], limits: () => ({ maxWorkspaceBytes: 1024 * 1024, maxFileBytes: 1024 * 1024 }), searchPath: options.searchPath });
    const takes: Array<Promise<unknown>> = [];
    const checkpoints = {
      take: (conversationId: string, label: string) => {
        order.push('checkpoint');
        const taking = (options.beforeTake?.() ?? Promise.resolve()).then(() => workspace.take(conversationId, label));
        takes.push(taking);
        return taking;
      },
      keepBeforeEdit: (...args: Parameters<WorkspaceCheckpoints['keepBeforeEdit']>) => workspace.keepBeforeEdit(...args),
    };
    const posted: ChatUpdate[] = [];
    const events: Array<{ conversation: Conversation; event: ConversationEvent }> = [];
    const controller = new ChatController({
      sink: { post: (update) => posted.push(update), refresh: () => {} },
      onConversationChange: (conversation, event) => events.push({ conversation, event }),
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 5000 }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools,
      checkpoints,
    });
    return { root, order, controller, workspace, takes, posted, events };
  }

  const toolRound = (...calls: Array<{ name: string; input: unknown }>) =>
    sseReply({ blocks: calls.map((call, i) => ({ type: 'tool_use' as const, id: `toolu_${i}_${call.name}`, ...call })), stopReason: 'tool_use' });
  const answer = (text: string) => sseReply({ blocks: [{ type: 'text', text }] });

  it('snapshots once, before the first change (not before reads), keeps it on the turn and in the saved conversation; restoring it undoes the turn', async () => {
    const { root, order, controller, workspace } = setup();
    mock().enqueue(toolRound({ name: 'read_file', input: { path: 'kept.txt' } }));
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'one.txt', content: '1\n' } }, { name: 'create_file', input: { path: 'two.txt', content: '2\n' } }));
    mock().enqueue(answer('Done.'));
    controller.send(plainPrompt('Make two files'));
    await controller.whenIdle();

    assert.deepEqual(order, ['read kept.txt', 'checkpoint', 'create one.txt', 'create two.txt']);
    const [turn] = controller.current.turns;
    const checkpoint = turn.checkpoint;
    assert.ok(checkpoint, 'the turn keeps its checkpoint');
    assert.deepEqual(checkpoint.folders.map((entry) => entry.folder), [root]);
    assert.deepEqual(checkpoint.notes, []);

    const saved = parseSavedConversation(JSON.stringify(toSavedConversation(controller.current, Date.now())));
    assert.ok(saved.ok);
    assert.deepEqual(saved.conversation.turns[0].checkpoint, checkpoint);

    const pending = await workspace.pendingRestore(controller.current.id, checkpoint);
    assert.deepEqual(pending.changes, [{ folder: root, changes: [{ path: 'one.txt', kind: 'deleted' }, { path: 'two.txt', kind: 'deleted' }] }]);
    const restored = await workspace.restore(controller.current.id, checkpoint);
    assert.deepEqual(fs.readdirSync(root), ['kept.txt']);
    await workspace.restore(controller.current.id, restored.undo);
    assert.deepEqual(fs.readdirSync(root).sort(), ['kept.txt', 'one.txt', 'two.txt']);
    await workspace.idle();
  });

  it('keeps the checkpoint of before the first attempt when a turn that changed files fails and is retried', async () => {
    const { root, controller, workspace } = setup();
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'one.txt', content: '1\n' } }));
    mock().enqueue(providerError('insufficient_credits'));
    controller.send(plainPrompt('Make files'));
    await controller.whenIdle();
    const [turn] = controller.current.turns;
    assert.equal(turn.answer.status, 'failed');
    const first = turn.checkpoint;
    assert.ok(first);

    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'two.txt', content: '2\n' } }));
    mock().enqueue(answer('Done.'));
    assert.equal(controller.retry(turn.id), true);
    await controller.whenIdle();
    assert.deepEqual(controller.current.turns[0].checkpoint, first, 'the retry took no new checkpoint');
    await workspace.restore(controller.current.id, first);
    assert.deepEqual(fs.readdirSync(root), ['kept.txt'], 'restoring undoes both attempts');
    await workspace.idle();
  });

  it('runs no changing tool when Stop comes while the checkpoint is being taken', async () => {
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { root, order, controller, takes } = setup({ beforeTake: () => stopped });
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'one.txt', content: '1\n' } }));
    controller.send(plainPrompt('Make a file'));
    await settle(() => order.includes('checkpoint'), 10_000);
    controller.stop();
    stop();
    await controller.whenIdle();
    // The snapshot itself goes on to its end (git is not interrupted halfway).
    await Promise.all(takes);
    // What follows the snapshot is promise callbacks only: all of them have run once the loop turns.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['checkpoint']);
    assert.deepEqual(fs.readdirSync(root), ['kept.txt']);
  });

  it('takes no checkpoint for a turn that only reads', async () => {
    const { order, controller, workspace } = setup();
    mock().enqueue(toolRound({ name: 'read_file', input: { path: 'kept.txt' } }));
    mock().enqueue(answer('It says kept.'));
    controller.send(plainPrompt('Read it'));
    await controller.whenIdle();
    assert.deepEqual(order, ['read kept.txt']);
    assert.equal(controller.current.turns[0].checkpoint, undefined);
    await workspace.idle();
  });

  it('rejects a saved checkpoint whose commit is not a commit id', () => {
    const { controller } = setup();
    controller.current.addTurn(plainPrompt('x')).checkpoint = { takenAt: 1, folders: [{ folder: '/w', commit: '--upload-pack=evil' }], notes: [] };
    const saved = parseSavedConversation(JSON.stringify(toSavedConversation(controller.current, Date.now())));
    assert.equal(saved.ok, false);
  });

  it('offers Restore checkpoint on a turn that changed files, not on one whose only change failed', async () => {
    const { controller, posted, workspace } = setup();
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'one.txt', content: '1\n' } }));
    mock().enqueue(answer('Made it.'));
    controller.send(plainPrompt('Make a file'));
    await controller.whenIdle();
    const [changed] = controller.current.turns;
    assert.ok(posted.some((update) => update.type === 'restorable' && update.turnId === changed.id), 'the ended turn is said to be restorable');
    assert.equal(controller.snapshot().turns[0].restorable, true, 'and the view shows it so after a reload');

    // A checkpoint was taken, but the only change failed: nothing to restore.
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'missing/folder/two.txt', content: 'x' } }));
    mock().enqueue(answer('Could not.'));
    controller.send(plainPrompt('Make another'));
    await controller.whenIdle();
    const failedTurn = controller.current.turns[1];
    assert.ok(failedTurn.checkpoint, 'a checkpoint was taken before the change');
    assert.equal(posted.some((update) => update.type === 'restorable' && update.turnId === failedTurn.id), false);
    assert.equal(controller.snapshot().turns[1].restorable, undefined);
    await workspace.idle();
  });

  it('drops a turn and the later ones from the conversation, keeping them in the history as an earlier version', async () => {
    const { controller, events, workspace } = setup();
    for (const text of ['first', 'second', 'third']) {
      mock().enqueue(answer(`Answer to ${text}.`));
      controller.send(plainPrompt(text));
      await controller.whenIdle();
    }
    const second = controller.current.turns[1];
    events.length = 0;
    assert.equal(controller.dropFrom(second.id), true);
    assert.deepEqual(controller.current.turns.map((turn) => turn.prompt.text), ['first']);
    assert.equal(controller.current.messages.length, 2, 'the model sees only the first exchange from now on');
    assert.deepEqual(events.map((entry) => entry.event), ['branched', 'rewound']);
    assert.deepEqual(events[0].conversation.turns.map((turn) => turn.prompt.text), ['first', 'second', 'third']);
    assert.match(events[0].conversation.title ?? '', /\(earlier version\)$/);
    assert.equal(controller.dropFrom('no-such-turn'), false);
    await workspace.idle();
  });

  it('keeps an earlier version’s checkpoints restorable after the conversation it was copied from is deleted', async () => {
    const { root, controller, workspace } = setup();
    mock().enqueue(toolRound({ name: 'create_file', input: { path: 'one.txt', content: '1\n' } }));
    mock().enqueue(answer('Made it.'));
    controller.send(plainPrompt('Make a file'));
    await controller.whenIdle();
    const copy = earlierVersion(controller.current);
    const checkpoint = copy.turns[0].checkpoint!;
    assert.deepEqual(await workspace.keepFor(copy.id, [checkpoint]), []);

    await workspace.deleteConversation(controller.current.id);
    const pending = await workspace.pendingRestore(copy.id, checkpoint);
    assert.deepEqual(pending.notes, []);
    assert.deepEqual(pending.changes, [{ folder: root, changes: [{ path: 'one.txt', kind: 'deleted' }] }]);
    await workspace.restore(copy.id, checkpoint);
    assert.deepEqual(fs.readdirSync(root), ['kept.txt']);

    // Deleting the copy too leaves nothing of that checkpoint.
    await workspace.deleteConversation(copy.id);
    assert.notDeepEqual((await workspace.pendingRestore(copy.id, checkpoint)).notes, []);
    await workspace.idle();
  });

  it('without git on the PATH, keeps what the edit tools change and restores it from there', async () => {
    const noGit = path.join(temp(), 'no-git-here');
    fs.mkdirSync(noGit);
    const { root, controller, workspace, posted } = setup({ searchPath: noGit });
    mock().enqueue(toolRound({ name: 'edit_file', input: { path: 'kept.txt', oldText: 'kept', newText: 'changed' } }, { name: 'create_file', input: { path: 'new.txt', content: 'new\n' } }));
    mock().enqueue(answer('Done.'));
    controller.send(plainPrompt('Change it'));
    await controller.whenIdle();
    const [turn] = controller.current.turns;
    assert.deepEqual(turn.checkpoint?.folders, []);
    assert.equal(turn.checkpoint?.edits, turn.id, 'the edit tools kept their files');
    assert.match(turn.checkpoint.notes.join(' '), /git was not found/);
    assert.ok(posted.some((update) => update.type === 'restorable' && update.turnId === turn.id));

    const saved = parseSavedConversation(JSON.stringify(toSavedConversation(controller.current, Date.now())));
    assert.ok(saved.ok);
    assert.deepEqual(saved.conversation.turns[0].checkpoint, turn.checkpoint);

    await workspace.restore(controller.current.id, turn.checkpoint);
    assert.deepEqual(fs.readdirSync(root), ['kept.txt']);
    assert.equal(fs.readFileSync(path.join(root, 'kept.txt'), 'utf8'), 'kept\n');
  });
});
