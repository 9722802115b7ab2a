/** `search_text` within one file's text: the matcher, and the matching lines as the model reads them. */
import { splitLines } from './format';

/** Longest line shown for a match; longer ones are cut around the match. */
const MAX_LINE_CHARS = 200;

export type Matcher = { ok: true; regex: RegExp } | { ok: false; error: string };

export function buildMatcher(query: string, options: { isRegex?: boolean; caseSensitive?: boolean }): Matcher {
  if (query === '') return { ok: false, error: 'The query is empty.' };
  const flags = options.caseSensitive ? '' : 'i';
  if (!options.isRegex) return { ok: true, regex: new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags) };
  try {
    return { ok: true, regex: new RegExp(query, flags) };
  } catch (error) {
    return { ok: false, error: `The regular expression is invalid: ${(error as Error).message}.` };
  }
}

export interface LineMatch {
  /** 1-based. */
  line: number;
  text: string;
}

/** The lines of `text` that match, at most `max`, each cut to a readable length around the match. */
export function matchingLines(text: string, regex: RegExp, max: number): LineMatch[] {
  const matches: LineMatch[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length && matches.length < max; i++) {
    const found = regex.exec(lines[i]);
    if (found) matches.push({ line: i + 1, text: around(lines[i], found.index) });
  }
  return matches;
}

/** A matching line as shown: trimmed, and cut to a readable length around the match at `at`. */
export function around(line: string, at: number): string {
  const trimmed = line.trim();
  if (trimmed.length <= MAX_LINE_CHARS) return trimmed;
  const from = Math.max(0, Math.min(at - MAX_LINE_CHARS / 4, line.length - MAX_LINE_CHARS));
  return `${from > 0 ? '…' : ''}${line.slice(from, from + MAX_LINE_CHARS).trim()}…`;
}
