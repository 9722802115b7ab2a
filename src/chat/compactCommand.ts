/**
 * Sonnet: Compact Conversation: the conversation on screen compacted now, whatever the threshold,
 * keeping only its latest turn whole. Whatever stops it (nothing to compact, no key, a failed or too
 * long summary, Stop) is said in a note after the last turn.
 */
import type { ClientOptions } from '../api/client';
import { ApiError } from '../api/errors';
import type { Logger } from '../api/log';
import { armedAfter, KEEP_RECENT_TURNS_ON_DEMAND, planCompaction, thresholdTokens } from './compaction';
import { compactionFailedNote, runCompaction } from './compactionRun';
import type { Conversation } from './conversation';
import { fitRequest } from './requestBuilder';
import type { SonnetConfig } from './settings';
import type { MessagesApi } from './toolLoop';
import type { ChatUpdate } from './turnRun';

export interface CompactNowOptions {
  conversation: Conversation;
  readConfig(): SonnetConfig;
  resolveApiKey(): Promise<string | undefined>;
  createClient(options: ClientOptions): MessagesApi;
  signal: AbortSignal;
  log: Logger;
  post: (update: ChatUpdate) => void;
}

export const NOTHING_TO_COMPACT = 'Nothing to compact: there are no turns before the latest one that are not summarized yet.';

export async function compactNow(options: CompactNowOptions): Promise<void> {
  const { conversation, post } = options;
  const anchor = conversation.lastTurn;
  if (!anchor) return;
  const note = (text: string) => post({ type: 'compaction', turnId: anchor.id, note: text });
  const plan = planCompaction({
    estimatedTokens: 0,
    thresholdTokens: undefined,
    messages: conversation.messages,
    latest: conversation.latestCompaction(),
    armed: true,
    keepTurns: KEEP_RECENT_TURNS_ON_DEMAND,
    onDemand: true,
  });
  if (!plan.compact) return note(NOTHING_TO_COMPACT);
  try {
    const config = options.readConfig();
    const apiKey = await options.resolveApiKey();
    if (!apiKey) return note(compactionFailedNote('no API key is set'));
    const client = options.createClient({ baseUrl: config.baseUrl, apiKey, timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, log: options.log });
    const outcome = await runCompaction({ conversation, plan, anchor, beforeAnswer: false, model: config.model, client, signal: options.signal, log: options.log, post });
    if (!outcome.compacted) return note(compactionFailedNote(outcome.reason));
    const threshold = thresholdTokens(config.compactionThreshold);
    conversation.compactionArmed = armedAfter(fitRequest(conversation, config, [], []).wholeTokens, threshold);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'aborted') return note('Compaction stopped.');
    note(compactionFailedNote(error instanceof Error ? error.message : String(error)));
  }
}
