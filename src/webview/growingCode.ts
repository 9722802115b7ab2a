import { CODE_BLOCK_CLOSING } from './markdown';
import { element } from './dom';

/**
 * A code block still being written, as the renderer reports it: settled lines are appended to its
 * code once; only the provisional end (the line being written) is replaced on each update. So an
 * update costs its new lines, not the block. The HTML comes from the renderer, escaped (see
 * `MarkdownBlock`).
 */
export class GrowingCode {
  /** A piece of the markdown block, as `MarkdownBlock` keeps them. */
  readonly piece = element('div', 'md-piece');
  private readonly code: HTMLElement;
  private provisional: ChildNode[] = [];

  constructor(opening: string) {
    this.piece.innerHTML = opening + CODE_BLOCK_CLOSING;
    const code = this.piece.querySelector('code');
    if (!code) throw new Error('Sonnet Chat: a code block without <code>');
    this.code = code;
  }

  update(settled: string, provisional: string): void {
    for (const node of this.provisional) node.remove();
    this.provisional = [];
    if (settled !== '') this.code.insertAdjacentHTML('beforeend', settled);
    if (provisional === '') return;
    const last = this.code.lastChild;
    this.code.insertAdjacentHTML('beforeend', provisional);
    for (let node = last ? last.nextSibling : this.code.firstChild; node; node = node.nextSibling) this.provisional.push(node);
  }
}
