/**
 * The requests of one turn: each fitted to the window (`fitRequest`), and, before one that passes
 * the compaction threshold, the conversation compacted first. The turn's note says what was left
 * out, cleared, or why compaction was not done.
 */
import type { Logger } from '../api/log';
import type { MessageParam, MessageRequest, ToolDefinition } from '../api/types';
import type { ToolRunner } from '../tools/types';
import { armedAfter, KEEP_RECENT_TURNS, planCompaction, thresholdTokens } from './compaction';
import { compactionFailedNote, runCompaction } from './compactionRun';
import { toTurnView, type Conversation, type Turn } from './conversation';
import { fitRequest, type FittedRequest } from './requestBuilder';
import type { SonnetConfig } from './settings';
import type { MessagesApi } from './toolLoop';
import type { ChatUpdate } from './turnRun';

export interface TurnRequestsOptions {
  conversation: Conversation;
  turn: Turn;
  config: SonnetConfig;
  tools: Pick<ToolRunner, 'describe' | 'definitions'>;
  log: Logger;
  post: (update: ChatUpdate) => void;
  /** The conversation was compacted: a moment to save it and update the meter. */
  onCompacted: () => void;
}

export class TurnRequests {
  private compactionNote: string | undefined;
  private readonly threshold: number | undefined;

  constructor(private readonly options: TurnRequestsOptions) {
    this.threshold = thresholdTokens(options.config.compactionThreshold);
  }

  /** The request as it would go now, without compacting; throws when the turn alone is too long. */
  fit(current: MessageParam[], definitions: ToolDefinition[] = this.options.tools.definitions()): FittedRequest {
    const { conversation, config, tools } = this.options;
    return fitRequest(conversation, config, current, definitions, {
      thresholdTokens: this.threshold,
      describeCall: (call) => tools.describe(call.name, call.input).summary,
    });
  }

  /** The next request, after compacting the conversation if it passes the threshold. */
  async next(current: MessageParam[], definitions: ToolDefinition[], client: MessagesApi, signal: AbortSignal): Promise<MessageRequest> {
    const { conversation, turn } = this.options;
    let fitted = this.fit(current, definitions);
    const plan = planCompaction({
      estimatedTokens: fitted.wholeTokens,
      thresholdTokens: this.threshold,
      messages: conversation.messages,
      latest: conversation.latestCompaction(),
      armed: conversation.compactionArmed,
      keepTurns: KEEP_RECENT_TURNS,
    });
    if (plan.compact) {
      const outcome = await runCompaction({ conversation, plan, anchor: turn, beforeAnswer: true, model: this.options.config.model, client, signal, log: this.options.log, post: this.options.post });
      this.compactionNote = outcome.compacted ? undefined : compactionFailedNote(outcome.reason);
      fitted = this.fit(current, definitions);
      // Tried once for this crossing, done or not: the next waits until the context is under the threshold again.
      conversation.compactionArmed = armedAfter(fitted.wholeTokens, this.threshold);
      this.options.onCompacted();
    } else if (armedAfter(fitted.wholeTokens, this.threshold)) {
      conversation.compactionArmed = true;
    }
    this.showNote(fitted.contextNote);
    return fitted.request;
  }

  private showNote(fitNote: string | undefined): void {
    const { turn, post } = this.options;
    const notes = [this.compactionNote, fitNote].filter((note) => note !== undefined);
    const contextNote = notes.length > 0 ? notes.join(' ') : undefined;
    if (contextNote === turn.contextNote) return;
    turn.contextNote = contextNote;
    // The same turn again: the view replaces it, now with the note.
    post({ type: 'turnStarted', turn: toTurnView(turn) });
  }
}
