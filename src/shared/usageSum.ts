/**
 * Usage added up, for the view's conversation total. Shared: the view sums the answers it shows, the
 * host the answers of the turns it leaves out of what it sends (see `turnWindow.ts`).
 */
import type { UsageView } from './protocol';

/**
 * The usage of a whole conversation: the sum of its answers'. Credits count as computed if any
 * answer's were; undefined when no answer reported usage.
 */
export function sumUsage(usages: Iterable<UsageView>): UsageView | undefined {
  let total: UsageView | undefined;
  for (const usage of usages) {
    total = {
      inputTokens: (total?.inputTokens ?? 0) + usage.inputTokens,
      outputTokens: (total?.outputTokens ?? 0) + usage.outputTokens,
      credits: (total?.credits ?? 0) + usage.credits,
      creditsSource: total?.creditsSource === 'computed' || usage.creditsSource === 'computed' ? 'computed' : 'provider',
    };
  }
  return total;
}
