/**
 * Credits as every part of Sonnet Chat writes them (the view's header and usage lines, the status bar,
 * messages): one formatter, so the same balance never reads two ways. Pure, for both sides.
 */

/**
 * Grouped thousands; two decimals below 100 (`99.50`, `0.75`), none from 100 on (`1,233`); amounts
 * too small for two decimals with two significant digits, in fixed point (`0.0046`, `0.00000010`), so a
 * cheap answer is not `0.00`.
 * Zero is `0`, a negative amount keeps its sign, and anything not a finite number is `unknown`.
 */
export function formatCredits(credits: number): string {
  if (!Number.isFinite(credits)) return 'unknown';
  if (credits === 0) return '0';
  const size = Math.abs(credits);
  const sign = credits < 0 ? '-' : '';
  // Decided on the amount as rounded to two significant digits: 0.004999 would read 0.0050, and is
  // written 0.01 as 0.005 is.
  const small = Number(size.toPrecision(2));
  if (small < 0.005) return sign + small.toLocaleString('en-US', { minimumSignificantDigits: 2, maximumSignificantDigits: 2 });
  // Decided on the amount as rounded to cents: 99.996 is written 100, not 100.00.
  // (What rounds up to 0.0050 goes by that: 0.00495 is one cent too.)
  const cents = Math.round((size < 0.005 ? small : size) * 100);
  const digits = cents >= 100_00 ? 0 : 2;
  return sign + (digits === 0 ? Math.round(size) : cents / 100).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `1,233 credits`. */
export function creditsText(credits: number): string {
  return `${formatCredits(credits)} credits`;
}
