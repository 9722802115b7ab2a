import { element } from './dom';
import { extractCodeBlocks, renderMarkdown, StreamingMarkdown, type CodeBlock, type MarkdownUpdate } from './markdown';

/** The block each `.markdown` element shows, for the code toolbar's clicks. */
const byElement = new WeakMap<Element, MarkdownBlock>();

/**
 * One text block of an answer, as markdown. The HTML comes only from the renderer in `./markdown`,
 * which escapes all text and writes no attribute a script could use (and the view's CSP would block
 * one anyway); that is why it may be set as `innerHTML`.
 *
 * While the block streams, each finished piece of it gets its own element, set once; the unfinished
 * tail has one element, replaced on each update. So an update costs the tail, not the whole answer.
 * The wrappers are `display: contents`: the rendered blocks lay out as the element's own children.
 */
export class MarkdownBlock {
  readonly element = element('div', 'block text markdown');
  private readonly pieces: HTMLElement[] = [];
  private stream: StreamingMarkdown | undefined;
  private tail: HTMLElement | undefined;
  private tailHtml = '';
  private source = '';

  private constructor() {
    byElement.set(this.element, this);
  }

  /** A block that is still being written: {@link append} the deltas, then {@link finish}. */
  static streaming(text: string): MarkdownBlock {
    const block = new MarkdownBlock();
    block.stream = new StreamingMarkdown();
    block.tail = element('div', 'md-tail');
    block.element.append(block.tail);
    if (text !== '') block.append(text);
    return block;
  }

  /** A complete block (a restored turn), rendered in one go. */
  static complete(text: string): MarkdownBlock {
    const block = new MarkdownBlock();
    block.source = text;
    block.addPiece(renderMarkdown(text));
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
    if (this.stream) this.apply(this.stream.append(text));
  }

  /** The block is complete: its tail becomes a finished piece. */
  finish(): void {
    if (!this.stream) return;
    this.apply(this.stream.finish());
    this.source = this.stream.text;
    this.stream = undefined;
    this.tail?.remove();
    this.tail = undefined;
  }

  /** The raw code of the code block with this `data-code-index` (never read back from the HTML). */
  codeBlock(index: number): CodeBlock | undefined {
    return extractCodeBlocks(this.text).find((block) => block.index === index);
  }

  private apply(update: MarkdownUpdate): void {
    for (const { index, html } of update.changed) this.pieces[index].innerHTML = html;
    for (const html of update.finished) this.addPiece(html);
    if (this.tail && update.tail !== this.tailHtml) {
      this.tail.innerHTML = update.tail;
      this.tailHtml = update.tail;
    }
  }

  private addPiece(html: string): void {
    const piece = element('div', 'md-piece');
    piece.innerHTML = html;
    if (this.tail) this.tail.before(piece);
    else this.element.append(piece);
    this.pieces.push(piece);
  }
}
