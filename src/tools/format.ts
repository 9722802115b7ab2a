/**
 * How tool results read, for the model and in the tool card, and where they are cut: a result is part
 * of the next request, so an unbounded one would cost the whole context window.
 */

/** About 15k tokens: enough for a large source file, small beside the 200k window. */
export const MAX_RESULT_CHARS = 60_000;
/** What the tool card shows of the arguments. */
const CARD_INPUT_CHARS = 2_000;

/** Lines of `text` numbered for reading, e.g. `  12 | const a = 1;`, cut to `maxChars` at a line break. */
export function numberedLines(
  text: string,
  options: { startLine?: number; endLine?: number; maxChars?: number; path: string },
): { text: string; error?: undefined } | { error: string } {
  const lines = splitLines(text);
  const total = lines.length;
  const start = options.startLine ?? 1;
  const end = Math.min(options.endLine ?? total, total);
  if (start > total) return { error: `${options.path} has ${total} line${total === 1 ? '' : 's'}; startLine ${start} is past its end.` };
  if (end < start) return { error: `endLine (${end}) is before startLine (${start}).` };
  const width = String(end).length;
  const maxChars = options.maxChars ?? MAX_RESULT_CHARS;
  const out: string[] = [];
  let used = 0;
  let last = start - 1;
  for (let n = start; n <= end; n++) {
    const line = `${String(n).padStart(width)} | ${lines[n - 1]}`;
    if (used + line.length + 1 > maxChars && n > start) break;
    out.push(line.length > maxChars ? `${line.slice(0, maxChars)}…` : line);
    used += line.length + 1;
    last = n;
  }
  const header = `${options.path}, lines ${start}–${last} of ${total}:`;
  const notes: string[] = [];
  if (last < end) notes.push(`[Cut off after line ${last} to keep the result short; read on with startLine ${last + 1}.]`);
  return { text: [header, ...out, ...notes].join('\n') };
}

/** Lines as an editor counts them: a final line break does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [''];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Text files have no NUL bytes; binary formats nearly always have one near the start. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8_000);
  return head.includes(0);
}

/** At most `max` characters, with a note saying how much was left out. */
export function capText(text: string, max = MAX_RESULT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[Cut off: ${text.length - max} more characters not shown.]`;
}

/** The arguments as the tool card shows them: pretty JSON, shortened when long. */
export function cardInput(input: unknown): string {
  return cardRawInput(JSON.stringify(input ?? {}, null, 2) ?? '');
}

/** Arguments that are not valid JSON, shown as the model sent them (shortened when long). */
export function cardRawInput(text: string): string {
  return text.length > CARD_INPUT_CHARS ? `${text.slice(0, CARD_INPUT_CHARS)}…` : text;
}
