import * as assert from 'node:assert/strict';
import type { MessageParam, ToolResultBlock } from '../../src/api/types';
import { armedAfter, compactedHistory, KEEP_RECENT_TURNS, planCompaction, SUMMARY_PREFIX, thresholdTokens, type CompactionRecord } from '../../src/chat/compaction';
import { summaryRequest, SUMMARY_MAX_TOKENS } from '../../src/chat/compactionRequest';
import { checkSummary } from '../../src/chat/compactionRun';
import { estimateSplit } from '../../src/chat/contextMeter';
import { DEFAULT_TOKENS_PER_CHAR, splitIntoTurns } from '../../src/chat/contextWindow';
import { COMPACTION_SYSTEM_PROMPT } from '../../src/chat/prompts';
import { clearOldToolResults, KEEP_LATEST_TOOL_RESULTS } from '../../src/chat/toolResultClearing';

/** `count` turns: a prompt, a read_file call with its result, and an answer. */
function history(count: number, resultChars = 100): MessageParam[] {
  return Array.from({ length: count }, (_, i): MessageParam[] => [
    { role: 'user', content: `prompt ${i + 1}` },
    { role: 'assistant', content: [{ type: 'tool_use', id: `t${i + 1}`, name: 'read_file', input: { path: `src/f${i + 1}.ts` } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i + 1}`, content: 'x'.repeat(resultChars) }] },
    { role: 'assistant', content: [{ type: 'text', text: `answer ${i + 1}` }] },
  ]).flat();
}

const THRESHOLD = thresholdTokens(0.8)!;

function plan(overrides: Partial<Parameters<typeof planCompaction>[0]> = {}) {
  return planCompaction({ estimatedTokens: THRESHOLD + 1, thresholdTokens: THRESHOLD, messages: history(5), latest: undefined, armed: true, keepTurns: KEEP_RECENT_TURNS, ...overrides });
}

/** The API's rules for a history: it alternates, starts with the user, and every tool_use is answered next. */
function assertValidHistory(messages: MessageParam[]): void {
  assert.equal(messages[0].role, 'user');
  messages.forEach((message, i) => {
    if (i > 0) assert.notEqual(message.role, messages[i - 1].role, `messages ${i - 1} and ${i} alternate`);
    if (typeof message.content === 'string' || message.role !== 'assistant') return;
    const uses = message.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
    if (uses.length === 0) return;
    const next = messages[i + 1];
    const answered = next && typeof next.content !== 'string' ? next.content.flatMap((block) => (block.type === 'tool_result' ? [block.tool_use_id] : [])) : [];
    assert.deepEqual(answered, uses, `the calls of message ${i} are answered in message ${i + 1}`);
  });
}

describe('compaction: the planner', () => {
  it('compacts only past the threshold, and never when it is 0', () => {
    assert.deepEqual(plan({ estimatedTokens: THRESHOLD }), { compact: false, reason: 'underThreshold' });
    assert.deepEqual(plan({ thresholdTokens: thresholdTokens(0) }), { compact: false, reason: 'off' });
    assert.equal(thresholdTokens(0), undefined);
    assert.equal(thresholdTokens(0.8), 160_000);
    assert.equal(plan().compact, true);
  });

  it('covers every turn but the latest two, whole', () => {
    const messages = history(5);
    const planned = plan({ messages });
    assert.ok(planned.compact);
    assert.equal(planned.coveredTurns, 3);
    assert.equal(planned.coverMessages, 12);
    assert.equal(splitIntoTurns(messages.slice(planned.coverMessages)).length, KEEP_RECENT_TURNS);
  });

  it('has nothing to compact with no more turns than it keeps', () => {
    assert.deepEqual(plan({ messages: history(2) }), { compact: false, reason: 'nothingToCompact' });
  });

  it('compacts once per crossing: not again until the context was under the threshold', () => {
    assert.deepEqual(plan({ armed: false }), { compact: false, reason: 'alreadyCompacted' });
    // A compaction that left the context over the threshold disarms; under it again re-arms.
    assert.equal(armedAfter(THRESHOLD + 1, THRESHOLD), false);
    assert.equal(armedAfter(THRESHOLD, THRESHOLD), true);
    assert.equal(armedAfter(10 ** 9, undefined), true);
  });

  it('a second compaction takes in the first summary and the turns since', () => {
    const messages = history(7);
    const latest: CompactionRecord = { coveredMessages: 12, coveredTurns: 3, summary: 'first summary' };
    const planned = plan({ messages, latest });
    assert.ok(planned.compact);
    assert.equal(planned.coverMessages, 20);
    assert.equal(planned.coveredTurns, 5);
    const request = summaryRequest('claude-sonnet-4-6', compactedHistory(messages.slice(0, planned.coverMessages), latest));
    const text = request.messages[0].content as string;
    assert.match(text, /Earlier summary:\nfirst summary/);
    assert.match(text, /User: prompt 4/);
    assert.match(text, /User: prompt 5/);
    assert.doesNotMatch(text, /prompt [1-3]\b|prompt 6/);
  });

  it('on demand compacts under the threshold too, keeping the turns asked for', () => {
    const planned = plan({ estimatedTokens: 10, armed: false, onDemand: true, keepTurns: 1 });
    assert.ok(planned.compact);
    assert.equal(planned.coveredTurns, 4);
  });
});

describe('compaction: what is sent', () => {
  it('the summary stands for the covered turns as a user message first, keeping alternation and tool pairs', () => {
    const messages = history(5);
    const sent = compactedHistory(messages, { coveredMessages: 12, coveredTurns: 3, summary: 'S' });
    assert.equal(sent[0].content, `${SUMMARY_PREFIX}S`);
    assert.equal(sent.length, 2 + 8);
    assertValidHistory([...sent, { role: 'user', content: 'next' }]);
    assert.deepEqual(compactedHistory(messages, undefined), messages);
  });

  it('the summary request offers no tools, has its own prompt and a bounded answer, and cuts long tool results', () => {
    const request = summaryRequest('m', history(3, 50_000));
    assert.equal(request.tools, undefined);
    assert.equal(request.system, COMPACTION_SYSTEM_PROMPT);
    assert.equal(request.max_tokens, SUMMARY_MAX_TOKENS);
    assert.equal(request.messages.length, 1);
    const text = request.messages[0].content as string;
    assert.match(text, /Assistant called read_file: \{"path":"src\/f1.ts"\}/);
    assert.match(text, /48000 more characters/);
    assert.match(text, /Open tasks/);
  });

  it('a summary is used only when complete, not empty and smaller than what it replaces', () => {
    const covered = history(3);
    assert.deepEqual(checkSummary('short', 'end_turn', covered), { compacted: true });
    assert.equal(checkSummary('y'.repeat(JSON.stringify(covered).length), 'end_turn', covered).compacted, false);
    assert.match((checkSummary('short', 'max_tokens', covered) as { reason: string }).reason, /max_tokens/);
    assert.match((checkSummary('', 'end_turn', covered) as { reason: string }).reason, /empty/);
  });
});

describe('compaction: clearing a long turn\'s tool results', () => {
  /** One turn: the prompt, then `count` tool rounds of `chars`-character results; the second fails. */
  function longTurn(count: number, chars = 1000): MessageParam[] {
    const turn: MessageParam[] = [{ role: 'user', content: 'do it' }];
    for (let i = 1; i <= count; i++) {
      turn.push({ role: 'assistant', content: [{ type: 'tool_use', id: `u${i}`, name: 'read_file', input: { path: `src/${i}.ts` } }] });
      turn.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `u${i}`, content: `${i}`.repeat(chars), ...(i === 2 ? { is_error: true } : {}) }] });
    }
    return turn;
  }
  const results = (messages: MessageParam[]) => messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((b): b is ToolResultBlock => b.type === 'tool_result')));
  const describe = (call: { input: unknown }) => (call.input as { path: string }).path;

  it('clears the oldest first, with a stub naming the call, pairs and is_error intact, the latest kept', () => {
    const turn = longTurn(6);
    const cleared = clearOldToolResults(turn, { keepLatest: KEEP_LATEST_TOOL_RESULTS, describe, tokensPerChar: DEFAULT_TOKENS_PER_CHAR, enough: () => false });
    assert.equal(cleared.cleared, 3);
    const after = results(cleared.messages);
    assert.equal(after[0].content, '[result of read_file src/1.ts cleared to save context: ask again if needed]');
    assert.equal(after[1].is_error, true);
    assert.match(after[1].content as string, /src\/2\.ts cleared/);
    assert.deepEqual(after.slice(3).map((r) => r.content), ['4', '5', '6'].map((d) => d.repeat(1000)));
    assertValidHistory(cleared.messages);
    assert.equal(results(turn)[0].content, '1'.repeat(1000), 'the turn given is not changed');
  });

  it('clears only as many as it takes', () => {
    const cleared = clearOldToolResults(longTurn(6), { keepLatest: 3, describe, tokensPerChar: DEFAULT_TOKENS_PER_CHAR, enough: (saved) => saved > 200 });
    assert.equal(cleared.cleared, 1);
  });

  it('has nothing to clear in a turn with no more results than it keeps', () => {
    const cleared = clearOldToolResults(longTurn(3), { keepLatest: 3, describe, tokensPerChar: DEFAULT_TOKENS_PER_CHAR, enough: () => false });
    assert.equal(cleared.cleared, 0);
    assert.deepEqual(cleared.messages, longTurn(3));
  });
});

describe('context meter: the estimate split', () => {
  it('splits system and tools, history, attachments, tool results, and images by their size', () => {
    // A 1x1 PNG: 1 token by its pixels, however long its base64.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: png + 'A'.repeat(3500) } };
    const messages: MessageParam[] = [
      { role: 'user', content: 'typed' + 'f'.repeat(3500) },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'read_file', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'r'.repeat(7000) }, image] }] },
      { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
    ];
    const split = estimateSplit({ system: 's'.repeat(350), messages, tools: [] }, 1 / 3.5, (content) => content.length - 5);
    assert.equal(split.systemAndTools, Math.ceil(352 / 3.5));
    assert.equal(split.attachments, 1000);
    assert.ok(split.toolResults >= 2000 && split.toolResults < 2050, String(split.toolResults));
    assert.equal(split.images, 1);
    assert.ok(split.history > 0 && split.history < 100, String(split.history));
    assert.equal(split.total, split.systemAndTools + split.history + split.attachments + split.toolResults + split.images);
  });
});
