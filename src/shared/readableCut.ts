/** What a tool card shows of a result before "Show all": a screenful, as the user reads it. */
export const CARD_RESULT_LINES = 40;
/** …and of very long lines, enough characters for that screenful. */
export const CARD_RESULT_CHARS = 4_000;

/**
 * The start of `text` that reads at a glance: at most `maxLines` lines and `maxChars` characters, cut
 * at a line break (a single line longer than that, within it). `cut` says whether anything is left out.
 */
export function readableStart(
  text: string,
  maxLines = CARD_RESULT_LINES,
  maxChars = CARD_RESULT_CHARS,
): { text: string; cut: boolean; totalLines: number } {
  const lines = text.split('\n');
  let shown = 0;
  let chars = 0;
  while (shown < lines.length && shown < maxLines && chars + lines[shown].length <= maxChars) {
    chars += lines[shown].length + 1;
    shown++;
  }
  if (shown === lines.length) return { text, cut: false, totalLines: lines.length };
  const start = shown === 0 ? lines[0].slice(0, maxChars) : lines.slice(0, shown).join('\n');
  return { text: start, cut: true, totalLines: lines.length };
}
