/**
 * One turn's life, from its request to its end: the key and the client, the request assembled and
 * fitted to the window, the answer streamed into the turn's blocks, tool rounds, usage, and how it
 * ended (done, stopped or failed, with the card that says why). Everything it shows goes to `post`.
 */
import type { ClientOptions } from '../api/client';
import { abortedError, ApiError } from '../api/errors';
import { describeError, type Logger } from '../api/log';
import type { MessageParam, MessageRequest, StopReason } from '../api/types';
import type { HostToWebview } from '../shared/protocol';
import type { ToolRunner } from '../tools/types';
import { calibrationOf, imageTokensOf, requestChars } from './contextWindow';
import { userContent } from './promptImages';
import { withChatApprovals } from './chatApprovals';
import { appendToBlock, toTurnView, type Conversation, type Turn } from './conversation';
import { errorPresentation, missingApiKeyError } from './errorPresentation';
import { toolsOfMode } from './modeTools';
import type { SonnetConfig } from './settings';
import { runToolLoop, type MessagesApi, type ToolLoopEvents } from './toolLoop';
import { TurnRequests } from './turnRequests';
import { lastRequestTokens, totalUsage } from './usage';

/** What the chat reports as it runs: the protocol's messages, except the snapshots the view asks for and where it puts focus. */
export type ChatUpdate = Exclude<HostToWebview, { type: 'state' | 'earlierTurns' | 'focus' }>;

export interface TurnRunOptions {
  conversation: Conversation;
  turn: Turn;
  /** Read as the turn starts, inside its error handling: a setting that cannot be read fails the turn, not the chat. */
  readConfig: () => SonnetConfig;
  tools: ToolRunner;
  /** The stored key, or one the user is asked for now; undefined if they decline. */
  resolveApiKey: () => Promise<string | undefined>;
  createClient: (options: ClientOptions) => MessagesApi;
  signal: AbortSignal;
  log: Logger;
  post: (update: ChatUpdate) => void;
  /** The conversation's "Accept all edits in this chat" was chosen during the turn. */
  onApprovalsChange?: () => void;
  /** The conversation was compacted before one of the turn's requests. */
  onCompacted?: () => void;
  /** The turn's requests are over, just before it is said to have ended: the moment to update the context meter. */
  onRequestsEnded?: () => void;
}

/** Runs the turn to its end; every failure of the request becomes the turn's error card, never a throw. */
export async function runTurn(options: TurnRunOptions): Promise<void> {
  const { conversation, turn, signal, log, post } = options;
  try {
    const settings = options.readConfig();
    // A conversation keeps the thinking and the mode it began with, whatever the defaults for new chats become.
    conversation.thinking ??= settings.thinking;
    const mode = (conversation.mode ??= settings.defaultMode);
    if (turn.mode !== mode) {
      turn.mode = mode;
      // The same turn again: the view replaces it, now with its mode's label.
      post({ type: 'turnStarted', turn: toTurnView(turn) });
    }
    const config = { ...settings, thinking: conversation.thinking };
    const ofMode = toolsOfMode(options.tools, mode);
    const tools = withChatApprovals(ofMode, conversation.approvals, turn.id, config.maxAutoApprovedRounds, () => options.onApprovalsChange?.());
    const prompt: MessageParam = { role: 'user', content: userContent(turn.prompt.content, turn.prompt.images) };
    const requests = new TurnRequests({ conversation, turn, config, tools, log, post, onCompacted: () => options.onCompacted?.() });
    // Fitted before the key is asked for, so a turn too long for the window fails before anything else.
    requests.fit([prompt]);
    let lastRequest: MessageRequest | undefined;
    const apiKey = await options.resolveApiKey();
    if (signal.aborted) throw abortedError();
    if (!apiKey) throw missingApiKeyError();
    const client = options.createClient({ baseUrl: config.baseUrl, apiKey, timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, log });
    const result = await runToolLoop({
      client,
      tools,
      prompt,
      maxRounds: config.maxToolRounds,
      signal,
      log,
      buildRequest: async (current, definitions) => (lastRequest = await requests.next(current, definitions, client, signal)),
      events: streamInto(turn, post),
    });
    // Stopping keeps what had arrived, on screen and in the history.
    conversation.commit(turn, result.answer);
    const usage = totalUsage(result.rounds);
    if (result.status === 'done' && lastRequest) {
      conversation.calibration = calibrationOf(requestChars(lastRequest), result.rounds.at(-1)?.message.usage, imageTokensOf(lastRequest.messages)) ?? conversation.calibration;
    }
    conversation.lastRequestTokens = lastRequestTokens(result.rounds) ?? conversation.lastRequestTokens;
    const note = result.status === 'done' ? stopNote(result.stopReason, config) : undefined;
    turn.answer = { ...turn.answer, status: result.status, ...(usage ? { usage } : {}), ...(note ? { note } : {}) };
    options.onRequestsEnded?.();
    post({ type: 'turnFinished', turnId: turn.id, status: result.status, ...(usage ? { usage } : {}), ...(note ? { note } : {}) });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'aborted') {
      // Stopped before the request went out: nothing arrived.
      turn.answer = { ...turn.answer, status: 'stopped' };
      options.onRequestsEnded?.();
      post({ type: 'turnFinished', turnId: turn.id, status: 'stopped' });
    } else {
      const presentation = errorPresentation(error);
      // The client has logged a request's failure with its stack; anything else is a bug, with its own.
      if (error instanceof ApiError) log.error(`Turn failed: ${presentation.title} (${error.code})`);
      else log.error(`Turn failed: ${presentation.title}: ${describeError(error)}`);
      turn.answer = { ...turn.answer, status: 'failed', error: presentation };
      options.onRequestsEnded?.();
      post({ type: 'turnFailed', turnId: turn.id, error: presentation });
    }
  }
}

/** The loop's events kept in the turn's blocks (what is saved) and posted (what is shown), alike. */
function streamInto(turn: Turn, post: (update: ChatUpdate) => void): ToolLoopEvents {
  return {
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
  };
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
