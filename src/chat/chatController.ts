import type { ClientOptions } from '../api/client';
import { abortedError, ApiError } from '../api/errors';
import type { Cost } from '../api/pricing';
import type { Message, MessageParam, MessageRequest, StopReason, ToolDefinition } from '../api/types';
import { describeError, SILENT_LOG, type Logger } from '../api/log';
import type { ErrorPresentation, HostToWebview, TurnView, UsageView } from '../shared/protocol';
import { toolDefinition, TOOL_SPECS } from '../tools/definitions';
import { NO_TOOLS, type ToolRunner } from '../tools/types';
import { appendToBlock, Conversation, toTurnView, type Turn } from './conversation';
import { calibrationOf, contextOverflowMessage, fitToContext, omittedTurnsNote, requestChars } from './contextWindow';
import { contextOverflowError, errorPresentation, missingApiKeyError } from './errorPresentation';
import { DEFAULT_SYSTEM_PROMPT, type Prompt } from './prompts';
import type { SonnetConfig } from './settings';
import { runToolLoop, type MessagesApi, type ToolLoopResult } from './toolLoop';

export type { MessagesApi } from './toolLoop';

/** What the chat reports as it runs: the protocol's messages, except the snapshots the view asks for. */
export type ChatUpdate = Exclude<HostToWebview, { type: 'state' | 'earlierTurns' }>;

/** Where the chat's updates go (the Chat view in the editor, a recorder in tests). */
export interface ChatSink {
  post(update: ChatUpdate): void;
  /** The whole conversation changed (a new chat): show `snapshot()` afresh. */
  refresh(): void;
}

export interface ChatControllerOptions {
  sink: ChatSink;
  /** Read at each request, so a changed setting applies to the next one. */
  readConfig(): SonnetConfig;
  /** The stored key, or one the user is asked for now; undefined if they decline. */
  resolveApiKey(): Promise<string | undefined>;
  createClient(options: ClientOptions): MessagesApi;
  /** The tools the model may call; none when absent. */
  tools?: ToolRunner;
  /** Requests, tool calls and failures (see `src/shared/log.ts`). */
  log?: Logger;
  onBusyChange?(busy: boolean): void;
  /**
   * A conversation was put on screen (`opened`), one of its turns started or ended (done, stopped or
   * failed), or a running turn received more since the last report (`turnProgress`, at most every
   * `progressIntervalMs`): the moments it is saved.
   */
  onConversationChange?(conversation: Conversation, event: ConversationEvent): void;
  /** How often a running turn's progress is reported; 3 s when absent. */
  progressIntervalMs?: number;
}

export type ConversationEvent = 'opened' | 'turnStarted' | 'turnProgress' | 'turnEnded';

/**
 * A window closed or reloaded while an answer streams ends the extension host before the turn ends:
 * what arrived is saved every few seconds meanwhile, so at most that much is lost.
 */
const PROGRESS_INTERVAL_MS = 3000;

export interface ChatSnapshot {
  conversationId: string;
  turns: TurnView[];
  busy: boolean;
}

/**
 * Runs the conversation: one turn at a time, streamed to the sink. Stop keeps what had arrived; a
 * failure keeps the prompt in the conversation with an error card, and `retry` sends it again.
 */
export class ChatController {
  private conversation = new Conversation();
  private active: { turn: Turn; abort: AbortController } | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: ChatControllerOptions) {}

  private get log(): Logger {
    return this.options.log ?? SILENT_LOG;
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The conversation on screen. */
  get current(): Conversation {
    return this.conversation;
  }

  snapshot(): ChatSnapshot {
    return { conversationId: this.conversation.id, turns: this.conversation.view(), busy: this.busy };
  }

  /** Starts a turn; false (and nothing happens) while another is running. */
  send(prompt: Prompt): boolean {
    if (this.busy || prompt.content.trim() === '') return false;
    const turn = this.conversation.addTurn(prompt);
    this.start(turn);
    return true;
  }

  /** Sends the last turn again, if it failed. */
  retry(turnId?: string): boolean {
    const turn = this.conversation.lastTurn;
    if (this.busy || !turn || turn.answer.status !== 'failed' || (turnId !== undefined && turn.id !== turnId)) return false;
    this.conversation.restart(turn);
    this.start(turn);
    return true;
  }

  /** The last turn's error card, if it failed. */
  lastFailure(): { turnId: string; error: ErrorPresentation } | undefined {
    const turn = this.conversation.lastTurn;
    if (turn?.answer.status !== 'failed' || !turn.answer.error) return undefined;
    return { turnId: turn.id, error: turn.answer.error };
  }

  /** Settles when no turn is running, e.g. after `stop()`, once the stopped answer is recorded. */
  whenIdle(): Promise<void> {
    return this.running;
  }

  stop(): boolean {
    if (!this.active) return false;
    this.active.abort.abort();
    return true;
  }

  newChat(): void {
    this.open(new Conversation());
  }

  /** Shows `conversation` (a new one, or one reopened from the history); a turn still running stops. */
  open(conversation: Conversation): void {
    const wasBusy = this.stop();
    // The stopped run finishes in the background; it reports to the old conversation, not this one.
    this.active = undefined;
    this.conversation = conversation;
    if (wasBusy) this.options.onBusyChange?.(false);
    this.options.sink.refresh();
    this.options.onConversationChange?.(conversation, 'opened');
  }

  private start(turn: Turn): void {
    const abort = new AbortController();
    this.active = { turn, abort };
    const conversation = this.conversation;
    let progressed = false;
    const progress = setInterval(() => {
      if (!progressed) return;
      progressed = false;
      this.notifyChange(conversation, 'turnProgress');
    }, this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
    // Updates from a run whose conversation was replaced by a new chat go nowhere.
    const post = (update: ChatUpdate) => {
      progressed = true;
      if (this.conversation === conversation) this.options.sink.post(update);
    };
    post({ type: 'turnStarted', turn: toTurnView(turn) });
    this.notifyChange(conversation, 'turnStarted');
    this.setBusy(true, post);
    this.running = this.run(conversation, turn, abort.signal, post)
      // `run` reports every failure of the request itself; this is a bug in a sink, kept off the floor.
      .catch((error: unknown) => this.log.error(`A turn ended with an unexpected error: ${describeError(error)}`))
      .finally(() => {
        clearInterval(progress);
        // Idle first: whatever saving the turn does, it never leaves the chat busy.
        if (this.active?.turn === turn) {
          this.active = undefined;
          this.setBusy(false, post);
        }
        // Also when the conversation was replaced meanwhile: its stopped answer is saved all the same.
        this.notifyChange(conversation, 'turnEnded');
      });
  }

  /** A listener that throws (a save that failed at once) must not stop the turn that reports to it. */
  private notifyChange(conversation: Conversation, event: ConversationEvent): void {
    try {
      this.options.onConversationChange?.(conversation, event);
    } catch (error) {
      this.log.error(`Saving after "${event}" failed: ${describeError(error)}`);
    }
  }

  private setBusy(busy: boolean, post: (update: ChatUpdate) => void): void {
    this.options.onBusyChange?.(busy);
    post({ type: 'busy', busy });
  }

  private async run(conversation: Conversation, turn: Turn, signal: AbortSignal, post: (update: ChatUpdate) => void): Promise<void> {
    try {
      const config = this.options.readConfig();
      const tools = this.options.tools ?? NO_TOOLS;
      const prompt: MessageParam = { role: 'user', content: turn.prompt.content };
      // Built before the key is asked for, so a turn too long for the window fails before anything else.
      let firstRequest: MessageRequest | undefined = this.fittedRequest(conversation, turn, config, [prompt], tools.definitions(), post);
      let lastRequest = firstRequest;
      const apiKey = await this.options.resolveApiKey();
      if (signal.aborted) throw abortedError();
      if (!apiKey) throw missingApiKeyError();
      const client = this.options.createClient({
        baseUrl: config.baseUrl,
        apiKey,
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
        log: this.log,
      });
      const result = await runToolLoop({
        client,
        tools,
        prompt,
        maxRounds: config.maxToolRounds,
        signal,
        log: this.log,
        buildRequest: (current, definitions) => {
          lastRequest = firstRequest ?? this.fittedRequest(conversation, turn, config, current, definitions, post);
          firstRequest = undefined;
          return lastRequest;
        },
        events: {
          onBlockStart: (index, view) => {
            turn.answer.blocks[index] = view;
            post({ type: 'blockStart', turnId: turn.id, index, block: { ...view } });
          },
          onTextDelta: (index, text) => {
            if (appendToBlock(turn, index, 'text', text)) post({ type: 'textDelta', turnId: turn.id, index, text });
          },
          onThinkingDelta: (index, text) => {
            if (appendToBlock(turn, index, 'thinking', text)) post({ type: 'thinkingDelta', turnId: turn.id, index, text });
          },
          onRetry: (attempt, delayMs, error) => {
            post({ type: 'retrying', turnId: turn.id, attempt, delayMs, reason: error.message });
          },
          onToolCall: (index, call) => {
            turn.answer.blocks[index] = { kind: 'toolUse', call };
            post({ type: 'toolCall', turnId: turn.id, index, call });
          },
        },
      });
      // Stopping keeps what had arrived, on screen and in the history.
      conversation.commit(turn, result.answer);
      const usage = totalUsage(result.rounds);
      if (result.status === 'done') {
        conversation.calibration = calibrationOf(requestChars(lastRequest), result.rounds.at(-1)?.message.usage) ?? conversation.calibration;
      }
      const note = result.status === 'done' ? stopNote(result.stopReason, config) : undefined;
      turn.answer = { ...turn.answer, status: result.status, ...(usage ? { usage } : {}), ...(note ? { note } : {}) };
      post({ type: 'turnFinished', turnId: turn.id, status: result.status, ...(usage ? { usage } : {}), ...(note ? { note } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'aborted') {
        // Stopped before the request went out: nothing arrived.
        turn.answer = { ...turn.answer, status: 'stopped' };
        post({ type: 'turnFinished', turnId: turn.id, status: 'stopped' });
      } else {
        const presentation = errorPresentation(error);
        this.log.error(`Turn failed: ${presentation.title}: ${describeError(error)}`);
        turn.answer = { ...turn.answer, status: 'failed', error: presentation };
        post({ type: 'turnFailed', turnId: turn.id, error: presentation });
      }
    }
  }

  /**
   * This turn's request, with as many of the oldest turns left out as the context window requires;
   * the turn then says so. Throws, before anything is sent, when the turn alone is too long.
   */
  private fittedRequest(
    conversation: Conversation,
    turn: Turn,
    config: SonnetConfig,
    current: MessageParam[],
    tools: ToolDefinition[],
    post: (update: ChatUpdate) => void,
  ): MessageRequest {
    const request = buildRequest(config, [...conversation.messages, ...current], tools);
    const fit = fitToContext({
      system: request.system ?? '',
      history: conversation.messages,
      // This turn's messages (prompt, tool calls and results) are never left out.
      current,
      tools: request.tools,
      maxTokens: request.max_tokens,
      calibration: conversation.calibration,
    });
    if (!fit.fits) throw contextOverflowError(contextOverflowMessage(fit));
    const contextNote = fit.omittedTurns > 0 ? omittedTurnsNote(fit.omittedTurns) : undefined;
    if (contextNote !== turn.contextNote) {
      turn.contextNote = contextNote;
      // The same turn again: the view replaces it, now with the note.
      post({ type: 'turnStarted', turn: toTurnView(turn) });
    }
    return { ...request, messages: fit.messages };
  }
}

export function buildRequest(config: SonnetConfig, messages: MessageParam[], tools: ToolDefinition[] = []): MessageRequest {
  return {
    model: config.model,
    max_tokens: config.maxTokens,
    system: config.systemPrompt || DEFAULT_SYSTEM_PROMPT,
    messages,
    ...toolsOfRequest(messages, tools),
    // Sent only when on: a provider that does not know the flag is not asked to ignore it.
    ...(config.thinking ? { thinkingFlag: true } : {}),
  };
}

/**
 * Tools are offered only when at least one is on; the model then decides whether to call any. With
 * all off, a history that holds tool calls still declares them (the API rejects `tool_use` blocks of
 * undeclared tools), with `tool_choice: none` so that none is called.
 */
function toolsOfRequest(messages: MessageParam[], tools: ToolDefinition[]): Pick<MessageRequest, 'tools' | 'tool_choice'> {
  if (tools.length > 0) return { tools, tool_choice: { type: 'auto' } };
  const hasToolCalls = messages.some((message) => Array.isArray(message.content) && message.content.some((block) => block.type === 'tool_use'));
  return hasToolCalls ? { tools: TOOL_SPECS.map(toolDefinition), tool_choice: { type: 'none' } } : {};
}

export function usageView(message: Message, cost: Cost): UsageView {
  const usage = message.usage ?? { input_tokens: 0, output_tokens: 0 };
  const inputTokens = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  return { inputTokens, outputTokens: usage.output_tokens ?? 0, credits: cost.credits, creditsSource: cost.source };
}

/** A turn's usage: every request of its tool rounds added up; `provider` only if it reported each charge. */
export function totalUsage(rounds: ToolLoopResult['rounds']): UsageView | undefined {
  const views = rounds.map((round) => usageView(round.message, round.cost));
  if (views.length === 0) return undefined;
  return views.reduce((sum, view) => ({
    inputTokens: sum.inputTokens + view.inputTokens,
    outputTokens: sum.outputTokens + view.outputTokens,
    credits: sum.credits + view.credits,
    creditsSource: sum.creditsSource === 'provider' && view.creditsSource === 'provider' ? 'provider' : 'computed',
  }));
}

/** Why an answer that finished normally may still be incomplete. */
export function stopNote(reason: StopReason | null, config: Pick<SonnetConfig, 'maxTokens' | 'maxToolRounds'>): string | undefined {
  switch (reason) {
    case 'max_tokens':
      return `The answer reached the limit of ${config.maxTokens} tokens (setting sonnet.maxTokens) and was cut short.`;
    case 'refusal':
      return 'The model declined to continue this answer.';
    case 'pause_turn':
      return 'The model paused its turn; ask it to continue.';
    case 'tool_use':
      // The loop only ends on `tool_use` when the round limit stops it.
      return `The model wanted to use more tools, but this turn reached the limit of ${config.maxToolRounds} tool rounds (setting sonnet.maxToolRounds). Say "continue" to let it go on.`;
    default:
      return undefined;
  }
}
