/**
 * Up-arrow recall of the prompts the user sent, as in a shell: Up shows older ones, Down newer ones and
 * finally the text that was in the box before recall began. Pure, so Node's unit tests run it.
 */

/** How many sent prompts are kept. */
const LIMIT = 50;

export class PromptRecall {
  private readonly sent: string[];
  /** Index into `sent` of the prompt shown, while recalling. */
  private position: number | undefined;
  /** What the box held when recall began, given back after the newest prompt. */
  private draft = '';

  constructor(sent: readonly string[] = []) {
    this.sent = sent.slice(-LIMIT);
  }

  /** Oldest first, for saving with the view's state. */
  get entries(): readonly string[] {
    return this.sent;
  }

  get recalling(): boolean {
    return this.position !== undefined;
  }

  /** Records a sent prompt (a repeat of the last one is kept once) and ends recall. */
  remember(text: string): void {
    if (text.trim() === '') return;
    if (this.sent[this.sent.length - 1] !== text) this.sent.push(text);
    if (this.sent.length > LIMIT) this.sent.splice(0, this.sent.length - LIMIT);
    this.reset();
  }

  /** The user edited the box: what is there now is theirs, and Up starts again from the newest. */
  reset(): void {
    this.position = undefined;
  }

  /** The prompt before the one shown (the newest, when recall begins); undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.position === undefined) {
      if (this.sent.length === 0) return undefined;
      this.draft = current;
      this.position = this.sent.length - 1;
      return this.sent[this.position];
    }
    if (this.position === 0) return undefined;
    return this.sent[--this.position];
  }

  /** The prompt after the one shown; past the newest, the draft, which ends recall. */
  next(): string | undefined {
    if (this.position === undefined) return undefined;
    if (this.position < this.sent.length - 1) return this.sent[++this.position];
    this.position = undefined;
    return this.draft;
  }
}

/** Where the caret is in the input box, and whether recall is under way. */
export interface RecallContext {
  value: string;
  selectionStart: number;
  selectionEnd: number;
  recalling: boolean;
}

/**
 * Whether an arrow key recalls a prompt rather than moves the caret: Up in an empty box, with the
 * caret at the very start, or on the first line of a recalled prompt; Down on the last line of a
 * recalled prompt. Other text the user is editing keeps its ordinary arrow keys.
 */
export function recallDirection(key: string, { value, selectionStart, selectionEnd, recalling }: RecallContext): 'previous' | 'next' | undefined {
  if (selectionStart !== selectionEnd) return undefined;
  if (key === 'ArrowUp') {
    const onFirstLine = !value.slice(0, selectionStart).includes('\n');
    return value === '' || selectionStart === 0 || (recalling && onFirstLine) ? 'previous' : undefined;
  }
  if (key === 'ArrowDown') {
    const onLastLine = !value.slice(selectionEnd).includes('\n');
    return recalling && onLastLine ? 'next' : undefined;
  }
  return undefined;
}
