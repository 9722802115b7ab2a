import type { MessageResult, RequestOptions } from '../api/client';
import { abortedError, ApiError } from '../api/errors';
import { costOfMessage, type Cost } from '../api/pricing';
import type { ContentBlockParam, Message, MessageParam, MessageRequest, StopReason, ToolDefinition, ToolResultBlock, ToolUseBlock } from '../api/types';
import type { InvalidToolInput } from '../api/accumulator';
import { describeError, elapsedMs, SILENT_LOG, tracing, type Logger } from '../api/log';
import type { BlockView, ToolCallView } from '../shared/protocol';
import { cardInput, cardRawInput } from '../tools/format';
import type { ToolOutcome, ToolRunner } from '../tools/types';
import { blockView, historyOfCompleteAnswer, historyOfStoppedAnswer } from './conversation';

/** The part of `MessagesClient` the loop uses. */
export interface MessagesApi {
  createMessage(request: MessageRequest, options?: RequestOptions): Promise<MessageResult>;
}

/** What the loop reports as a turn unfolds; `index` counts blocks across all rounds of the turn. */
export interface ToolLoopEvents {
  onBlockStart(index: number, block: BlockView): void;
  onTextDelta(index: number, text: string): void;
  onThinkingDelta(index: number, text: string): void;
  onRetry(attempt: number, delayMs: number, error: ApiError): void;
  /** A tool block changed: its input is complete, it runs, waits for approval, or has a result. */
  onToolCall(index: number, call: ToolCallView): void;
}

export interface ToolLoopOptions {
  client: MessagesApi;
  /**
   * The request for this turn so far (its prompt, then any tool calls and results), offering `tools`
   * when there are any; the caller puts the earlier history in front.
   */
  buildRequest(current: MessageParam[], tools: ToolDefinition[]): MessageRequest | Promise<MessageRequest>;
  /** The user message that opens the turn. */
  prompt: MessageParam;
  tools: ToolRunner;
  /** How many times the model may have tools run in one turn. */
  maxRounds: number;
  signal: AbortSignal;
  events: ToolLoopEvents;
  /** Tool calls and approvals are logged here. */
  log?: Logger;
}

export interface ToolLoopResult {
  status: 'done' | 'stopped';
  /**
   * What the turn adds to the history after its prompt: assistant and user (tool results) messages in
   * turn, ending with an assistant message, every `tool_use` answered; empty when nothing is worth keeping.
   */
  answer: MessageParam[];
  /** Every request's answer (partial for a stopped one), for usage and credits. */
  rounds: Array<{ message: Message; cost: Cost }>;
  /** The last answer's stop reason; `tool_use` when the round limit stopped the loop. */
  stopReason: StopReason | null;
  roundLimitReached: boolean;
}

/** Closes a turn whose last message would otherwise be the user's tool results. */
export const STOPPED_MARKER = '[The user stopped this answer.]';
const EMPTY_MARKER = '[No further answer.]';

const CANCELLED = 'Cancelled: the user stopped the turn before this tool finished.';

/**
 * The agent loop: asks the model, runs the tools it calls, sends the results back, and repeats until
 * it ends its turn, the round limit is reached, or the user stops. Thinking and tool-use blocks go back
 * verbatim (signatures included), and all the results of one answer go back in one message.
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { client, tools, signal, events } = options;
  const answer: MessageParam[] = [];
  const rounds: ToolLoopResult['rounds'] = [];
  const calls = new Map<number, ToolCallView>();
  let offset = 0;
  let toolRounds = 0;

  const showCall = (index: number, change: Partial<ToolCallView>) => {
    // The question (and the rule offered) belong to the wait for approval only.
    const { question, alwaysAllow, acceptAllEdits, ...rest } = { ...calls.get(index)!, ...change };
    const waiting = rest.status === 'awaitingApproval';
    const call: ToolCallView = {
      ...rest,
      ...(waiting && question ? { question } : {}),
      ...(waiting && alwaysAllow ? { alwaysAllow } : {}),
      ...(waiting && acceptAllEdits ? { acceptAllEdits } : {}),
    };
    calls.set(index, call);
    events.onToolCall(index, call);
  };
  const finish = (status: ToolLoopResult['status'], tail: ContentBlockParam[], marker: string, extra: Partial<ToolLoopResult> = {}): ToolLoopResult => {
    if (tail.length > 0) answer.push({ role: 'assistant', content: tail });
    else if (answer.length > 0) answer.push({ role: 'assistant', content: [{ type: 'text', text: marker }] });
    return { status, answer, rounds, stopReason: rounds.at(-1)?.message.stop_reason ?? null, roundLimitReached: false, ...extra };
  };

  for (;;) {
    const base = offset;
    let result: MessageResult;
    try {
      await tools.prepare?.(signal);
      if (signal.aborted) throw abortedError();
      // Building may compact the conversation first (a request of its own), which Stop ends like this one.
      const request = await options.buildRequest([options.prompt, ...answer], tools.definitions());
      result = await client.createMessage(request, {
        signal,
        stream: true,
        handlers: {
          onBlockStart: (index, block) => {
            const view = blockView(block);
            if (view.kind === 'toolUse') calls.set(base + index, view.call);
            events.onBlockStart(base + index, view);
          },
          onBlockStop: (index, block, invalidInput) => {
            if (block.type !== 'tool_use') return;
            const cutOff = invalidInput?.cutOff ? { inputCutOff: true } : {};
            showCall(base + index, { ...tools.describe(block.name, block.input), input: cardInput(block.input), ...cutOff });
          },
          onTextDelta: (index, text) => events.onTextDelta(base + index, text),
          onThinkingDelta: (index, text) => events.onThinkingDelta(base + index, text),
          onRetry: (attempt, delayMs, error) => events.onRetry(attempt, delayMs, error),
        },
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'aborted')) throw error;
      const partial = error.partial;
      if (partial) rounds.push({ message: partial, cost: costOfMessage(partial) });
      for (const index of calls.keys()) if (index >= base) showCall(index, { status: 'cancelled', result: 'Not run: the turn was stopped.' });
      return finish('stopped', historyOfStoppedAnswer(partial), STOPPED_MARKER);
    }
    rounds.push({ message: result.message, cost: result.cost });
    const message = result.message;
    offset = base + message.content.length;
    const requested = message.content.flatMap((block, index) => (block.type === 'tool_use' ? [{ block, index: base + index }] : []));

    if (message.stop_reason !== 'tool_use' || requested.length === 0) {
      const kept = historyOfCompleteAnswer(message);
      if (requested.length === 0) return finish('done', kept, EMPTY_MARKER);
      for (const { index } of requested) showCall(index, { status: 'cancelled', result: 'Not run: the answer ended before the call was complete.' });
      // The calls leave the history (they have no results); the model must know, next turn, that they never ran.
      const names = [...new Set(requested.map(({ block }) => block.name))].join(', ');
      const notRun = `[The answer ended (${message.stop_reason ?? 'no stop reason'}) before its call to ${names} was complete, so it was not run.]`;
      return finish('done', [...kept, { type: 'text', text: notRun }], EMPTY_MARKER);
    }
    if (toolRounds >= options.maxRounds) {
      for (const { index } of requested) showCall(index, { status: 'cancelled', result: 'Not run: the limit of tool rounds per turn was reached.' });
      // Said even after the answer's text: the model must know, next turn, that these calls never ran.
      const marker = `[Stopped: the limit of ${options.maxRounds} tool rounds per turn was reached, so the last tool calls were not run.]`;
      return finish('done', [...historyOfCompleteAnswer(message), { type: 'text', text: marker }], marker, { roundLimitReached: true });
    }
    toolRounds++;

    answer.push({ role: 'assistant', content: historyOfToolRound(message) });
    const invalid = new Map(result.invalidToolInputs.map((entry) => [base + entry.index, entry]));
    const results = await runCalls(requested, invalid, options, showCall, toolRounds);
    answer.push({ role: 'user', content: results });
    // Stop wins over whatever the tools answered: a Stop already read from the view is seen here, and
    // one still queued behind a tool that held the thread gets this one turn of the event loop (best
    // effort: since the searches no longer hold the thread, no tool should).
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) return finish('stopped', [], STOPPED_MARKER);
  }
}

/** A tool round's answer as it goes back: verbatim, except empty text blocks, which the API rejects. */
function historyOfToolRound(message: Message): ContentBlockParam[] {
  return message.content.filter((block) => !(block.type === 'text' && block.text === ''));
}

/**
 * Runs one answer's calls and returns their results in the order of the calls. Read-only tools run at
 * once, side by side; changing tools run one after another, so each is shown (and applied) on top of
 * the one before. Stop answers every unfinished call at once, whether or not its tool heeds the signal.
 */
async function runCalls(
  requested: Array<{ block: ToolUseBlock; index: number }>,
  invalid: Map<number, InvalidToolInput>,
  options: ToolLoopOptions,
  showCall: (index: number, change: Partial<ToolCallView>) => void,
  round: number,
): Promise<ToolResultBlock[]> {
  const { tools, signal } = options;
  const log = options.log ?? SILENT_LOG;
  let changes: Promise<unknown> = Promise.resolve();
  let cancel = () => {};
  const stopped = new Promise<ToolOutcome>((resolve) => {
    cancel = () => resolve({ content: CANCELLED, status: 'cancelled' });
  });
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });

  const runOne = async ({ block, index }: { block: ToolUseBlock; index: number }): Promise<ToolOutcome> => {
    const bad = invalid.get(index);
    if (bad) {
      // The card shows what the model sent, not what could be parsed of it.
      showCall(index, { input: cardRawInput(bad.raw) });
      return { content: `The input was not valid JSON (${bad.reason}), so the tool did not run. Send the call again with valid JSON.`, status: 'failed' };
    }
    if (signal.aborted) return { content: CANCELLED, status: 'cancelled' };
    showCall(index, { status: 'running' });
    let settled = false;
    return tools.run(block, {
      signal,
      round,
      setStatus: (status, question, alwaysAllow, acceptAllEdits) => {
        // A tool that goes on after Stop, or after it answered, must not turn an ended card back.
        if (settled || signal.aborted) return;
        if (status === 'awaitingApproval') log.info(`Tool ${block.name} (${block.id}) awaits approval: ${question ?? ''}`);
        else log.info(`Tool ${block.name} (${block.id}) approved`);
        showCall(index, { status, question, alwaysAllow, acceptAllEdits });
      },
    }).finally(() => (settled = true));
  };

  const outcomes = requested.map((call) => {
    let run: Promise<ToolOutcome>;
    if (tools.describe(call.block.name, call.block.input).changesFiles) {
      run = changes.then(() => runOne(call));
      changes = run.catch(() => undefined);
    } else {
      run = runOne(call);
    }
    const started = performance.now();
    const settled = run.catch((error: unknown): ToolOutcome => {
      log.error(`Tool ${call.block.name} threw: ${describeError(error)}`);
      return { content: `The tool failed: ${error instanceof Error ? error.message : String(error)}`, status: 'failed' };
    });
    return Promise.race([settled, stopped]).then((outcome) => {
      logOutcome(log, call.block, outcome, elapsedMs(started));
      // The card shows what the model got; it cuts the text for reading itself.
      showCall(call.index, { status: outcome.status, result: outcome.content, ...(outcome.summary ? { resultSummary: outcome.summary } : {}) });
      return outcome;
    });
  });

  const settled = await Promise.all(outcomes);
  signal.removeEventListener('abort', cancel);
  return requested.map(({ block }, i) => ({
    type: 'tool_result',
    tool_use_id: block.id,
    content: toolResultContent(settled[i]),
    ...(settled[i].status === 'done' ? {} : { is_error: true }),
  }));
}

/** The `tool_result` content of an outcome: its text, followed by its images when it has any. */
function toolResultContent({ content, images }: ToolOutcome): ToolResultBlock['content'] {
  return images && images.length > 0 ? [{ type: 'text', text: content }, ...images] : content;
}

/**
 * One line per call: what ran, how it ended, how long it took and how much the model gets back. The
 * input and the result (which may quote files or the model's words) only at trace level.
 */
function logOutcome(log: Logger, call: ToolUseBlock, outcome: ToolOutcome, ms: number): void {
  const line = `Tool ${call.name} (${call.id}) ${outcome.status} in ${ms} ms, result ${outcome.content.length} chars`;
  if (outcome.status === 'failed') log.warn(line);
  else log.info(line);
  if (!tracing(log)) return;
  log.trace(`Tool ${call.name} (${call.id}) input: ${JSON.stringify(call.input)}`);
  log.trace(`Tool ${call.name} (${call.id}) result: ${outcome.content}`);
}

