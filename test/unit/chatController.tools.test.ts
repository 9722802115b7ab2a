import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { ApprovalBroker } from '../../src/tools/approvals';
import { ToolRegistry } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { demoReply } from '../fixtures/demoProvider';
import { parseSavedConversation, toSavedConversation } from '../../src/chat/conversationJson';
import { cutOffToolInputEvents, DEMO_FILE, sseBody, sseReply } from '../fixtures/transcripts';
import { useMockProvider } from './helpers';

describe('ChatController with tools', () => {
  const mock = useMockProvider();

  function setup(enabled: Record<string, boolean> = {}, config: Partial<typeof DEFAULT_CONFIG> = {}) {
    const updates: ChatUpdate[] = [];
    const reads: string[] = [];
    const tools = new ToolRegistry(
      [{ name: 'read_file', run: async (input: { path: string }) => (reads.push(input.path), done(`${input.path}, lines 1–9 of 9:\n1 | def mean(values):`)) }],
      () => normalizeToolSettings({ enabled }),
      new ApprovalBroker(),
    );
    const controller = new ChatController({
      sink: { post: (update) => updates.push(update), refresh: () => {} },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 2000, ...config }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools,
    });
    return { controller, updates, reads };
  }

  it('runs the demo: a tool round, then the answer, with the usage of both and one valid history', async () => {
    mock().onMessages(demoReply);
    const { controller, updates, reads } = setup();
    controller.send(plainPrompt('Show me around'));
    await controller.whenIdle();

    assert.deepEqual(reads, [DEMO_FILE]);
    assert.equal(mock().messageRequests.length, 2);
    const [turn] = controller.snapshot().turns;
    assert.equal(turn.answer.status, 'done');
    assert.deepEqual(turn.answer.blocks.map((block) => block.kind), ['thinking', 'text', 'toolUse', 'text']);
    const call = turn.answer.blocks[2];
    assert.ok(call.kind === 'toolUse');
    assert.deepEqual([call.call.name, call.call.summary, call.call.status], ['read_file', DEMO_FILE, 'done']);
    // The card holds what the model got (the lines, not only their header), and a few words on it.
    const sent = mock().messageRequests[1].body.messages.at(-1).content[0];
    assert.equal(sent.type, 'tool_result');
    assert.equal(call.call.result, sent.content);
    assert.match(call.call.result ?? '', new RegExp(`^${DEMO_FILE}, lines 1–9 of 9:\n1 \\| `));
    assert.match((turn.answer.blocks[3] as { text: string }).text, /read `src\/stats\.py` with the \*\*read_file\*\* tool \(src\/stats\.py, lines 1–9 of 9\)/);
    // Credits and tokens of both requests.
    assert.ok(Math.abs(turn.answer.usage!.credits - (0.36 + 0.69)) < 1e-9);
    assert.equal(turn.answer.usage!.inputTokens, 900 + 1200);
    assert.equal(turn.answer.usage!.creditsSource, 'provider');
    assert.equal(turn.answer.note, undefined);
    // The view heard of the call as it went, at the index the turn's blocks use.
    const toolCalls = updates.filter((update) => update.type === 'toolCall');
    assert.deepEqual([...new Set(toolCalls.map((update) => update.index))], [2]);
    assert.equal(toolCalls.at(-1)!.call.status, 'done');
    assert.ok(updates.some((update) => update.type === 'blockStart' && update.index === 3));

    // The next turn sends the whole tool exchange back, signatures included.
    mock().reset();
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Sure.' }] }));
    controller.send(plainPrompt('Thanks'));
    await controller.whenIdle();
    const messages = mock().messageRequests[0].body.messages;
    assert.deepEqual(messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(messages[1].content[0].signature, 'demo-tool-signature');
    assert.equal(messages[1].content[2].type, 'tool_use');
    assert.equal(messages[2].content[0].tool_use_id, messages[1].content[2].id);
    assert.equal(mock().messageRequests[0].body.tool_choice.type, 'auto');
  });

  it('offers no tools when all are off, and the demo answers in one round', async () => {
    mock().onMessages(demoReply);
    const off = Object.fromEntries(['read_file', 'list_directory', 'find_files', 'search_text', 'get_diagnostics', 'get_selection', 'edit_file', 'create_file'].map((name) => [name, false]));
    const { controller } = setup(off);
    controller.send(plainPrompt('Show me around'));
    await controller.whenIdle();
    assert.equal(mock().messageRequests.length, 1);
    assert.equal(mock().messageRequests[0].body.tools, undefined);
    assert.deepEqual(controller.snapshot().turns[0].answer.blocks.map((block) => block.kind), ['thinking', 'text']);
  });

  it('still declares the tools, uncallable, when all are turned off after the history holds tool calls', async () => {
    mock().onMessages(demoReply);
    const enabled: Record<string, boolean> = {};
    const { controller } = setup(enabled);
    controller.send(plainPrompt('Show me around'));
    await controller.whenIdle();
    enabled.read_file = enabled.list_directory = enabled.find_files = enabled.search_text = false;
    enabled.get_diagnostics = enabled.get_selection = enabled.edit_file = enabled.create_file = false;
    controller.send(plainPrompt('And now?'));
    await controller.whenIdle();
    assert.equal(mock().messageRequests.length, 3, 'the second turn took one request: no tool was called');
    const last = mock().messageRequests.at(-1)!.body;
    assert.deepEqual(last.tool_choice, { type: 'none' });
    assert.ok(last.tools.some((tool: { name: string }) => tool.name === 'read_file'));
    assert.equal(controller.snapshot().turns[1].answer.status, 'done');
  });

  it('marks a call whose input max_tokens cut off, showing its complete values, and keeps the mark in the history', async () => {
    const input = { path: 'src/stats.py', range: { start: 1, end: 40 }, reason: 'to see how the mean is computed' };
    const cut = cutOffToolInputEvents({ blocks: [{ type: 'tool_use', id: 'toolu_cut', name: 'read_file', input }], deltaSize: 8 }, JSON.stringify(input).indexOf('how'));
    mock().enqueue({ kind: 'sse', body: sseBody(cut) });
    const { controller, updates, reads } = setup();
    controller.send(plainPrompt('Read it'));
    await controller.whenIdle();

    assert.deepEqual(reads, [], 'a cut-off call is not run');
    const call = updates.filter((update) => update.type === 'toolCall').at(-1)!.call;
    assert.equal(call.inputCutOff, true);
    assert.equal(call.status, 'cancelled');
    assert.deepEqual(JSON.parse(call.input), { path: 'src/stats.py', range: { start: 1, end: 40 } });
    const saved = parseSavedConversation(JSON.stringify(toSavedConversation(controller.current, 1)));
    assert.ok(saved.ok);
    const block = saved.conversation.turns[0].answer.blocks[0];
    assert.ok(block.kind === 'toolUse' && block.call.inputCutOff === true);

    // The model is told, with the next prompt, that the call never ran.
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'I will ask for less.' }] }));
    controller.send(plainPrompt('Go on'));
    await controller.whenIdle();
    const sent = JSON.stringify(mock().messageRequests.at(-1)!.body.messages);
    assert.match(sent, /before its call to read_file was complete, so it was not run/);
  });

  it('ends a turn at the round limit with a note saying how to go on', async () => {
    const call = { type: 'tool_use' as const, id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } };
    mock().onMessages(() => sseReply({ blocks: [call], stopReason: 'tool_use' }));
    const { controller } = setup({}, { maxToolRounds: 2 });
    controller.send(plainPrompt('Loop'));
    await controller.whenIdle();
    assert.equal(mock().messageRequests.length, 3);
    const [turn] = controller.snapshot().turns;
    assert.equal(turn.answer.status, 'done');
    assert.match(turn.answer.note ?? '', /limit of 2 tool rounds \(setting sonnet\.maxToolRounds\)/);
  });
});
