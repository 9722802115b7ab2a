/**
 * Incremental rendering of a streamed answer. The text only grows; its beginning is cut, at block
 * boundaries that later text can no longer move, into finished blocks, rendered once; only the rest
 * (the tail: usually the one block being written) is parsed again when text arrives.
 *
 * The finished-block rule. Let the tail be the text after the last cut, parsed on its own. A cut may be
 * made before a top-level block B of the tail when
 *   (1) the line before B's first line is blank (spaces and tabs only), and
 *   (2) B's first line is complete (a line break follows it).
 * Everything before B is then finished. Why that is final, whatever text follows:
 *   - A blank line closes every block except three, which may go on past it: a list (a next item, or
 *     indented content), an indented code block (more indented lines) and a fenced code block (until
 *     its closing fence). Paragraphs (and so setext headings, lazy continuation lines, and the tables
 *     that interrupt them), block quotes, tables, ATX headings, rules and link reference definitions
 *     end at a blank line at the latest; markdown-it's rules for them stop scanning there.
 *   - A list or indented code block goes on past a blank line only if the next non-blank line (B's first
 *     line, by (1)) is a same-type list item or indented enough; markdown-it decides that from that line
 *     alone, and (2) fixes it. An unclosed fence extends to the end of the text, so B would not exist;
 *     a closed one is fixed by its closing line, which is complete.
 *   - So the blocks before B end before B whatever is appended, and B starts at the top level with no
 *     open container: markdown-it parses the text from B on exactly as it parses it standalone (no
 *     block rule looks back). With raw HTML off there are no HTML blocks, whose rules differ. Past
 *     markdown-it's nesting limit (100 levels), a list swallows all the text after it: it then reaches
 *     the end, so no cut follows it either.
 *   - Rendering is per token and the tokens at the cut are top-level open/close pairs, so the HTML of
 *     the whole is the HTML of the pieces, joined. The two things that cross blocks are carried over:
 *     code blocks are numbered from the count before the piece, and link reference definitions (which
 *     may come *after* the links that use them) go through {@link ReferenceScope}s: each finished
 *     block records the labels it looked up, and is rendered again when the definition of one of those
 *     labels appears, changes or disappears (a definition in the unfinished tail can still change).
 *     This is the only time a finished block is rendered again, and the update says so (`changed`).
 * Hence, after every call that left nothing to do ({@link StreamingMarkdown.busy} false) and nothing
 * unrendered, `blocks.join('') + tail === renderMarkdown(text so far)`, and once the message has ended and
 * been rendered, `blocks.join('') === renderMarkdown(whole text)`. The unit tests check this for many
 * texts cut at random points.
 *
 * The rule has two more cases, for fenced code: a cut may also be made before a top-level fence whose
 * first line is complete, blank line or not (a fence line interrupts every block before it, and what
 * follows cannot change that it is a fence), and after a top-level fence that is closed (its closing
 * line ends it, whatever follows, and the next line starts afresh).
 *
 * Cost, so that a frame costs the same however long the answer is:
 *   - Text is taken in steps of at most {@link STEP} characters, and {@link StreamingMarkdown.render}
 *     stops between steps when its time is up: a frame's work is bounded, the rest waits for the next.
 *   - The tail is parsed again on each step, and is usually one block. A fence left open (the answer
 *     is writing code) is not parsed again at all: its lines are checked for the closing fence and
 *     highlighted once each as they complete ({@link CodeHighlighter}); only the last line, still being
 *     written, is provisional.
 *   - A tail that finds no cut (one huge paragraph, list or table) is parsed again only once it has
 *     grown by a quarter since its last parse, so parsing it costs a bounded multiple of its length in
 *     all; meanwhile its unparsed end is reported as plain text (`unrendered`).
 */
import { CodeHighlighter } from './highlight';
import {
  CODE_BLOCK_CLOSING, type Definition, type Definitions, ReferenceScope, codeBlockOpening, fenceContentLine, fenceLanguage, parseMarkdown,
  renderTokens,
} from './render';
import type { Token } from 'markdown-it';

/**
 * Most text one step takes into the tail. A step cannot be interrupted, and the page lays out its HTML
 * in the same frame: 16 KB steps made frames of 50 ms in Chromium, 4 KB ones stay well under.
 */
const STEP = 4 * 1024;
/** A tail longer than this is parsed again only after growing by a quarter. */
const LONG_TAIL = 32 * 1024;

/** What one call changed, for a view that keeps an element per finished block and one for the tail. */
export interface MarkdownUpdate {
  /**
   * The code block being written at the end of the message, when there is one. If `opening` is set
   * it began in this update, after the `finished` blocks; otherwise it is the one of the last update,
   * and when `closed`, it is the first of `finished` (the view may keep the element it built).
   */
  readonly code?: CodeUpdate;
  /** HTML of the blocks this call finished, in order, after the ones finished before. */
  readonly finished: readonly string[];
  /**
   * Earlier finished blocks whose HTML changed (by index into {@link StreamingMarkdown.blocks}): only when
   * a link reference definition arrived after a block that uses it. Usually empty.
   */
  readonly changed: ReadonlyArray<{ readonly index: number; readonly html: string }>;
  /** HTML of the unfinished tail, replacing the previous one (`''` while a code block is the tail). */
  readonly tail: string;
  /** Text of the tail not parsed yet (a long tail waiting to grow), to show as plain text after it. */
  readonly unrendered?: string;
}

/** The lines of an open code block that one update settled, and its provisional end. */
export interface CodeUpdate {
  /** The block's markup up to its code (toolbar, `<pre><code>`), when it began in this update. */
  readonly opening?: string;
  /** HTML to append to the code: final. */
  readonly settled: string;
  /** HTML of the code's unfinished end, replacing the previous one. */
  readonly provisional: string;
  /** The block ended: the markup after its code is {@link CODE_BLOCK_CLOSING}. */
  readonly closed: boolean;
}

interface FinishedBlock {
  readonly source: string;
  html: string;
  /** The index of its first code block in the message. */
  readonly codeBase: number;
  /** Link reference labels its inline content looked up. */
  uses: ReadonlySet<string>;
}

interface Cut {
  /** Offset in the tail's source where the part that stays unfinished begins. */
  readonly offset: number;
  /** Index of the first token after the cut. */
  readonly tokenIndex: number;
}

/** A top-level fence still open at the end of the message, taken line by line. */
interface OpenCode {
  /** `` ` `` or `~`, and how many of them opened it: a closing fence has at least as many. */
  readonly marker: string;
  readonly length: number;
  /** Columns of the opening line's indentation, taken off each line of code. */
  readonly indent: number;
  readonly codeIndex: number;
  readonly highlighter: CodeHighlighter;
  /** Its text so far, opening line included. */
  source: string;
  /** Its markup so far: the opening, then the settled code. */
  html: string;
  /** Its provisional end, as last reported. */
  provisional: string;
}

const NOTHING: readonly string[] = [];
const UNCHANGED: ReadonlyArray<{ index: number; html: string }> = [];

/** Columns of a line's leading spaces and tabs, tabs to the next multiple of 4 (as markdown-it). */
function indentColumns(line: string): number {
  let columns = 0;
  for (const ch of line) {
    if (ch === ' ') columns++;
    else if (ch === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

/**
 * What markdown-it makes a line of the text after the last line break: nothing if it is only spaces
 * and tabs (a line still being written that may yet be blank).
 */
function lastLinePart(text: string): string {
  const part = text.slice(text.lastIndexOf('\n') + 1);
  return /^[ \t]*$/.test(part) ? '' : part;
}

/** Whether `line` (with or without its line break) closes `code`, by markdown-it's fence rule. */
function closes(code: OpenCode, line: string): boolean {
  const fence = /^[ \t]*(`+|~+)[ \t]*\n?$/.exec(line);
  return fence !== null && fence[1][0] === code.marker && fence[1].length >= code.length && indentColumns(line) < 4;
}

/**
 * The last place the tail can be cut (see the module comment): before a top-level block whose first line
 * is complete and follows a blank line or a fence, or is a fence.
 */
function findCut(source: string, tokens: readonly Token[]): Cut | undefined {
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const complete = (line: number) => line + 1 < lineStarts.length;
  const blank = (line: number) => /^[ \t]*$/.test(source.slice(lineStarts[line], lineStarts[line + 1] - 1));
  for (let t = tokens.length - 1; t >= 0; t--) {
    const token = tokens[t];
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const start = token.map[0];
    if (start === 0) return undefined;
    const fenceBefore = tokens[t - 1]?.type === 'fence' && tokens[t - 1].level === 0;
    if (complete(start) && (blank(start - 1) || token.type === 'fence' || fenceBefore)) return { offset: lineStarts[start], tokenIndex: t };
  }
  return undefined;
}

function sameDefinition(a: Definition | undefined, b: Definition | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.href === b.href && a.title === b.title);
}

/**
 * Renders one message as it streams in. {@link write} each delta (or a frame's worth of them joined),
 * {@link end} it when the message is complete, and {@link render} as long as {@link busy}, applying each
 * returned update to the DOM (or read {@link blocks} and {@link tail}). {@link append} and {@link finish}
 * do both at once, with no time limit.
 */
export class StreamingMarkdown {
  private readonly finishedBlocks: FinishedBlock[] = [];
  /** HTML of the finished blocks, kept alongside for {@link blocks}. */
  private readonly finishedHtml: string[] = [];
  /** Source of everything finished, including pieces whose HTML is empty. */
  private readonly finishedSource: string[] = [];
  /** Text written and not taken yet: `pending` from `pendingAt` on. */
  private pending = '';
  private pendingAt = 0;
  private tailSource = '';
  private tailHtml = '';
  /** Length of the tail at its last parse. */
  private parsedLength = 0;
  /** The open code block that is the tail, if it is one. */
  private code: OpenCode | undefined;
  /** Definitions from finished text, first definition of each label. */
  private readonly definitions = new Map<string, Definition>();
  /** Definitions the tail made in its last parse (that finished text had not). */
  private tailDefinitions: Definitions = new Map();
  /** For each label, the finished blocks that looked it up. */
  private readonly users = new Map<string, Set<number>>();
  /** Code blocks in finished text. */
  private codeCount = 0;
  /** The last delta ended with `\r`: a `\n` starting the next one belongs to it. */
  private pendingCarriageReturn = false;
  private ended = false;
  private rendered = false;

  /** HTML of the finished blocks, in order; each is final unless an update lists it as `changed`. */
  get blocks(): readonly string[] {
    return this.finishedHtml;
  }

  /** HTML of the unfinished rest of the message. */
  get tail(): string {
    const code = this.code;
    return code ? code.html + code.provisional + CODE_BLOCK_CLOSING : this.tailHtml;
  }

  /** The unfinished text the next step parses or highlights again. */
  get tailText(): string {
    return this.code ? this.code.highlighter.unfinished + lastLinePart(this.pending.slice(this.pendingAt)) : this.tailSource;
  }

  /** The text so far, with line breaks normalized as markdown-it does (`\r\n` and `\r` → `\n`). */
  get text(): string {
    return this.finishedSource.join('') + (this.code?.source ?? this.tailSource) + this.pending.slice(this.pendingAt);
  }

  /** Whether {@link end} was called. */
  get done(): boolean {
    return this.ended;
  }

  /** Whether text written (or the end) still waits for {@link render}. */
  get busy(): boolean {
    return !this.rendered;
  }

  /** The whole HTML so far: `renderMarkdown(text so far)` once not {@link busy}. */
  html(): string {
    return this.finishedHtml.join('') + this.tail;
  }

  /** Adds text to the end of the message, to be rendered by {@link render}. */
  write(delta: string): void {
    if (this.ended) throw new Error('StreamingMarkdown: text after finish() or end()');
    let text = delta;
    if (this.pendingCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    if (delta !== '') this.pendingCarriageReturn = delta.endsWith('\r');
    text = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
    if (text === '') return;
    if (this.pendingAt > STEP && this.pendingAt * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingAt);
      this.pendingAt = 0;
    }
    this.pending += text;
    this.rendered = false;
  }

  /** The message is complete: once rendered, the tail becomes the last finished block. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.rendered = false;
  }

  /** {@link write}, then {@link render} with no time limit. */
  append(delta: string): MarkdownUpdate {
    this.write(delta);
    return this.render();
  }

  /** {@link end}, then {@link render} with no time limit. */
  finish(): MarkdownUpdate {
    this.end();
    return this.render();
  }

  /**
   * Renders what was written, step by step, until done or `outOfTime()` says to stop (checked
   * between steps; each is bounded). A code block ending also ends the call, so that one update
   * speaks of one code block being written.
   */
  render(outOfTime: () => boolean = () => false): MarkdownUpdate {
    if (this.rendered) return { finished: NOTHING, changed: UNCHANGED, tail: this.code ? '' : this.tailHtml };
    if (this.code) return this.renderCode(this.code, outOfTime, true);
    const finished: string[] = [];
    const changed: Array<{ index: number; html: string }> = [];
    while (this.pendingAt < this.pending.length) {
      this.takeStep(finished, changed);
      if (this.code) {
        const code = this.renderCode(this.code, outOfTime, false);
        return { ...code, finished, changed: [...changed, ...code.changed] };
      }
      if (outOfTime()) break;
    }
    if (this.pendingAt === this.pending.length) {
      if (this.ended && this.tailSource.length > this.parsedLength) {
        this.parse(finished, changed);
        if (this.code) return { ...this.renderCode(this.code, outOfTime, false), finished, changed };
      }
      if (this.ended) this.finishTail(finished);
      // A long tail's unparsed end waits for more text, or the end.
      this.rendered = true;
    }
    const unrendered = this.tailSource.length > this.parsedLength ? this.tailSource.slice(this.parsedLength) : '';
    return { finished, changed, tail: this.tailHtml, ...(unrendered === '' ? {} : { unrendered }) };
  }

  /** Takes the next step of text into the tail, and parses it unless it is long and grew little. */
  private takeStep(finished: string[], changed: Array<{ index: number; html: string }>): void {
    const to = Math.min(this.pending.length, this.pendingAt + STEP);
    this.tailSource += this.pending.slice(this.pendingAt, to);
    this.pendingAt = to;
    const grown = this.tailSource.length - this.parsedLength;
    const lastStep = this.ended && to === this.pending.length;
    if (this.tailSource.length > LONG_TAIL && grown * 4 < this.parsedLength && !lastStep) return;
    this.parse(finished, changed);
  }

  private parse(finished: string[], changed: Array<{ index: number; html: string }>): void {
    const tailScope = new ReferenceScope(this.definitions);
    const parsed = parseMarkdown(this.tailSource, tailScope, this.codeCount);
    changed.push(...this.applyDefinitions(tailScope.defined));

    let tailTokens = parsed.tokens;
    const cut = findCut(this.tailSource, parsed.tokens);
    if (cut) {
      const source = this.tailSource.slice(0, cut.offset);
      // Parsed once more on its own, to learn the labels it uses and the definitions it makes; it sees
      // the definitions after it too (the rest of the tail's), as a parse of the whole text would.
      const scope = new ReferenceScope(this.definitions, this.tailDefinitions);
      const piece = parseMarkdown(source, scope, this.codeCount);
      const html = renderTokens(piece.tokens, piece.env);
      for (const [label, definition] of scope.defined) this.definitions.set(label, definition);
      this.addFinished(source, html, scope.used, finished);
      this.codeCount += piece.codeCount;
      this.tailSource = this.tailSource.slice(cut.offset);
      tailTokens = parsed.tokens.slice(cut.tokenIndex);
    }
    this.parsedLength = this.tailSource.length;
    if (this.openCode(tailTokens)) return;
    this.tailHtml = renderTokens(tailTokens, parsed.env);
  }

  /**
   * When the tail is a top-level fence left open, with its opening line complete, takes it over as an
   * {@link OpenCode}: the lines after its opening go back to be taken one by one.
   */
  private openCode(tokens: readonly Token[]): boolean {
    const [token] = tokens;
    if (tokens.length !== 1 || token.type !== 'fence' || token.level !== 0 || token.map?.[0] !== 0) return false;
    const lineEnd = this.tailSource.indexOf('\n');
    if (lineEnd < 0) return false;
    const opening = this.tailSource.slice(0, lineEnd + 1);
    // Open means it runs to the end: its last line is not a closing one, and no line follows its end.
    const lines = this.tailSource.split('\n').length - (lastLinePart(this.tailSource) === '' ? 1 : 0);
    const lastLine = this.tailSource.slice(this.tailSource.lastIndexOf('\n', this.tailSource.length - 2) + 1);
    const lang = fenceLanguage(token.info);
    const code: OpenCode = {
      marker: token.markup[0],
      length: token.markup.length,
      indent: indentColumns(opening),
      codeIndex: this.codeCount,
      highlighter: new CodeHighlighter(lang),
      source: opening,
      html: codeBlockOpening(this.codeCount, lang),
      provisional: '',
    };
    if (token.map[1] !== lines || (lineEnd + 1 < this.tailSource.length && closes(code, lastLine))) return false;
    this.pending = this.tailSource.slice(lineEnd + 1) + this.pending.slice(this.pendingAt);
    this.pendingAt = 0;
    this.tailSource = '';
    this.tailHtml = '';
    this.parsedLength = 0;
    this.code = code;
    return true;
  }

  /**
   * Takes the open code block's complete lines, each highlighted once, until time is up; then shows
   * the line being written as provisional. Closes the block at its closing line (only if `mayClose`:
   * one that began in this call waits for the next) or at the end of the message.
   */
  private renderCode(code: OpenCode, outOfTime: () => boolean, mayClose: boolean): MarkdownUpdate & { code: CodeUpdate } {
    const opening = mayClose ? undefined : code.html;
    let settled = '';
    for (;;) {
      const lineEnd = this.pending.indexOf('\n', this.pendingAt);
      if (lineEnd < 0) break;
      const line = this.pending.slice(this.pendingAt, lineEnd + 1);
      if (closes(code, line)) {
        if (!mayClose) return this.codeUpdate(code, opening, settled, code.highlighter.rest());
        this.pendingAt = lineEnd + 1;
        code.source += line;
        return this.closeCode(code, settled);
      }
      this.pendingAt = lineEnd + 1;
      code.source += line;
      settled += code.highlighter.addLines(fenceContentLine(line, code.indent));
      if (outOfTime()) return this.codeUpdate(code, opening, settled, code.highlighter.rest());
    }
    const partial = lastLinePart(this.pending.slice(this.pendingAt));
    const closing = partial !== '' && closes(code, partial);
    if (this.ended && mayClose) {
      code.source += this.pending.slice(this.pendingAt);
      this.pendingAt = this.pending.length;
      return this.closeCode(code, settled, closing ? '' : fenceContentLine(partial, code.indent));
    }
    const update = this.codeUpdate(code, opening, settled, closing ? code.highlighter.rest() : code.highlighter.rest(fenceContentLine(partial, code.indent)));
    this.rendered = !this.ended;
    return update;
  }

  private codeUpdate(code: OpenCode, opening: string | undefined, settled: string, provisional: string): MarkdownUpdate & { code: CodeUpdate } {
    code.html += settled;
    code.provisional = provisional;
    return { code: { ...(opening === undefined ? {} : { opening }), settled, provisional, closed: false }, finished: NOTHING, changed: UNCHANGED, tail: '' };
  }

  /** The open code block ends: the rest of its open piece is settled, and it is a finished block. */
  private closeCode(code: OpenCode, settled: string, lastLine = ''): MarkdownUpdate & { code: CodeUpdate } {
    const rest = settled + code.highlighter.rest(lastLine);
    code.html += rest;
    this.code = undefined;
    const finished: string[] = [];
    this.addFinished(code.source, code.html + CODE_BLOCK_CLOSING, new Set(), finished);
    this.codeCount++;
    if (this.ended && this.pendingAt === this.pending.length) this.rendered = true;
    return { code: { settled: rest, provisional: '', closed: true }, finished, changed: UNCHANGED, tail: '' };
  }

  /** The message has ended: the tail becomes the last finished block. */
  private finishTail(finished: string[]): void {
    if (this.tailHtml !== '') this.addFinished(this.tailSource, this.tailHtml, new Set(), finished);
    else this.finishedSource.push(this.tailSource);
    this.tailSource = '';
    this.tailHtml = '';
    this.parsedLength = 0;
  }

  private addFinished(source: string, html: string, uses: ReadonlySet<string>, finished: string[]): void {
    this.finishedSource.push(source);
    if (html === '') return;
    const block: FinishedBlock = { source, html, codeBase: this.codeCount, uses };
    this.finishedBlocks.push(block);
    this.finishedHtml.push(html);
    this.indexUses(this.finishedBlocks.length - 1, uses);
    finished.push(html);
  }

  /**
   * Takes the tail's latest definitions; renders again the finished blocks that looked up a label
   * whose effective definition (finished text's first, else the tail's) is not what it was.
   */
  private applyDefinitions(latest: Definitions): Array<{ index: number; html: string }> {
    const previous = this.tailDefinitions;
    this.tailDefinitions = latest;
    if (previous.size === 0 && latest.size === 0) return [];
    const affected = new Set<number>();
    for (const label of new Set([...previous.keys(), ...latest.keys()])) {
      if (this.definitions.has(label) || sameDefinition(previous.get(label), latest.get(label))) continue;
      for (const index of this.users.get(label) ?? []) affected.add(index);
    }
    const changed: Array<{ index: number; html: string }> = [];
    for (const index of [...affected].sort((a, b) => a - b)) {
      const block = this.finishedBlocks[index];
      const scope = new ReferenceScope(this.definitions, latest);
      const parsed = parseMarkdown(block.source, scope, block.codeBase);
      const html = renderTokens(parsed.tokens, parsed.env);
      for (const label of block.uses) this.users.get(label)?.delete(index);
      block.uses = scope.used;
      this.indexUses(index, block.uses);
      if (html === block.html) continue;
      block.html = html;
      this.finishedHtml[index] = html;
      changed.push({ index, html });
    }
    return changed;
  }

  private indexUses(index: number, labels: ReadonlySet<string>): void {
    for (const label of labels) {
      let set = this.users.get(label);
      if (!set) this.users.set(label, (set = new Set()));
      set.add(index);
    }
  }
}
