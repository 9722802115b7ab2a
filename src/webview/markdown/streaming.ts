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
 * Hence, after every call, `blocks.join('') + tail === renderMarkdown(text so far)`, and after
 * `finish()`, `blocks.join('') === renderMarkdown(whole text)`. The unit tests check this for many
 * texts cut at random points.
 *
 * Cost: each call parses the tail (and, once, each newly finished block); finished blocks are never
 * parsed again, except for the rare late reference definition above. A tail that never finds a cut (an
 * answer that is one long list, or one long code block) is parsed whole on each call: batch deltas per
 * animation frame, so that costs one parse of it per frame. Highlighting dominates that cost for a long
 * code block still being written (about 0.6 ms per KB of TypeScript in Node).
 */
import { type Definition, type Definitions, ReferenceScope, parseMarkdown, renderTokens } from './render';
import type { Token } from 'markdown-it';

/** What one call changed, for a view that keeps an element per finished block and one for the tail. */
export interface MarkdownUpdate {
  /** HTML of the blocks this call finished, in order, after the ones finished before. */
  readonly finished: readonly string[];
  /**
   * Earlier finished blocks whose HTML changed (by index into {@link StreamingMarkdown.blocks}): only when
   * a link reference definition arrived after a block that uses it. Usually empty.
   */
  readonly changed: ReadonlyArray<{ readonly index: number; readonly html: string }>;
  /** HTML of the unfinished tail, replacing the previous one (`''` after `finish()`). */
  readonly tail: string;
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

const NOTHING: readonly string[] = [];

/**
 * The last place the tail can be cut (see the module comment): before a top-level block whose first line
 * is complete and follows a blank line.
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
    if (complete(start) && blank(start - 1)) return { offset: lineStarts[start], tokenIndex: t };
  }
  return undefined;
}

function sameDefinition(a: Definition | undefined, b: Definition | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.href === b.href && a.title === b.title);
}

/**
 * Renders one message as it streams in. Give it each delta with {@link append} (or a frame's worth of
 * them joined) and call {@link finish} when the message is complete; apply each returned update to the
 * DOM, or read {@link blocks} and {@link tail}.
 */
export class StreamingMarkdown {
  private readonly finishedBlocks: FinishedBlock[] = [];
  /** HTML of the finished blocks, kept alongside for {@link blocks}. */
  private readonly finishedHtml: string[] = [];
  /** Source of everything finished, including pieces whose HTML is empty. */
  private readonly finishedSource: string[] = [];
  private tailSource = '';
  private tailHtml = '';
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

  /** HTML of the finished blocks, in order; each is final unless an update lists it as `changed`. */
  get blocks(): readonly string[] {
    return this.finishedHtml;
  }

  /** HTML of the unfinished rest of the message. */
  get tail(): string {
    return this.tailHtml;
  }

  /** The unfinished text: what the next {@link append} parses again. */
  get tailText(): string {
    return this.tailSource;
  }

  /** The text so far, with line breaks normalized as markdown-it does (`\r\n` and `\r` → `\n`). */
  get text(): string {
    return this.finishedSource.join('') + this.tailSource;
  }

  /** Whether {@link finish} was called. */
  get done(): boolean {
    return this.ended;
  }

  /** The whole HTML so far: `renderMarkdown(text so far)`. */
  html(): string {
    return this.finishedHtml.join('') + this.tailHtml;
  }

  /** Adds text to the end of the message. */
  append(delta: string): MarkdownUpdate {
    if (this.ended) throw new Error('StreamingMarkdown: append() after finish()');
    let text = delta;
    if (this.pendingCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    if (delta !== '') this.pendingCarriageReturn = delta.endsWith('\r');
    text = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
    if (text === '') return { finished: NOTHING, changed: [], tail: this.tailHtml };
    this.tailSource += text;
    return this.update();
  }

  /** Ends the message: the tail becomes the last finished block. */
  finish(): MarkdownUpdate {
    if (this.ended) return { finished: NOTHING, changed: [], tail: '' };
    this.ended = true;
    const finished: string[] = [];
    if (this.tailHtml !== '') {
      this.finishedBlocks.push({ source: this.tailSource, html: this.tailHtml, codeBase: this.codeCount, uses: new Set() });
      this.finishedHtml.push(this.tailHtml);
      finished.push(this.tailHtml);
    }
    this.finishedSource.push(this.tailSource);
    this.tailSource = '';
    this.tailHtml = '';
    return { finished, changed: [], tail: '' };
  }

  private update(): MarkdownUpdate {
    const tailScope = new ReferenceScope(this.definitions);
    const parsed = parseMarkdown(this.tailSource, tailScope, this.codeCount);
    const changed = this.applyDefinitions(tailScope.defined);

    const finished: string[] = [];
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
      if (html !== '') {
        const block: FinishedBlock = { source, html, codeBase: this.codeCount, uses: scope.used };
        this.finishedBlocks.push(block);
        this.finishedHtml.push(html);
        this.indexUses(this.finishedBlocks.length - 1, block.uses);
        finished.push(html);
      }
      this.codeCount += piece.codeCount;
      this.finishedSource.push(source);
      this.tailSource = this.tailSource.slice(cut.offset);
      tailTokens = parsed.tokens.slice(cut.tokenIndex);
    }
    this.tailHtml = renderTokens(tailTokens, parsed.env);
    return { finished, changed, tail: this.tailHtml };
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
