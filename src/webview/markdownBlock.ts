import { element } from './dom';
import { runInFrames } from './frameWork';
import { GrowingCode } from './growingCode';
import { extractCodeBlocks, StreamingMarkdown, type CodeBlock, type MarkdownUpdate } from './markdown';

/** The block each `.markdown` element shows, for the code toolbar's clicks. */
const byElement = new WeakMap<Element, MarkdownBlock>();

/** Finished pieces per chunk, at least: a chunk is laid out (and skipped off screen) as one. */
const CHUNK_PIECES = 32;

/**
 * The blocks with no top margin (markdown.css): a chunk may start only at one of them, so that its
 * margins, which cannot collapse across the chunk's edge, add up to what they would collapse to.
 */
const NO_TOP_MARGIN = 'p, ul, ol, blockquote, table, .code-block';

/**
 * One text block of an answer, as markdown. The HTML comes only from the renderer in `./markdown`,
 * which escapes all text and writes no attribute a script could use (and the view's CSP would block
 * one anyway); that is why it may be set as `innerHTML`.
 *
 * While the block streams, each finished piece of it gets its own element, set once; the unfinished
 * tail has one element, replaced on each update, and a code block being written grows line by line
 * (`GrowingCode`). So an update costs the tail, not the whole answer; and rendering runs within a
 * frame's budget (`frameWork.ts`), what is left waiting for the next frame.
 * The wrappers are `display: contents`: the rendered blocks lay out as the element's own children.
 * Finished pieces are gathered in chunks, each laid out on its own and skipped while off screen
 * (`content-visibility`), so a long answer's frame lays out its last chunk, not the whole answer.
 */
export class MarkdownBlock {
  readonly element = element('div', 'block text markdown');
  private readonly pieces: HTMLElement[] = [];
  private stream: StreamingMarkdown | undefined;
  private tail: HTMLElement | undefined;
  private tailHtml = '';
  /** The tail's text not parsed yet, shown as plain text. */
  private unrendered: HTMLElement | undefined;
  private unrenderedText = '';
  private code: GrowingCode | undefined;
  /** The chunk new pieces go into, and how many it holds. */
  private chunk: HTMLElement | undefined;
  private chunkPieces = 0;
  private source = '';
  private readonly renderTask = (outOfTime: () => boolean) => this.render(outOfTime);
  private whenRendered: () => void = () => undefined;
  /** Resolves once the block is complete and all of it is rendered. */
  readonly rendered = new Promise<void>((resolve) => (this.whenRendered = resolve));

  private constructor() {
    byElement.set(this.element, this);
  }

  /** A block that is still being written: {@link append} the deltas, then {@link finish}. */
  static streaming(text: string): MarkdownBlock {
    const block = new MarkdownBlock();
    block.stream = new StreamingMarkdown();
    block.tail = element('div', 'md-tail');
    block.unrendered = element('div', 'md-unrendered');
    block.element.append(block.tail, block.unrendered);
    if (text !== '') block.append(text);
    return block;
  }

  /**
   * A complete block (a restored turn). Rendered as a streamed one is, within each frame's budget: a
   * restored answer can be megabytes, which in one go would freeze the view for seconds.
   */
  static complete(text: string): MarkdownBlock {
    const block = MarkdownBlock.streaming(text);
    block.finish();
    return block;
  }

  /** The block a node of the page belongs to. */
  static containing(node: Element): MarkdownBlock | undefined {
    const owner = node.closest('.markdown');
    return owner ? byElement.get(owner) : undefined;
  }

  get streaming(): boolean {
    return this.stream !== undefined;
  }

  /** The markdown so far. */
  get text(): string {
    return this.stream?.text ?? this.source;
  }

  append(text: string): void {
    if (!this.stream) return;
    this.stream.write(text);
    runInFrames(this.renderTask);
  }

  /** The block is complete: once rendered, its tail becomes a finished piece. */
  finish(): void {
    if (!this.stream || this.stream.done) return;
    this.stream.end();
    runInFrames(this.renderTask);
  }

  /** Renders what was written until done or out of time; says whether any is left. */
  private render(outOfTime: () => boolean): boolean {
    const stream = this.stream;
    if (!stream) return false;
    do this.apply(stream.render(outOfTime));
    while (stream.busy && !outOfTime());
    if (stream.busy) return true;
    if (stream.done) {
      this.source = stream.text;
      this.stream = undefined;
      this.tail?.remove();
      this.unrendered?.remove();
      this.tail = this.unrendered = undefined;
      this.whenRendered();
    }
    return false;
  }

  /** The raw code of the code block with this `data-code-index` (never read back from the HTML). */
  codeBlock(index: number): CodeBlock | undefined {
    return extractCodeBlocks(this.text).find((block) => block.index === index);
  }

  private apply(update: MarkdownUpdate): void {
    for (const { index, html } of update.changed) this.pieces[index].innerHTML = html;
    const { code } = update;
    let finished = update.finished;
    if (code && code.opening === undefined && this.code) {
      this.code.update(code.settled, code.provisional);
      if (code.closed) {
        // It is the first finished block: the element built line by line stays.
        this.pieces.push(this.code.piece);
        this.code = undefined;
        finished = finished.slice(1);
      }
    }
    for (const html of finished) this.addPiece(html);
    if (this.tail && update.tail !== this.tailHtml) {
      this.tail.innerHTML = update.tail;
      this.tailHtml = update.tail;
    }
    if (this.unrendered && (update.unrendered ?? '') !== this.unrenderedText) {
      this.unrenderedText = update.unrendered ?? '';
      this.unrendered.textContent = this.unrenderedText;
    }
    if (code?.opening !== undefined) {
      this.code = new GrowingCode(code.opening);
      this.place(this.code.piece);
      this.code.update(code.settled, code.provisional);
    }
  }

  private addPiece(html: string): void {
    const piece = element('div', 'md-piece');
    piece.innerHTML = html;
    this.place(piece);
    this.pieces.push(piece);
  }

  /** Appends a piece to the last chunk, or to a new one when that is full and the piece may start one. */
  private place(piece: HTMLElement): void {
    if (!this.chunk || (this.chunkPieces >= CHUNK_PIECES && piece.firstElementChild?.matches(NO_TOP_MARGIN))) {
      this.chunk = element('div', 'md-chunk');
      this.chunkPieces = 0;
      if (this.tail) this.tail.before(this.chunk);
      else this.element.append(this.chunk);
    }
    this.chunk.append(piece);
    this.chunkPieces++;
  }
}
