import './mentions.css';
import { mentionQueryAt, mentionText } from '../shared/mentions';
import type { MentionItemView } from '../shared/protocol';
import { codicon, element } from './dom';
import { replaceInPrompt } from './mentionHighlight';
import { SPECIAL_ICONS } from './mentionLinks';
import { host } from './vscodeApi';

/** How long typing pauses before the host is asked: one listing per pause, not per key. */
const QUERY_DELAY_MS = 80;

/**
 * The @ picker: typing `@` at the start or after a space opens it above the input, filtered as the
 * user types (the host lists and ranks, see `mentionItems`). Up and Down choose, Enter or Tab put the
 * mention in the text, Escape closes it and leaves the text; the mouse picks too. The input is its
 * combobox, the list a listbox with the active option as `aria-activedescendant`, the count announced.
 */
export class MentionPicker {
  private readonly list = element('div', 'mention-picker');
  private items: MentionItemView[] = [];
  private active = 0;
  private requestId = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Where the `@` of the mention being typed is, while the picker is open or waiting for its entries. */
  private start: number | undefined;
  /** Escape closed the picker for the `@` at this position: it stays closed until the caret leaves it. */
  private dismissedAt: number | undefined;

  constructor(
    private readonly prompt: HTMLTextAreaElement,
    private readonly announce: (text: string) => void,
  ) {
    this.list.id = 'mention-picker';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Files, folders and context to mention');
    this.list.hidden = true;
    prompt.before(this.list);
    prompt.setAttribute('role', 'combobox');
    prompt.setAttribute('aria-autocomplete', 'list');
    prompt.setAttribute('aria-controls', this.list.id);
    prompt.setAttribute('aria-expanded', 'false');
    prompt.addEventListener('input', () => this.update());
    prompt.addEventListener('click', () => this.update());
    prompt.addEventListener('keyup', (event) => {
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') this.update();
    });
    prompt.addEventListener('blur', () => this.close());
    // On the form, in the capture phase: before the input's own keys (Enter sends, Escape stops, Up recalls).
    prompt.form?.addEventListener('keydown', (event) => this.onKeyDown(event), true);
    // The input keeps the focus while an entry is clicked.
    this.list.addEventListener('mousedown', (event) => event.preventDefault());
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  /** The host's entries; an answer to an earlier query than the latest is dropped. */
  show(requestId: number, items: MentionItemView[]): void {
    if (requestId !== this.requestId || this.start === undefined) return;
    this.items = items;
    this.active = 0;
    this.list.replaceChildren(...items.map((item, index) => this.option(item, index)));
    this.list.hidden = false;
    this.prompt.setAttribute('aria-expanded', 'true');
    this.markActive();
    this.announce(items.length === 0 ? 'No matches' : items.length === 1 ? '1 suggestion' : `${items.length} suggestions`);
  }

  private update(): void {
    const { value, selectionStart, selectionEnd } = this.prompt;
    const typed = selectionStart === selectionEnd ? mentionQueryAt(value, selectionStart) : undefined;
    if (!typed || typed.start === this.dismissedAt) {
      if (typed?.start !== this.dismissedAt) this.dismissedAt = undefined;
      this.close();
      return;
    }
    this.dismissedAt = undefined;
    this.start = typed.start;
    clearTimeout(this.timer);
    const requestId = ++this.requestId;
    this.timer = setTimeout(() => host.postMessage({ type: 'mentionQuery', requestId, query: typed.query }), QUERY_DELAY_MS);
  }

  private close(): void {
    clearTimeout(this.timer);
    // An answer still on its way is for a picker that is gone.
    this.requestId++;
    this.start = undefined;
    if (this.list.hidden) return;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.items = [];
    this.prompt.setAttribute('aria-expanded', 'false');
    this.prompt.removeAttribute('aria-activedescendant');
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.isOpen || event.target !== this.prompt || event.isComposing) return;
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    const pick = (event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey);
    if (!move && !pick && event.key !== 'Escape') return;
    if (pick && this.items.length === 0) {
      if (event.key === 'Tab') return;
      this.close();
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (event.key === 'Escape') {
      this.dismissedAt = this.start;
      this.close();
    } else if (move) {
      this.active = (this.active + move + this.items.length) % this.items.length;
      this.markActive();
    } else {
      this.pick(this.active);
    }
  }

  private pick(index: number): void {
    const item = this.items[index];
    const start = this.start;
    if (!item || start === undefined) return;
    const caret = this.prompt.selectionStart;
    // The rest of the word being typed is replaced too (the caret may be inside it).
    const wordEnd = caret + (/^[^\s]*/.exec(this.prompt.value.slice(caret))?.[0].length ?? 0);
    this.close();
    replaceInPrompt(this.prompt, start, wordEnd, `${mentionText(item.value)} `);
  }

  private option(item: MentionItemView, index: number): HTMLElement {
    const option = element('div', 'mention-option');
    option.id = `mention-option-${index}`;
    option.setAttribute('role', 'option');
    const icon = item.kind === 'special' ? SPECIAL_ICONS[item.value] : item.kind === 'folder' ? 'folder' : 'file';
    const slash = item.value.replace(/\/$/, '').lastIndexOf('/');
    const name = item.kind === 'special' ? `@${item.value}` : item.value.slice(slash + 1);
    const where = item.kind === 'special' ? item.detail : item.value.slice(0, slash + 1);
    option.append(codicon(icon), element('span', 'mention-name', name), element('span', 'mention-detail', where));
    option.title = item.kind === 'special' ? `@${item.value}: ${item.detail}` : item.value;
    option.addEventListener('click', () => this.pick(index));
    option.addEventListener('mousemove', () => {
      if (this.active === index) return;
      this.active = index;
      this.markActive();
    });
    return option;
  }

  private markActive(): void {
    this.list.querySelectorAll('[role="option"]').forEach((option, index) => option.setAttribute('aria-selected', String(index === this.active)));
    const active = this.list.children[this.active] as HTMLElement | undefined;
    if (!active) {
      this.prompt.removeAttribute('aria-activedescendant');
      return;
    }
    this.prompt.setAttribute('aria-activedescendant', active.id);
    active.scrollIntoView({ block: 'nearest' });
  }
}
