/**
 * Compaction: when a conversation's next request would pass a share of the context window, its older
 * turns are replaced, in what is sent, by a summary the model writes of them. This module decides
 * when and what (plain data, no I/O); `compactionRun.ts` asks for the summary.
 */
import type { MessageParam } from '../api/types';
import type { UsageView } from '../shared/protocol';
import { CONTEXT_WINDOW_TOKENS, splitIntoTurns } from './contextWindow';

/** The latest turns an automatic compaction leaves as they are: what the user is working on now. */
export const KEEP_RECENT_TURNS = 2;
/** Sonnet: Compact Conversation was asked for: only the latest turn stays whole. */
export const KEEP_RECENT_TURNS_ON_DEMAND = 1;

/** What a compaction did, kept on the turn where it happened (its card shows there). */
export interface CompactionRecord {
  /** How many of the conversation's messages, from the first, the summary stands for. */
  coveredMessages: number;
  /** How many whole turns (earlier summaries' included) that is. */
  coveredTurns: number;
  summary: string;
  /** The summary request's tokens and credits; they count in the conversation's total. */
  usage?: UsageView;
  /** Done before the turn's request (automatically): the card shows before its answer, else after it (on demand). */
  beforeAnswer?: boolean;
}

/** Opens the user message that carries the summary in place of the turns it covers. */
export const SUMMARY_PREFIX = 'Summary of the conversation so far:\n\n';
/**
 * The assistant's side after the summary: the history must alternate, and the turn after it starts
 * with the user's prompt.
 */
export const SUMMARY_ACKNOWLEDGED = 'Understood. I will continue from this summary.';

/** The history as sent: the latest compaction's summary (two messages) in place of the messages it covers. */
export function compactedHistory(messages: readonly MessageParam[], compaction: CompactionRecord | undefined): MessageParam[] {
  if (!compaction) return [...messages];
  return [
    { role: 'user', content: `${SUMMARY_PREFIX}${compaction.summary}` },
    { role: 'assistant', content: SUMMARY_ACKNOWLEDGED },
    ...messages.slice(compaction.coveredMessages),
  ];
}

/**
 * `sonnet.compaction.threshold` as a number of tokens; undefined when automatic compaction is off (0).
 */
export function thresholdTokens(threshold: number): number | undefined {
  return threshold > 0 ? Math.floor(threshold * CONTEXT_WINDOW_TOKENS) : undefined;
}

export interface CompactionPlanInput {
  /** The next request's estimate, as it would be sent now (with the latest summary, if any). */
  estimatedTokens: number;
  /** Undefined: automatic compaction is off. */
  thresholdTokens: number | undefined;
  /** The conversation's whole history, every original turn. */
  messages: readonly MessageParam[];
  /** The latest compaction, whose summary a new one takes in. */
  latest: CompactionRecord | undefined;
  /**
   * False right after a compaction that left the context over the threshold: the next one waits until
   * the context has been under it again, so that one crossing compacts once.
   */
  armed: boolean;
  keepTurns: number;
  /** Asked for (the command): regardless of the threshold. */
  onDemand?: boolean;
}

export type CompactionPlan =
  | { compact: false; reason: 'off' | 'underThreshold' | 'alreadyCompacted' | 'nothingToCompact' }
  /** Summarize `messages.slice(0, coverMessages)` (the latest summary standing for its part). */
  | { compact: true; coverMessages: number; coveredTurns: number };

export function planCompaction(input: CompactionPlanInput): CompactionPlan {
  if (!input.onDemand) {
    if (input.thresholdTokens === undefined) return { compact: false, reason: 'off' };
    if (input.estimatedTokens <= input.thresholdTokens) return { compact: false, reason: 'underThreshold' };
    if (!input.armed) return { compact: false, reason: 'alreadyCompacted' };
  }
  const covered = input.latest?.coveredMessages ?? 0;
  const turns = splitIntoTurns(input.messages.slice(covered));
  const newlyCovered = turns.length - input.keepTurns;
  if (newlyCovered <= 0) return { compact: false, reason: 'nothingToCompact' };
  const coverMessages = covered + turns.slice(0, newlyCovered).reduce((sum, turn) => sum + turn.length, 0);
  return { compact: true, coverMessages, coveredTurns: (input.latest?.coveredTurns ?? 0) + newlyCovered };
}

/**
 * Whether compaction may run again after a request estimated at `estimatedTokens`: re-armed once the
 * context is under the threshold, disarmed by a compaction that could not bring it under.
 */
export function armedAfter(estimatedTokens: number, threshold: number | undefined): boolean {
  return threshold === undefined || estimatedTokens <= threshold;
}
