import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import type { MessageParam, ToolDefinition, ToolUseBlock } from '../../src/api/types';
import { runToolLoop, STOPPED_MARKER, type ToolLoopEvents, type ToolLoopOptions } from '../../src/chat/toolLoop';
import type { BlockView, ToolCallView } from '../../src/shared/protocol';
import type { ToolOutcome, ToolRunContext, ToolRunner } from '../../src/tools/types';
import { sseBody, sseReply, transcriptEvents } from '../fixtures/transcripts';
import { clientFor, useMockProvider } from './helpers';

const DEFINITIONS: ToolDefinition[] = [
  { name: 'read_file', description: 'Read a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'edit_file', description: 'Edit a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
];

/** A runner whose tools answer from a table, and that records what ran, in what order. */
class FakeTools implements ToolRunner {
  readonly log: string[] = [];
  readonly contexts: ToolRunContext[] = [];
  constructor(private readonly behave: (call: ToolUseBlock, context: ToolRunContext) => Promise<ToolOutcome>, private readonly offered = DEFINITIONS) {}
  definitions(): ToolDefinition[] {
    return this.offered;
  }
  describe(name: string, input: unknown) {
    return { summary: `${name} ${(input as { path?: string }).path ?? ''}`.trim(), changesFiles: name === 'edit_file' };
  }
  async run(call: ToolUseBlock, context: ToolRunContext): Promise<ToolOutcome> {
    this.log.push(`start ${call.id}`);
    this.contexts.push(context);
    const outcome = await this.behave(call, context);
    this.log.push(`end ${call.id}`);
    return outcome;
  }
}

const readsFiles = (call: ToolUseBlock) => Promise.resolve<ToolOutcome>({ content: `contents of ${(call.input as { path: string }).path}`, status: 'done' });

function recorder() {
  const seen: Array<{ type: string; index: number; block?: BlockView; call?: ToolCallView; text?: string }> = [];
  const events: ToolLoopEvents = {
    onBlockStart: (index, block) => seen.push({ type: 'blockStart', index, block }),
    onTextDelta: (index, text) => seen.push({ type: 'text', index, text }),
    onThinkingDelta: (index, text) => seen.push({ type: 'thinking', index, text }),
    onRetry: () => seen.push({ type: 'retry', index: -1 }),
    onToolCall: (index, call) => seen.push({ type: 'toolCall', index, call }),
  };
  return { seen, events, lastCall: (index: number) => seen.filter((e) => e.type === 'toolCall' && e.index === index).at(-1)?.call };
}

const toolUse = (id: string, name: string, input: unknown) => ({ type: 'tool_use' as const, id, name, input });
const text = (value: string) => ({ type: 'text' as const, text: value });
const THINKING = { type: 'thinking' as const, thinking: 'I should read both files.', signature: 'sig-Eq0BCkYIBBgC' };

describe('the tool loop against the mock provider', () => {
  const mock = useMockProvider();
  const prompt: MessageParam = { role: 'user', content: 'What do a.ts and b.ts do?' };

  function loop(tools: ToolRunner, extra: Partial<ToolLoopOptions> = {}) {
    const record = recorder();
    const abort = new AbortController();
    const run = runToolLoop({
      client: clientFor(mock()),
      buildRequest: (current, definitions) => ({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        messages: current,
        ...(definitions.length ? { tools: definitions, tool_choice: { type: 'auto' } } : {}),
      }),
      prompt,
      tools,
      maxRounds: 5,
      signal: abort.signal,
      events: record.events,
      ...extra,
    });
    return { run, abort, ...record };
  }

  it('runs parallel calls, sends thinking and tool_use back verbatim with all results in one message, and continues', async () => {
    mock().enqueue(
      sseReply({ blocks: [THINKING, text('Reading both.'), toolUse('toolu_a', 'read_file', { path: 'a.ts' }), toolUse('toolu_b', 'read_file', { path: 'b.ts' })], stopReason: 'tool_use', credits: { where: 'message_delta', value: 0.5 } }),
      sseReply({ blocks: [text('a.ts exports a; b.ts exports b.')], credits: { where: 'message_delta', value: 0.25 } }),
    );
    let running = 0;
    let overlapped = false;
    const tools = new FakeTools(async (call) => {
      running++;
      await new Promise((resolve) => setImmediate(resolve));
      overlapped ||= running === 2;
      running--;
      return readsFiles(call);
    });
    const { run, seen, lastCall } = loop(tools);
    const result = await run;

    assert.equal(result.status, 'done');
    assert.equal(overlapped, true, 'the two reads ran side by side');
    const [first, second] = mock().messageRequests.map((r) => r.body);
    assert.deepEqual(first.tools.map((t: ToolDefinition) => t.name), ['read_file', 'edit_file']);
    assert.deepEqual(first.tool_choice, { type: 'auto' });
    assert.equal(second.messages.length, 3);
    assert.deepEqual(second.messages[1], {
      role: 'assistant',
      content: [THINKING, text('Reading both.'), toolUse('toolu_a', 'read_file', { path: 'a.ts' }), toolUse('toolu_b', 'read_file', { path: 'b.ts' })],
    });
    assert.deepEqual(second.messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: 'contents of a.ts' },
        { type: 'tool_result', tool_use_id: 'toolu_b', content: 'contents of b.ts' },
      ],
    });
    // The history the turn adds: everything sent, and the final answer last.
    assert.deepEqual(result.answer, [...second.messages.slice(1), { role: 'assistant', content: [text('a.ts exports a; b.ts exports b.')] }]);
    assert.deepEqual(result.rounds.map((r) => r.cost.credits), [0.5, 0.25]);
    // Blocks of the second round continue the numbering of the first.
    assert.deepEqual(seen.filter((e) => e.type === 'blockStart').map((e) => [e.index, e.block!.kind]), [[0, 'thinking'], [1, 'text'], [2, 'toolUse'], [3, 'toolUse'], [4, 'text']]);
    assert.ok(seen.some((e) => e.type === 'text' && e.index === 4));
    assert.deepEqual(lastCall(2), { id: 'toolu_a', name: 'read_file', summary: 'read_file a.ts', input: '{\n  "path": "a.ts"\n}', status: 'done', changesFiles: false, result: 'contents of a.ts' });
    assert.equal(lastCall(3)?.status, 'done');
  });

  it('shows the question while a call waits for approval, and drops it once answered', async () => {
    mock().enqueue(sseReply({ blocks: [toolUse('toolu_q', 'edit_file', { path: 'a.ts' })], stopReason: 'tool_use' }), sseReply({ blocks: [text('ok')] }));
    const tools = new FakeTools(async (_call, context) => {
      context.setStatus('awaitingApproval', 'Apply this change to a.ts?');
      context.setStatus('running');
      return { content: 'Edited a.ts.', status: 'done' };
    });
    const { run, seen } = loop(tools);
    await run;
    const states = seen.filter((e) => e.type === 'toolCall').map((e) => [e.call!.status, e.call!.question, e.call!.changesFiles]);
    assert.deepEqual(states, [
      ['running', undefined, true], // the input is complete
      ['running', undefined, true], // it runs
      ['awaitingApproval', 'Apply this change to a.ts?', true],
      ['running', undefined, true],
      ['done', undefined, true],
    ]);
  });

  it('follows calls made in sequence over several rounds', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_1', 'read_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Now b.'), toolUse('toolu_2', 'read_file', { path: 'b.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Done.')] }),
    );
    const tools = new FakeTools(readsFiles);
    const { run } = loop(tools);
    const result = await run;
    assert.equal(mock().messageRequests.length, 3);
    const last = mock().messageRequests[2].body.messages as MessageParam[];
    assert.deepEqual(last.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.deepEqual(tools.log, ['start toolu_1', 'end toolu_1', 'start toolu_2', 'end toolu_2']);
    assert.equal(result.answer.length, 5);
    assert.equal(result.answer.at(-1)!.role, 'assistant');
  });

  it('runs changing tools one after another, in the order called', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_e1', 'edit_file', { path: 'a.ts' }), toolUse('toolu_e2', 'edit_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Edited.')] }),
    );
    const tools = new FakeTools(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { content: `edited for ${call.id}`, status: 'done' };
    });
    await loop(tools).run;
    assert.deepEqual(tools.log, ['start toolu_e1', 'end toolu_e1', 'start toolu_e2', 'end toolu_e2']);
  });

  it('logs each call, its approval and how it ended, with inputs and results only at trace level', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_ok', 'read_file', { path: 'secret-plan.ts' }), toolUse('toolu_err', 'read_file', { path: 'gone.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Done.')] }),
    );
    const tools = new FakeTools(async (call, context) => {
      if ((call.input as { path: string }).path === 'gone.ts') return { content: 'ENOENT: gone.ts holds the launch codes', status: 'failed' };
      context.setStatus('awaitingApproval', 'Allow reading secret-plan.ts?');
      context.setStatus('running');
      return readsFiles(call);
    });
    const lines: Array<{ level: string; text: string }> = [];
    const at = (level: string) => (message: string | Error) => lines.push({ level, text: String(message) });
    const log = { logLevel: 3, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    await loop(tools, { log }).run;
    const shown = lines.map((line) => `${line.level} ${line.text}`);
    assert.ok(shown.some((line) => /^info Tool read_file \(toolu_ok\) awaits approval: Allow reading secret-plan\.ts\?$/.test(line)), shown.join('\n'));
    assert.ok(shown.some((line) => /^info Tool read_file \(toolu_ok\) approved$/.test(line)), shown.join('\n'));
    assert.ok(shown.some((line) => /^info Tool read_file \(toolu_ok\) done in \d+ ms, result \d+ chars$/.test(line)), shown.join('\n'));
    assert.ok(shown.some((line) => /^warn Tool read_file \(toolu_err\) failed in \d+ ms, result 38 chars$/.test(line)), shown.join('\n'));
    assert.ok(!shown.join('\n').includes('launch codes'), 'no result text above trace level');
    assert.deepEqual(lines.filter((line) => line.level === 'trace'), [], 'nothing traced when the user does not trace');
  });

  it('answers a failing tool and malformed JSON input with is_error results, without running the bad call', async () => {
    const events = transcriptEvents({ blocks: [toolUse('toolu_bad', 'read_file', { path: 'a.ts' }), toolUse('toolu_err', 'read_file', { path: 'gone.ts' })], stopReason: 'tool_use' });
    let brokeFirst = false;
    for (const event of events) {
      const data = event.data as { type: string; index?: number; delta?: { type: string; partial_json?: string } };
      if (data.type === 'content_block_delta' && data.index === 0 && data.delta?.type === 'input_json_delta' && data.delta.partial_json) {
        data.delta.partial_json = brokeFirst ? '' : '{"path": "a.ts",,';
        brokeFirst = true;
      }
    }
    mock().enqueue({ kind: 'sse', body: sseBody(events) }, sseReply({ blocks: [text('Sorry.')] }));
    const tools = new FakeTools(async (call) => {
      if ((call.input as { path: string }).path === 'gone.ts') throw new Error('ENOENT: gone.ts');
      return readsFiles(call);
    });
    const { run, lastCall } = loop(tools);
    await run;
    assert.deepEqual(tools.log, ['start toolu_err'], 'the call with malformed input never reached the tool');
    const results = mock().messageRequests[1].body.messages[2].content;
    assert.equal(results[0].tool_use_id, 'toolu_bad');
    assert.equal(results[0].is_error, true);
    assert.match(results[0].content, /not valid JSON/);
    assert.equal(results[1].is_error, true);
    assert.match(results[1].content, /ENOENT: gone\.ts/);
    assert.equal(lastCall(0)?.status, 'failed');
    assert.equal(lastCall(0)?.input, '{"path": "a.ts",,', 'the card shows the input as sent');
    assert.equal(lastCall(1)?.status, 'failed');
  });

  it('Stop while a tool runs cancels it, answers every call, and leaves a valid history', async () => {
    mock().enqueue(sseReply({ blocks: [toolUse('toolu_fast', 'read_file', { path: 'a.ts' }), toolUse('toolu_slow', 'read_file', { path: 'slow.ts' })], stopReason: 'tool_use' }));
    let sawAbort = false;
    let startedSlow!: () => void;
    const slowStarted = new Promise<void>((resolve) => (startedSlow = resolve));
    const tools = new FakeTools((call, context) => {
      if ((call.input as { path: string }).path !== 'slow.ts') return readsFiles(call);
      startedSlow();
      context.signal.addEventListener('abort', () => (sawAbort = true));
      return new Promise<ToolOutcome>(() => {}); // never settles: Stop must not wait for it
    });
    const { run, abort, lastCall } = loop(tools);
    await slowStarted;
    while (lastCall(0)?.status !== 'done') await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    const result = await run;
    assert.equal(result.status, 'stopped');
    assert.equal(sawAbort, true, 'the running tool saw the signal');
    assert.equal(mock().messageRequests.length, 1, 'nothing more was asked of the model');
    assert.deepEqual(result.answer.map((m) => m.role), ['assistant', 'user', 'assistant']);
    const results = result.answer[1].content as Array<{ tool_use_id: string; is_error?: boolean; content: string }>;
    assert.deepEqual(results.map((r) => [r.tool_use_id, r.is_error ?? false]), [['toolu_fast', false], ['toolu_slow', true]]);
    assert.match(results[1].content, /Cancelled/);
    assert.deepEqual(result.answer[2].content, [text(STOPPED_MARKER)]);
    assert.equal(lastCall(1)?.status, 'cancelled');
  });

  it('Stop always wins: a tool that ignores it and answers afterwards sends nothing more to the model', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_1', 'read_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Should never be asked for.')] }),
    );
    // Stop comes as a message on a socket, as the view's does: sent while the tool runs, read only
    // once the tool has answered.
    let abort!: AbortController;
    const stopServer = net.createServer((socket) => socket.on('data', () => abort.abort()));
    await new Promise<void>((resolve) => stopServer.listen(0, '127.0.0.1', resolve));
    const stopButton = net.connect((stopServer.address() as net.AddressInfo).port, '127.0.0.1');
    await once(stopButton, 'connect');
    const tools = new FakeTools(() => {
      stopButton.write('stop');
      return Promise.resolve<ToolOutcome>({ content: 'found it', status: 'done' });
    });
    const started = loop(tools);
    abort = started.abort;
    const result = await started.run;
    stopButton.destroy();
    stopServer.close();
    assert.equal(result.status, 'stopped');
    assert.equal(mock().messageRequests.length, 1, 'no request after Stop');
    assert.deepEqual(result.answer.map((m) => m.role), ['assistant', 'user', 'assistant']);
    assert.deepEqual(result.answer[2].content, [text(STOPPED_MARKER)]);
  });

  it('Stop always wins: a tool that resolves with a result after Stop is answered as cancelled', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_1', 'read_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Should never be asked for.')] }),
    );
    const tools = new FakeTools(async (_call, context) => {
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
      return { content: 'found it anyway', status: 'done' };
    });
    const started = loop(tools);
    while (tools.contexts.length === 0) await new Promise((resolve) => setImmediate(resolve));
    started.abort.abort();
    const result = await started.run;
    assert.equal(result.status, 'stopped');
    assert.equal(mock().messageRequests.length, 1, 'no request after Stop');
    const results = result.answer[1].content as Array<{ content: string; is_error?: boolean }>;
    assert.match(results[0].content, /Cancelled/);
  });

  it('a late status from a tool does not revive its card: not after Stop, not after the call has ended', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_done', 'read_file', { path: 'b.ts' }), toolUse('toolu_late', 'edit_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('Should never be asked for.')] }),
    );
    let turnEnded!: () => void;
    const ended = new Promise<void>((resolve) => (turnEnded = resolve));
    let asked!: () => void;
    const askedLate = new Promise<void>((resolve) => (asked = resolve));
    const contexts = new Map<string, ToolRunContext>();
    const tools = new FakeTools(async (call, context) => {
      contexts.set(call.id, context);
      if (call.id === 'toolu_done') return readsFiles(call);
      // An edit still opening its document when the turn ended, which then asks anyway.
      await ended;
      context.setStatus('awaitingApproval', 'Apply this change to a.ts?');
      context.setStatus('running');
      asked();
      return { content: 'Cancelled.', status: 'cancelled' };
    });
    const { run, abort, lastCall } = loop(tools);
    while (lastCall(0)?.status !== 'done' || !contexts.has('toolu_late')) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    assert.equal((await run).status, 'stopped');
    assert.equal(lastCall(1)?.status, 'cancelled');
    turnEnded();
    await askedLate;
    assert.equal(lastCall(1)?.status, 'cancelled');
    assert.equal(lastCall(1)?.question, undefined);
    // The read ended before Stop: a status it sends now is ignored as well.
    contexts.get('toolu_done')!.setStatus('running');
    assert.equal(lastCall(0)?.status, 'done');
  });

  it('Stop while the second answer streams keeps its text after the first round', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_1', 'read_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('x'.repeat(2000))], deltaSize: 10 }, { chunkSize: 200, delayMs: 15 }),
    );
    const { run, abort, seen } = loop(new FakeTools(readsFiles));
    while (!seen.some((e) => e.type === 'text')) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    const result = await run;
    assert.equal(result.status, 'stopped');
    assert.deepEqual(result.answer.map((m) => m.role), ['assistant', 'user', 'assistant']);
    const kept = (result.answer[2].content as Array<{ text: string }>)[0].text;
    assert.ok(kept.length > 0 && kept.length < 2000, `kept ${kept.length} characters`);
    assert.equal(result.rounds.length, 2);
  });

  it('stops at the round limit without running the calls it could not answer', async () => {
    mock().enqueue(
      sseReply({ blocks: [toolUse('toolu_1', 'read_file', { path: 'a.ts' })], stopReason: 'tool_use' }),
      sseReply({ blocks: [text('One more.'), toolUse('toolu_2', 'read_file', { path: 'b.ts' })], stopReason: 'tool_use' }),
    );
    const tools = new FakeTools(readsFiles);
    const { run, lastCall } = loop(tools, { maxRounds: 1 });
    const result = await run;
    assert.equal(result.roundLimitReached, true);
    assert.equal(result.stopReason, 'tool_use');
    assert.deepEqual(tools.log, ['start toolu_1', 'end toolu_1']);
    assert.equal(result.answer.at(-1)!.role, 'assistant');
    const last = result.answer.at(-1)!.content as Array<{ type: string; text: string }>;
    assert.deepEqual(last[0], text('One more.'));
    assert.match(last[1].text, /limit of 1 tool rounds per turn was reached, so the last tool calls were not run/);
    assert.ok(!JSON.stringify(result.answer).includes('toolu_2'), 'the unanswered call is not in the history');
    assert.equal(lastCall(2)?.status, 'cancelled');
  });

  it('sends no tools when none is enabled, and ignores tool calls in an answer that did not stop for them', async () => {
    mock().enqueue(sseReply({ blocks: [text('Cut'), toolUse('toolu_x', 'read_file', { path: 'a.ts' })], stopReason: 'max_tokens' }));
    const tools = new FakeTools(readsFiles, []);
    const result = await loop(tools).run;
    assert.equal(mock().messageRequests[0].body.tools, undefined);
    assert.equal(mock().messageRequests[0].body.tool_choice, undefined);
    assert.deepEqual(tools.log, []);
    // The call is not run and leaves the history, and the model is told so.
    assert.deepEqual(result.answer, [{ role: 'assistant', content: [text('Cut'), text('[The answer ended (max_tokens) before its call to read_file was complete, so it was not run.]')] }]);
    assert.equal(result.stopReason, 'max_tokens');
  });
});
