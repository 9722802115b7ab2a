// Modes through the chat, against the mock provider: what each mode offers the model and tells it,
// a changing tool the model calls anyway in Ask mode (refused, never run), Plan's "Run this plan",
// the default mode for new chats, and the mode saved and restored with the conversation.
import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { parseSavedConversation, toSavedConversation } from '../../src/chat/conversationJson';
import { MODE_PROMPTS, plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { RUN_PLAN_PROMPT, type ChatMode } from '../../src/shared/chatModes';
import { ApprovalBroker } from '../../src/tools/approvals';
import { ToolRegistry, type AnyToolHandler } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { sseReply } from '../fixtures/transcripts';
import { useMockProvider } from './helpers';

describe('ChatController: modes (Ask, Agent, Plan)', () => {
  const mock = useMockProvider();

  function setup(defaultMode: ChatMode = 'agent') {
    const ran: string[] = [];
    const record = (name: string) => async () => (ran.push(name), done(`${name} done`));
    const handlers = [
      { name: 'read_file', run: record('read_file') },
      { name: 'edit_file', run: record('edit_file') },
      { name: 'create_file', run: record('create_file') },
      { name: 'run_command', run: record('run_command') },
    ] as AnyToolHandler[];
    // Edits and commands apply without asking here: what stops them in Ask mode is the mode alone.
    const tools = new ToolRegistry(handlers, () => normalizeToolSettings({ autoApproveEdits: true, commandRules: { allow: ['ls'] } }), new ApprovalBroker());
    const config = { defaultMode };
    const updates: ChatUpdate[] = [];
    const controller = new ChatController({
      sink: { post: (update) => updates.push(update), refresh: () => {} },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 2000, ...config }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools,
    });
    return { controller, ran, config, updates };
  }

  const answer = (text: string) => sseReply({ blocks: [{ type: 'text', text }] });
  const offered = (request: number) => (mock().messageRequests[request].body.tools ?? []).map((tool: { name: string }) => tool.name).sort();
  const system = (request: number) => String(mock().messageRequests[request].body.system);

  it('Ask offers only the tools that read, and tells the model it cannot change anything and how to switch', async () => {
    const { controller } = setup();
    controller.setMode('ask');
    mock().enqueue(answer('Here is how it works.'));
    controller.send(plainPrompt('How does it work?'));
    await controller.whenIdle();
    assert.deepEqual(offered(0), ['read_file']);
    assert.ok(system(0).includes(MODE_PROMPTS.ask!), system(0));
    assert.match(system(0), /cannot change anything.*Agent mode with the mode picker/s);
    assert.equal(controller.current.turns[0].mode, 'ask');
  });

  it('Agent offers every enabled tool and adds nothing to the system prompt', async () => {
    const { controller } = setup();
    mock().enqueue(answer('Done.'));
    controller.send(plainPrompt('Fix it'));
    await controller.whenIdle();
    assert.deepEqual(offered(0), ['create_file', 'edit_file', 'read_file', 'run_command']);
    assert.ok(!/ mode/.test(system(0)), system(0));
  });

  it('refuses a changing tool the model calls anyway in Ask mode, with an error result, and never runs it', async () => {
    const { controller, ran } = setup();
    controller.setMode('ask');
    mock().enqueue(sseReply({ blocks: [{ type: 'tool_use', id: 'toolu_edit', name: 'edit_file', input: { path: 'a.ts', oldText: 'a', newText: 'b' } }], stopReason: 'tool_use' }));
    mock().enqueue(answer('I cannot change it here.'));
    controller.send(plainPrompt('Change a to b'));
    await controller.whenIdle();
    assert.deepEqual(ran, []);
    const result = mock().messageRequests[1].body.messages.at(-1).content[0];
    assert.equal(result.is_error, true);
    assert.match(result.content, /^Not run: edit_file changes the workspace, and this conversation is in Ask mode/);
    const card = controller.current.turns[0].answer.blocks[0];
    assert.ok(card.kind === 'toolUse' && card.call.status === 'failed');
  });

  it('Plan offers only reads and asks for a numbered plan; Run this plan switches to Agent and asks for it to be carried out', async () => {
    const { controller, updates } = setup();
    controller.setMode('plan');
    mock().enqueue(answer('1. Change a.\n2. Test.'));
    controller.send(plainPrompt('Plan the fix'));
    await controller.whenIdle();
    assert.deepEqual(offered(0), ['read_file']);
    assert.ok(system(0).includes(MODE_PROMPTS.plan!));
    assert.match(system(0), /numbered plan/);
    // The view hears of the turn's mode once the turn knows it.
    assert.ok(updates.some((update) => update.type === 'turnStarted' && update.turn.mode === 'plan'));

    const planTurn = controller.current.turns[0];
    assert.equal(controller.runPlan('not-the-turn'), false);
    mock().enqueue(answer('Carried out.'));
    assert.equal(controller.runPlan(planTurn.id), true);
    await controller.whenIdle();
    assert.equal(controller.current.mode, 'agent');
    assert.deepEqual(offered(1), ['create_file', 'edit_file', 'read_file', 'run_command']);
    assert.equal(mock().messageRequests[1].body.messages.at(-1).content, RUN_PLAN_PROMPT);
    assert.deepEqual(controller.current.turns.map((turn) => turn.mode), ['plan', 'agent']);
    // Only a Plan answer, and the last one, can be run.
    assert.equal(controller.runPlan(controller.current.turns[1].id), false);
    assert.equal(controller.runPlan(planTurn.id), false);
  });

  it('a new chat takes the default mode of the setting, and keeps it when the default changes', async () => {
    const { controller, config } = setup('plan');
    mock().enqueue(answer('1. Look.'));
    mock().enqueue(answer('2. Look again.'));
    controller.send(plainPrompt('Plan it'));
    await controller.whenIdle();
    config.defaultMode = 'agent';
    controller.send(plainPrompt('And then?'));
    await controller.whenIdle();
    assert.deepEqual([offered(0), offered(1)], [['read_file'], ['read_file']]);
    controller.newChat();
    mock().enqueue(answer('Done.'));
    controller.send(plainPrompt('Do it'));
    await controller.whenIdle();
    assert.deepEqual(offered(2), ['create_file', 'edit_file', 'read_file', 'run_command']);
  });

  it('is saved with the conversation and each turn, and comes back with it; an unknown mode is refused', async () => {
    const { controller } = setup();
    controller.setMode('plan');
    mock().enqueue(answer('1. Step.'));
    controller.send(plainPrompt('Plan'));
    await controller.whenIdle();
    const saved = toSavedConversation(controller.current, 1);
    assert.equal(saved.mode, 'plan');
    const parsed = parseSavedConversation(JSON.stringify(saved));
    assert.ok(parsed.ok);
    assert.equal(parsed.conversation.mode, 'plan');
    assert.equal(parsed.conversation.turns[0].mode, 'plan');
    assert.equal(parsed.conversation.view()[0].mode, 'plan');
    const bad = parseSavedConversation(JSON.stringify({ ...saved, mode: 'yolo' }));
    assert.ok(!bad.ok && /mode is not one of ask, agent, plan/.test(bad.detail));
    // Saved before there were modes: none, and the default applies.
    const { mode: _mode, ...older } = saved;
    const restored = parseSavedConversation(JSON.stringify(older));
    assert.ok(restored.ok && restored.conversation.mode === undefined);
  });
});
