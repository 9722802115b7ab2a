/**
 * Runs one compaction: the summary request for the turns the plan covers, checked (complete, and
 * smaller than what it replaces), then kept on the turn after which its card shows. Anything else
 * (an error, a cut-off or too long summary) leaves the conversation as it was and says why; Stop
 * throws the aborted error, for the caller to end what it was doing.
 */
import { ApiError } from '../api/errors';
import type { Logger } from '../api/log';
import { compactedHistory, SUMMARY_ACKNOWLEDGED, SUMMARY_PREFIX, type CompactionPlan } from './compaction';
import { summaryRequest, summaryText } from './compactionRequest';
import { compactionView, type Conversation, type Turn } from './conversation';
import type { MessagesApi } from './toolLoop';
import type { ChatUpdate } from './turnRun';
import { sumUsage } from '../shared/usageSum';
import { usageView } from './usage';

export interface CompactionRunOptions {
  conversation: Conversation;
  plan: Extract<CompactionPlan, { compact: true }>;
  /** The turn where the compaction happens and its card shows. */
  anchor: Turn;
  /** Before the anchor's request (its card before its answer), or after its answer (on demand). */
  beforeAnswer: boolean;
  model: string;
  client: MessagesApi;
  signal: AbortSignal;
  log: Logger;
  post: (update: ChatUpdate) => void;
}

export type CompactionOutcome = { compacted: true } | { compacted: false; reason: string };

export async function runCompaction(options: CompactionRunOptions): Promise<CompactionOutcome> {
  const { conversation, plan, anchor, post, log, beforeAnswer } = options;
  const where = { turnId: anchor.id, ...(beforeAnswer ? { beforeAnswer } : {}) };
  const covered = compactedHistory(conversation.messages.slice(0, plan.coverMessages), conversation.latestCompaction());
  post({ type: 'compaction', ...where, running: true });
  let outcome: CompactionOutcome = { compacted: false, reason: 'it did not finish' };
  try {
    const request = summaryRequest(options.model, covered, conversation.calibration);
    const { message, cost } = await options.client.createMessage(request, { signal: options.signal });
    const summary = summaryText(message.content);
    // A turn holds one compaction: a later one there (on demand) takes in the earlier, and its cost.
    const usage = sumUsage([usageView(message, cost), ...(anchor.compaction?.usage ? [anchor.compaction.usage] : [])])!;
    outcome = checkSummary(summary, message.stop_reason, covered);
    if (outcome.compacted) {
      anchor.compaction = { coveredMessages: plan.coverMessages, coveredTurns: plan.coveredTurns, summary, usage, ...(beforeAnswer ? { beforeAnswer } : {}) };
      log.info(`Compacted ${plan.coveredTurns} turns into a summary of ${summary.length} chars (${usage.inputTokens} in, ${usage.outputTokens} out)`);
    }
    return outcome;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'aborted') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    outcome = { compacted: false, reason: `the summary request failed: ${reason}` };
    return outcome;
  } finally {
    if (!outcome.compacted) log.warn(`Compaction not done: ${outcome.reason}`);
    post({ type: 'compaction', ...where, ...(anchor.compaction ? { compaction: compactionView(anchor.compaction) } : {}) });
  }
}

/** A summary is used only when it is complete, not empty, and smaller than the messages it replaces. */
export function checkSummary(summary: string, stopReason: string | null, covered: readonly unknown[]): CompactionOutcome {
  if (stopReason !== 'end_turn') return { compacted: false, reason: `the summary did not end normally (${stopReason ?? 'no stop reason'})` };
  if (summary === '') return { compacted: false, reason: 'the summary was empty' };
  const replacement = JSON.stringify([
    { role: 'user', content: `${SUMMARY_PREFIX}${summary}` },
    { role: 'assistant', content: SUMMARY_ACKNOWLEDGED },
  ]).length;
  if (replacement >= JSON.stringify(covered).length) return { compacted: false, reason: 'the summary was not smaller than the turns it would replace' };
  return { compacted: true };
}

/** The turn's note when compaction was due but not done. */
export function compactionFailedNote(reason: string): string {
  return `The conversation could not be compacted (${reason}).`;
}
