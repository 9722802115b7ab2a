/**
 * A command's output, kept within a fixed size however much it prints: its first lines and its last,
 * with a count of what lies between. Ten megabytes of output cost the same memory as ten kilobytes, and
 * the result reads "… N lines left out …" where the middle was.
 */
import { plainTerminalText } from './terminalText';

export interface CaptureLimits {
  /** Characters kept from the start. */
  headChars: number;
  /** Characters kept from the end (errors and summaries are at the end, so more of it). */
  tailChars: number;
}

export const COMMAND_OUTPUT_LIMITS: CaptureLimits = { headChars: 8_000, tailChars: 16_000 };

export class OutputCapture {
  private head = '';
  private tail = '';
  /** Whether anything was dropped between head and tail. */
  private dropped = false;
  private droppedLines = 0;
  private droppedChars = 0;
  private total = 0;

  constructor(private readonly limits: CaptureLimits = COMMAND_OUTPUT_LIMITS) {}

  /** Characters received so far. */
  get received(): number {
    return this.total;
  }

  add(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < this.limits.headChars) {
      const room = this.limits.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
      if (chunk === '') return;
    }
    this.tail += chunk;
    // Trimmed in steps of a tail's length, so a stream of small chunks is not copied at each one.
    if (this.tail.length > 2 * this.limits.tailChars) {
      const cut = this.tail.length - this.limits.tailChars;
      this.drop(this.tail.slice(0, cut));
      this.tail = this.tail.slice(cut);
    }
  }

  /** The output so far, plain (see `plainTerminalText`), its middle left out if it was too long. */
  text(): string {
    let tail = this.tail;
    let { dropped, droppedLines: lines, droppedChars: chars } = this;
    if (tail.length > this.limits.tailChars) {
      const excess = tail.slice(0, tail.length - this.limits.tailChars);
      lines += countLines(excess);
      chars += excess.length;
      tail = tail.slice(excess.length);
      dropped = true;
    }
    if (!dropped) return plainTerminalText(this.head + tail);
    // Cut at line breaks so that no half line (or half escape sequence) is shown.
    let head = this.head;
    const headEnd = head.lastIndexOf('\n');
    if (headEnd >= 0) {
      chars += head.length - headEnd - 1;
      head = head.slice(0, headEnd + 1);
    }
    const tailStart = tail.indexOf('\n');
    if (tailStart >= 0 && tailStart < tail.length - 1) {
      lines += 1;
      chars += tailStart + 1;
      tail = tail.slice(tailStart + 1);
    }
    const gap = lines > 0 ? `… ${lines} line${lines === 1 ? '' : 's'} left out …` : `… ${chars} characters left out …`;
    return `${plainTerminalText(head).replace(/\n$/, '')}\n${gap}\n${plainTerminalText(tail)}`;
  }

  private drop(text: string): void {
    this.dropped = true;
    this.droppedChars += text.length;
    this.droppedLines += countLines(text);
  }}

/** Line breaks in `text`: each one ends a line that is then left out. */
function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
