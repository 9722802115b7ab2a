import type { ClientOptions, MessageResult, RequestOptions } from '../api/client';
import { abortedError, ApiError } from '../api/errors';
import { costOfMessage, type Cost } from '../api/pricing';
import type { Message, MessageParam, MessageRequest, StopReason } from '../api/types';
import type { ErrorPresentation, HostToWebview, TurnView, UsageView } from '../shared/protocol';
import {
  appendToBlock,
  blockView,
  Conversation,
  historyOfCompleteAnswer,
  historyOfStoppedAnswer,
  toTurnView,
  type Turn,
} from './conversation';
import { errorPresentation, missingApiKeyError } from './errorPresentation';
import { DEFAULT_SYSTEM_PROMPT, type Prompt } from './prompts';
import type { SonnetConfig } from './settings';

/** The part of `MessagesClient` the chat uses; tests pass a fake. */
export interface MessagesApi {
  createMessage(request: MessageRequest, options?: RequestOptions): Promise<MessageResult>;
}

/** What the chat reports as it runs: the protocol's messages, except the snapshot the view asks for. */
export type ChatUpdate = Exclude<HostToWebview, { type: 'state' }>;

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
  onBusyChange?(busy: boolean): void;
}

export interface ChatSnapshot {
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

  get busy(): boolean {
    return this.active !== undefined;
  }

  snapshot(): ChatSnapshot {
    return { turns: this.conversation.view(), busy: this.busy };
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
    const wasBusy = this.stop();
    // The stopped run finishes in the background; it reports to the old conversation, not this one.
    this.active = undefined;
    this.conversation = new Conversation();
    if (wasBusy) this.options.onBusyChange?.(false);
    this.options.sink.refresh();
  }

  private start(turn: Turn): void {
    const abort = new AbortController();
    this.active = { turn, abort };
    const conversation = this.conversation;
    // Updates from a run whose conversation was replaced by a new chat go nowhere.
    const post = (update: ChatUpdate) => {
      if (this.conversation === conversation) this.options.sink.post(update);
    };
    post({ type: 'turnStarted', turn: toTurnView(turn) });
    this.setBusy(true, post);
    this.running = this.run(conversation, turn, abort.signal, post)
      // `run` reports every failure of the request itself; this is a bug in a sink, kept off the floor.
      .catch((error: unknown) => console.error('Sonnet Chat: a turn ended with an unexpected error', error))
      .finally(() => {
        if (this.active?.turn !== turn) return;
        this.active = undefined;
        this.setBusy(false, post);
      });
  }

  private setBusy(busy: boolean, post: (update: ChatUpdate) => void): void {
    this.options.onBusyChange?.(busy);
    post({ type: 'busy', busy });
  }

  private async run(conversation: Conversation, turn: Turn, signal: AbortSignal, post: (update: ChatUpdate) => void): Promise<void> {
    try {
      const config = this.options.readConfig();
      const apiKey = await this.options.resolveApiKey();
      if (signal.aborted) throw abortedError();
      if (!apiKey) throw missingApiKeyError();
      const client = this.options.createClient({
        baseUrl: config.baseUrl,
        apiKey,
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
      });
      const result = await client.createMessage(buildRequest(config, conversation.requestMessages(turn)), {
        signal,
        stream: true,
        handlers: {
          onBlockStart: (index, block) => {
            const view = blockView(block);
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
        },
      });
      conversation.commit(turn, historyOfCompleteAnswer(result.message));
      const usage = usageView(result.message, result.cost);
      const note = stopNote(result.message.stop_reason, config.maxTokens);
      turn.answer = { ...turn.answer, status: 'done', usage, ...(note ? { note } : {}) };
      post({ type: 'turnFinished', turnId: turn.id, status: 'done', usage, ...(note ? { note } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'aborted') {
        // Stopping keeps what had arrived, on screen and in the history.
        conversation.commit(turn, historyOfStoppedAnswer(error.partial));
        const usage = error.partial ? usageView(error.partial, costOfMessage(error.partial)) : undefined;
        turn.answer = { ...turn.answer, status: 'stopped', ...(usage ? { usage } : {}) };
        post({ type: 'turnFinished', turnId: turn.id, status: 'stopped', ...(usage ? { usage } : {}) });
      } else {
        const presentation = errorPresentation(error);
        turn.answer = { ...turn.answer, status: 'failed', error: presentation };
        post({ type: 'turnFailed', turnId: turn.id, error: presentation });
      }
    }
  }
}

export function buildRequest(config: SonnetConfig, messages: MessageParam[]): MessageRequest {
  return {
    model: config.model,
    max_tokens: config.maxTokens,
    system: config.systemPrompt || DEFAULT_SYSTEM_PROMPT,
    messages,
    // Sent only when on: a provider that does not know the flag is not asked to ignore it.
    ...(config.thinking ? { thinkingFlag: true } : {}),
  };
}

export function usageView(message: Message, cost: Cost): UsageView {
  const usage = message.usage ?? { input_tokens: 0, output_tokens: 0 };
  const inputTokens = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  return { inputTokens, outputTokens: usage.output_tokens ?? 0, credits: cost.credits, creditsSource: cost.source };
}

/** Why an answer that finished normally may still be incomplete. */
export function stopNote(reason: StopReason | null, maxTokens: number): string | undefined {
  switch (reason) {
    case 'max_tokens':
      return `The answer reached the limit of ${maxTokens} tokens (setting sonnet.maxTokens) and was cut short.`;
    case 'refusal':
      return 'The model declined to continue this answer.';
    case 'pause_turn':
      return 'The model paused its turn; ask it to continue.';
    case 'tool_use':
      return 'The model asked to use a tool, which this version cannot run yet.';
    default:
      return undefined;
  }
}
