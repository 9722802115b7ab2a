import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { SUMMARY_PREFIX, thresholdTokens } from '../../src/chat/compaction';
import { NOTHING_TO_COMPACT } from '../../src/chat/compactCommand';
import { CONTEXT_WINDOW_TOKENS } from '../../src/chat/contextWindow';
import { parseSavedConversation, toSavedConversation } from '../../src/chat/conversationJson';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG, type SonnetConfig } from '../../src/chat/settings';
import { ApprovalBroker } from '../../src/tools/approvals';
import { ToolRegistry } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { checkContext, mockSummary, type ContextChecks } from '../fixtures/contextChecks';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { providerErrors, sseReply } from '../fixtures/transcripts';
import { useMockProvider } from './helpers';

/** Files of 60,000 characters (about 17K tokens each), on disk, for read_file to return. */
const FILE_CHARS = 60_000;

describe('compaction: a long conversation through the mock provider', function () {
  this.timeout(120_000);
  const mock = useMockProvider();
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'compaction-'));
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(folder, `big${i}.ts`), `// file ${i}\n${`const v${i} = ${i};\n`.repeat(FILE_CHARS / 14)}`.slice(0, FILE_CHARS));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  function setup(config: Partial<SonnetConfig> = {}) {
    const updates: ChatUpdate[] = [];
    const tools = new ToolRegistry(
      [{ name: 'read_file', run: async (input: { path: string }) => done(fs.readFileSync(path.join(folder, input.path), 'utf8')) }],
      () => normalizeToolSettings({}),
      new ApprovalBroker(),
    );
    const controller = new ChatController({
      sink: { post: (update) => updates.push(update), refresh: () => {} },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 20_000, maxRetries: 0, maxToolRounds: 50, ...config }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools,
    });
    return { controller, updates };
  }

  let file = 0;
  /** The model reads `reads` big files, one a round, then answers. */
  function reader(reads: number) {
    return (request: RecordedRequest) => {
      const messages = request.body.messages;
      const last = messages.at(-1);
      const roundsSoFar = messages.slice(messages.findLastIndex((m: { content: unknown }) => typeof m.content === 'string')).filter((m: { role: string }) => m.role === 'assistant').length;
      if (roundsSoFar < reads && last) {
        const id = `toolu_${file}`;
        return sseReply({ blocks: [{ type: 'tool_use', id, name: 'read_file', input: { path: `big${file++ % 40}.ts` } }], stopReason: 'tool_use' });
      }
      return sseReply({ blocks: [{ type: 'text', text: `Read ${roundsSoFar} files.` }] });
    };
  }

  async function turn(controller: ChatController, text: string): Promise<void> {
    assert.ok(controller.send(plainPrompt(text)));
    await controller.whenIdle();
    assert.equal(controller.current.lastTurn?.answer.status, 'done', JSON.stringify(controller.current.lastTurn?.answer.error));
  }

  function assertChecked(checks: ContextChecks): void {
    assert.deepEqual(checks.problems, []);
    const threshold = thresholdTokens(DEFAULT_CONFIG.compactionThreshold)!;
    checks.requests.forEach((request, i) => {
      if (request.kind !== 'summary') return;
      // Once per crossing: the request after a summary carries it, and is under the threshold again.
      const next = checks.requests[i + 1];
      assert.equal(next?.kind, 'turn', `request ${i + 1} follows the summary`);
      assert.ok((next.body.messages[0].content as string).startsWith(SUMMARY_PREFIX), `request ${i + 1} starts with the summary`);
      assert.ok(next.estimatedTokens <= threshold, `request ${i + 1}: ${next.estimatedTokens} tokens, under the threshold after compacting`);
    });
  }

  it('grows past 400K tokens and goes on: compacted once per crossing, every request under the window, tool calls paired', async () => {
    const checks = checkContext(mock(), reader(3));
    const { controller, updates } = setup();
    for (let i = 1; i <= 9; i++) await turn(controller, `Turn ${i}: read three more files. ${'Some long context from me. '.repeat(800)}`);
    const conversation = controller.current;
    const total = Math.ceil(JSON.stringify(conversation.messages).length / 3.5);
    assert.ok(total > 400_000, `the conversation is ${total} tokens`);
    assert.ok(checks.summaries >= 2, `${checks.summaries} compactions`);
    assertChecked(checks);
    // Every original turn is kept; the latest compaction covers the earlier ones, its summary the one sent.
    assert.equal(conversation.messages.filter((m) => typeof m.content === 'string').length, 9);
    const latest = conversation.latestCompaction()!;
    assert.equal(latest.summary, mockSummary(checks.summaries));
    assert.ok((checks.requests.at(-1)!.body.messages[0].content as string).includes(latest.summary));
    // A second compaction's summary request takes in the first summary.
    const secondSummary = checks.requests.filter((request) => request.kind === 'summary')[1];
    assert.match(secondSummary.body.messages[0].content as string, /Earlier summary:\n## Decisions\nSummary 1/);
    // Cards: one per compaction, on the turn whose request it made room for; credits counted.
    const cards = updates.filter((u): u is Extract<ChatUpdate, { type: 'compaction' }> => u.type === 'compaction' && u.compaction !== undefined);
    assert.equal(cards.length, checks.summaries);
    assert.ok(cards.every((card) => card.compaction!.usage && card.compaction!.usage.credits > 0));
    // The meter: the next request's estimate, against the window.
    const meter = controller.snapshot().context!;
    assert.equal(meter.window, CONTEXT_WINDOW_TOKENS);
    assert.ok(meter.next.total < thresholdTokens(0.8)! * 1.2 && meter.next.toolResults > 0 && meter.next.history > 0, JSON.stringify(meter));
    // Reopened from its file, the conversation sends the same compacted context.
    const reopened = parseSavedConversation(JSON.stringify(toSavedConversation(conversation, 1)));
    assert.ok(reopened.ok);
    assert.deepEqual(reopened.conversation.sentHistory(), conversation.sentHistory());
    assert.deepEqual(reopened.conversation.messages, conversation.messages);
  });

  it('clears the oldest tool results of one long turn instead of overflowing, keeping the latest and every pair', async () => {
    const checks = checkContext(mock(), reader(14));
    const { controller } = setup();
    await turn(controller, 'Read fourteen big files.');
    assertChecked(checks);
    const last = checks.requests.at(-1)!.body.messages;
    const results = last.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.flatMap((b) => (b.type === 'tool_result' ? [b.content as string] : []))));
    assert.equal(results.length, 14);
    assert.match(results[0], /^\[result of read_file big\d+\.ts cleared to save context: ask again if needed\]$/);
    assert.ok(results.slice(-3).every((result) => result.length === FILE_CHARS));
    assert.match(controller.current.lastTurn!.contextNote ?? '', /tool results of this turn were cleared/);
    // The cards keep the real results.
    const cards = controller.current.lastTurn!.answer.blocks.filter((block) => block.kind === 'toolUse');
    assert.ok(cards.every((block) => block.kind === 'toolUse' && (block.call.result ?? '').length === FILE_CHARS), JSON.stringify(cards.map((b) => b.kind === 'toolUse' && [b.call.status, b.call.result?.length])));
  });

  it('falls back to leaving out the oldest turns when the summary request fails, says so, and does not try again on every request', async () => {
    const checks = checkContext(mock(), reader(3), () => ({ kind: 'json', status: providerErrors.insufficient_credits.status, body: { type: 'error', error: { type: providerErrors.insufficient_credits.type, message: providerErrors.insufficient_credits.message } } }));
    const { controller } = setup();
    for (let i = 1; i <= 6; i++) await turn(controller, `Turn ${i}`);
    assert.deepEqual(checks.problems, []);
    assert.ok(checks.summaries >= 1);
    // One attempt per crossing: never on two requests in a row.
    checks.requests.forEach((request, i) => assert.ok(!(request.kind === 'summary' && checks.requests[i - 1]?.kind === 'summary')));
    assert.ok(checks.summaries < checks.requests.filter((r) => r.kind === 'turn').length / 3);
    const notes = controller.current.turns.map((t) => t.contextNote ?? '').join('\n');
    assert.match(notes, /could not be compacted \(the summary request failed: .*top up/);
    assert.equal(controller.current.latestCompaction(), undefined);
  });

  it('falls back when the summary is not smaller than what it replaces', async () => {
    const checks = checkContext(mock(), reader(3), () => sseReply({ blocks: [{ type: 'text', text: 'w'.repeat(500_000) }] }));
    const { controller } = setup();
    for (let i = 1; i <= 4; i++) await turn(controller, `Turn ${i}`);
    assert.deepEqual(checks.problems, []);
    assert.equal(checks.summaries, 1);
    assert.match(controller.current.lastTurn!.contextNote ?? '', /not smaller than the turns it would replace/);
    assert.equal(controller.current.latestCompaction(), undefined);
  });

  it('Sonnet: Compact Conversation compacts on demand; Stop stops it, and says so', async () => {
    const checks = checkContext(mock(), reader(0), (n) => (n === 1 ? { kind: 'hang' } : sseReply({ blocks: [{ type: 'text', text: mockSummary(n) }] })));
    const { controller, updates } = setup();
    const long = ' Long enough to be worth a summary.'.repeat(200);
    await turn(controller, `first${long}`);
    assert.ok(controller.compact());
    await controller.whenIdle();
    assert.ok(updates.some((u) => u.type === 'compaction' && u.note === NOTHING_TO_COMPACT));
    await turn(controller, `second${long}`);
    assert.ok(controller.compact());
    while (checks.summaries === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(controller.busy);
    assert.ok(controller.stop());
    await controller.whenIdle();
    assert.ok(updates.some((u) => u.type === 'compaction' && u.note === 'Compaction stopped.'));
    assert.equal(controller.current.latestCompaction(), undefined);
    assert.ok(controller.compact());
    await controller.whenIdle();
    const compaction = controller.current.latestCompaction();
    assert.equal(compaction?.coveredTurns, 1);
    await turn(controller, 'third');
    const sent = checks.requests.at(-1)!.body.messages;
    assert.equal(sent[0].content, `${SUMMARY_PREFIX}${mockSummary(2)}`);
    assert.equal(sent.length, 2 + 2 + 1);
    assert.deepEqual(checks.problems, []);
  });

  it('Stop during an automatic compaction stops the turn: nothing more is sent, nothing is compacted', async () => {
    const checks = checkContext(mock(), reader(3), () => ({ kind: 'hang' }));
    const { controller } = setup();
    for (let i = 1; i <= 3; i++) await turn(controller, `Turn ${i}`);
    assert.ok(controller.send(plainPrompt('Turn 4')));
    while (checks.summaries === 0) await new Promise((resolve) => setImmediate(resolve));
    const sent = checks.requests.length;
    assert.ok(controller.stop());
    await controller.whenIdle();
    assert.equal(controller.current.lastTurn?.answer.status, 'stopped');
    assert.equal(checks.requests.length, sent, 'no request after Stop');
    assert.equal(controller.current.latestCompaction(), undefined);
    assert.deepEqual(checks.problems, []);
  });
});
