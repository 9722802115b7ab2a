/** Tokens and credits as the view writes them. Pure, so Node's unit tests run it. */
import { creditsText } from '../shared/credits';
import type { UsageView } from '../shared/protocol';

/** `≈` marks credits worked out from the price table rather than reported by the provider. */
function chargeText(usage: UsageView): string {
  return `${usage.creditsSource === 'computed' ? '≈' : ''}${creditsText(usage.credits)}`;
}

/** One answer's usage: `1,234 in · 56 out · 0.12 credits`. */
export function usageText(usage: UsageView): string {
  return `${usage.inputTokens.toLocaleString('en-US')} in · ${usage.outputTokens.toLocaleString('en-US')} out · ${chargeText(usage)}`;
}

/** The conversation's total, for the header: `This chat: ≈0.42 credits`. */
export function totalText(total: UsageView): string {
  return `This chat: ${chargeText(total)}`;
}
