import type { Message, Usage } from './types';

/** The provider's price table for claude-sonnet-4-6, per million tokens: the one place it is written. */
export const PRICE_PER_MILLION_TOKENS = {
  input: { credits: 300, dollars: 1.5 },
  output: { credits: 1500, dollars: 7.5 },
} as const;

/** Dollars per credit, as the table implies (300 credits = $1.50). */
export const DOLLARS_PER_CREDIT = PRICE_PER_MILLION_TOKENS.input.dollars / PRICE_PER_MILLION_TOKENS.input.credits;

export interface Cost {
  credits: number;
  dollars: number;
  /** `provider` when the response said what it charged, `computed` when worked out from `usage`. */
  source: 'provider' | 'computed';
}

/** Every input token is billed at the input rate, cached or not: the provider's table has no cache rates. */
function billedInputTokens(usage: Usage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

export function costFromUsage(usage: Usage): Cost {
  const input = billedInputTokens(usage) / 1_000_000;
  const output = (usage.output_tokens ?? 0) / 1_000_000;
  const credits = input * PRICE_PER_MILLION_TOKENS.input.credits + output * PRICE_PER_MILLION_TOKENS.output.credits;
  return { credits, dollars: credits * DOLLARS_PER_CREDIT, source: 'computed' };
}

/** What a message cost: the provider's `credits_consumed` when present, otherwise the price table. */
export function costOfMessage(message: Message): Cost {
  if (typeof message.credits_consumed === 'number') {
    return { credits: message.credits_consumed, dollars: message.credits_consumed * DOLLARS_PER_CREDIT, source: 'provider' };
  }
  return costFromUsage(message.usage);
}
