/** Tokens and credits as the view writes them. Pure, so Node's unit tests run it. */
import { formatCredits } from '../shared/credits';
import type { UsageView } from '../shared/protocol';

/** `≈` marks credits worked out from the price table rather than reported by the provider. */
function creditsAmount(usage: UsageView): string {
  return `${usage.creditsSource === 'computed' ? '≈' : ''}${formatCredits(usage.credits)}`;
}

/** One answer's usage: `1,234 in · 56 out · 0.12 credits`. */
export function usageText(usage: UsageView): string {
  return `${usage.inputTokens.toLocaleString('en-US')} in · ${usage.outputTokens.toLocaleString('en-US')} out · ${creditsAmount(usage)} credits`;
}

/** The conversation's total, for the header: `This chat: ≈0.42` (the header has no room for the unit). */
export function totalText(total: UsageView): string {
  return `This chat: ${creditsAmount(total)}`;
}
