/**
 * Credits as every part of Sonnet Chat writes them (the view's header and usage lines, the status bar,
 * messages): one formatter, so the same balance never reads two ways. Pure, for both sides.
 */

/**
 * Grouped thousands; two decimals below 100 (`99.50`, `0.75`), none from 100 on (`1,233`); amounts
 * too small for two decimals with two significant digits (`0.0046`), so a cheap answer is not `0.00`.
 * Zero is `0`, a negative amount keeps its sign, and anything not a finite number is `unknown`.
 */
export function formatCredits(credits: number): string {
  if (!Number.isFinite(credits)) return 'unknown';
  if (credits === 0) return '0';
  const size = Math.abs(credits);
  const sign = credits < 0 ? '-' : '';
  if (size < 0.005) return sign + size.toPrecision(2);
  // Decided on the amount as rounded to cents: 99.996 is written 100, not 100.00.
  const cents = Math.round(size * 100);
  const digits = cents >= 100_00 ? 0 : 2;
  return sign + (digits === 0 ? Math.round(size) : cents / 100).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `1,233 credits`. */
export function creditsText(credits: number): string {
  return `${formatCredits(credits)} credits`;
}
