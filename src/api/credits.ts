/** The balance from `GET /credits`, whose shape the provider does not document. */
export interface CreditsBalance {
  /** Undefined when no number could be found in the answer. */
  balance: number | undefined;
  raw: unknown;
}

const BALANCE_FIELDS = ['credits', 'balance', 'remaining_credits', 'credit_balance', 'available_credits', 'available', 'remaining', 'amount'];

/**
 * Finds the balance in whatever the provider sent: a bare number, or a number (or numeric string) under
 * one of the usual names, at the top level or one level down (`data`, `result`, ...).
 */
export function readCreditsBalance(text: string): CreditsBalance {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const bare = Number(text.trim());
    return { balance: text.trim() !== '' && Number.isFinite(bare) ? bare : undefined, raw: text };
  }
  return { balance: findBalance(raw, 2), raw };
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function findBalance(value: unknown, depth: number): number | undefined {
  const direct = asNumber(value);
  if (direct !== undefined || !value || typeof value !== 'object' || depth === 0) return direct;
  const record = value as Record<string, unknown>;
  for (const field of BALANCE_FIELDS) {
    const found = findBalance(record[field], 0);
    if (found !== undefined) return found;
  }
  for (const nested of Object.values(record)) {
    if (nested && typeof nested === 'object') {
      const found = findBalance(nested, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
