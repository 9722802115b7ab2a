/** What a turn used, as the view shows it: tokens and credits of every request of its tool rounds. */
import type { Cost } from '../api/pricing';
import type { Message } from '../api/types';
import type { UsageView } from '../shared/protocol';

export function usageView(message: Message, cost: Cost): UsageView {
  const usage = message.usage ?? { input_tokens: 0, output_tokens: 0 };
  const inputTokens = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  return { inputTokens, outputTokens: usage.output_tokens ?? 0, credits: cost.credits, creditsSource: cost.source };
}

/**
 * Whether the message's usage is what the provider counted. `message_start` carries a placeholder
 * output count (1) that `message_delta`, with the stop reason, replaces; an answer stopped before it
 * never learnt its real numbers.
 */
function usageIsFinal(message: Message): boolean {
  return (message.stop_reason ?? null) !== null || message.credits_consumed !== undefined;
}

/**
 * A turn's usage: every request of its tool rounds added up; `provider` only if it reported each
 * charge. Rounds stopped before their usage came are left out: undefined when none is left.
 */
export function totalUsage(rounds: ReadonlyArray<{ message: Message; cost: Cost }>): UsageView | undefined {
  const views = rounds.filter((round) => usageIsFinal(round.message)).map((round) => usageView(round.message, round.cost));
  if (views.length === 0) return undefined;
  return views.reduce((sum, view) => ({
    inputTokens: sum.inputTokens + view.inputTokens,
    outputTokens: sum.outputTokens + view.outputTokens,
    credits: sum.credits + view.credits,
    creditsSource: sum.creditsSource === 'provider' && view.creditsSource === 'provider' ? 'provider' : 'computed',
  }));
}

/** The input tokens the provider counted for the last request whose usage came, for the context meter. */
export function lastRequestTokens(rounds: ReadonlyArray<{ message: Message; cost: Cost }>): number | undefined {
  const last = rounds.filter((round) => usageIsFinal(round.message)).at(-1);
  return last ? usageView(last.message, last.cost).inputTokens : undefined;
}
