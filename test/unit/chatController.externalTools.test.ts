// Other sources' tools through the chat, against the mock provider: offered in the turn's first request
// (listed before it), called under their API name, approved on the card, their result sent back;
// absent in Ask mode; Stop during a slow one ends the turn at once.
import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { ApprovalBroker } from '../../src/tools/approvals';
import { CompositeTools } from '../../src/tools/compositeTools';
import { TOOL_SPECS } from '../../src/tools/definitions';
import type { ExternalResult, ExternalToolSource } from '../../src/tools/externalTools';
import { ToolRegistry } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { sseReply } from '../fixtures/transcripts';
import { useMockProvider } from './helpers';

describe('ChatController with external tools', () => {
  const mock = useMockProvider();

  function setup(call: (input: unknown, signal: AbortSignal) => Promise<ExternalResult>) {
    const updates: ChatUpdate[] = [];
    const calls: unknown[] = [];
    const approvals = new ApprovalBroker();
    let answer: boolean | undefined;
    const own = new ToolRegistry([{ name: 'read_file', run: async () => done('own') }], () => normalizeToolSettings({}), approvals);
    const source: ExternalToolSource = {
      label: 'Fake tools',
      // Listed asynchronously, as an MCP server lists its tools.
      list: async () => [
        {
          key: 'fake:weather lookup',
          wantedName: 'weather lookup',
          origin: 'the extension acme.weather',
          description: 'Looks up the weather.',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
          allowed: () => false,
          alwaysAllowLabel: 'the tool weather lookup',
          allowAlways: async () => {},
          call: (input, signal) => (calls.push(input), call(input, signal)),
        },
      ],
    };
    const tools = new CompositeTools({
      own,
      ownNames: TOOL_SPECS.map((spec) => spec.name),
      sources: [source],
      approvals,
      listWaitMs: 2_000,
      callTimeoutMs: () => 10_000,
      timeoutSetting: 'sonnet.externalTools.timeoutSeconds',
    });
    const controller = new ChatController({
      sink: {
        post: (update) => {
          updates.push(update);
          if (answer !== undefined && update.type === 'toolCall' && update.call.status === 'awaitingApproval') queueMicrotask(() => approvals.answer(update.call.id, answer!));
        },
        refresh: () => {},
      },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 5_000 }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools,
    });
    // The user answers each card as it appears.
    const answerCards = (approve: boolean) => (answer = approve);
    return { controller, updates, calls, answerCards };
  }

  const offered = (request: number) => (mock().messageRequests[request].body.tools ?? []).map((tool: { name: string }) => tool.name);
  const weatherCall = { type: 'tool_use' as const, id: 'toolu_w1', name: 'weather_lookup', input: { city: 'Paris' } };

  it('offers the tool in the first request, runs it once the card is accepted, and sends its result back', async () => {
    mock().enqueue(sseReply({ blocks: [weatherCall], stopReason: 'tool_use' }), sseReply({ blocks: [{ type: 'text', text: 'Sunny in Paris.' }] }));
    const { controller, updates, calls, answerCards } = setup(async () => ({ text: 'Sunny, 21 °C', images: [], isError: false }));
    answerCards(true);
    controller.send(plainPrompt('Weather in Paris?'));
    await controller.whenIdle();

    assert.deepEqual(offered(0), ['read_file', 'weather_lookup']);
    assert.deepEqual(calls, [{ city: 'Paris' }]);
    const result = mock().messageRequests[1].body.messages.at(-1).content[0];
    assert.deepEqual([result.type, result.tool_use_id, result.content, result.is_error], ['tool_result', 'toolu_w1', 'Sunny, 21 °C', undefined]);
    const cards = updates.flatMap((update) => (update.type === 'toolCall' ? [update.call] : []));
    const waiting = cards.find((call) => call.status === 'awaitingApproval');
    assert.equal(waiting?.summary, 'from the extension acme.weather');
    assert.equal(waiting?.alwaysAllow, 'the tool weather lookup');
    assert.equal(cards.at(-1)?.status, 'done');
  });

  it('a rejected call does not run, and the model reads that it was rejected', async () => {
    mock().enqueue(sseReply({ blocks: [weatherCall], stopReason: 'tool_use' }), sseReply({ blocks: [{ type: 'text', text: 'OK.' }] }));
    const { controller, calls, answerCards } = setup(async () => ({ text: 'Sunny', images: [], isError: false }));
    answerCards(false);
    controller.send(plainPrompt('Weather in Paris?'));
    await controller.whenIdle();
    assert.deepEqual(calls, []);
    const result = mock().messageRequests[1].body.messages.at(-1).content[0];
    assert.equal(result.is_error, true);
    assert.match(result.content, /^The user rejected this tool call/);
  });

  it('Ask mode does not offer it, where Agent mode does', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Agent.' }] }), sseReply({ blocks: [{ type: 'text', text: 'Ask.' }] }));
    const { controller } = setup(async () => ({ text: '', images: [], isError: false }));
    controller.send(plainPrompt('Weather in Paris?'));
    await controller.whenIdle();
    controller.newChat();
    controller.setMode('ask');
    controller.send(plainPrompt('Weather in Paris?'));
    await controller.whenIdle();
    assert.deepEqual([offered(0), offered(1)], [['read_file', 'weather_lookup'], ['read_file']]);
  });

  it('Stop during a slow call ends the turn at once and cancels the call', async () => {
    mock().enqueue(sseReply({ blocks: [weatherCall], stopReason: 'tool_use' }));
    let cancelled = false;
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const { controller, answerCards } = setup((_input, signal) => {
      signal.addEventListener('abort', () => (cancelled = true));
      started();
      return new Promise<ExternalResult>(() => {});
    });
    answerCards(true);
    controller.send(plainPrompt('Weather in Paris?'));
    await running;
    controller.stop();
    await controller.whenIdle();
    assert.ok(cancelled);
    assert.equal(controller.snapshot().turns[0].answer.status, 'stopped');
    assert.equal(mock().messageRequests.length, 1);
  });
});
