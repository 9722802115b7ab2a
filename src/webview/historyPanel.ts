import type { ConversationSummary } from '../shared/protocol';
import { element, iconButton } from './dom';
import { relativeTime } from './relativeTime';

/** The panel's parts in the page's markup. */
export interface HistoryElements {
  panel: HTMLElement;
  list: HTMLElement;
  newChat: HTMLButtonElement;
  back: HTMLButtonElement;
}

export interface HistoryListeners {
  open(id: string): void;
  rename(id: string): void;
  remove(id: string): void;
  newChat(): void;
  /** The panel closed (Back, Escape, or a conversation chosen). */
  closed(): void;
}

/**
 * The saved conversations, newest first, in a panel that takes the conversation's place while open:
 * each one can be opened, renamed or deleted, and a new chat started.
 */
export class HistoryPanel {
  private conversations: ConversationSummary[] | undefined;
  private activeId = '';

  private readonly panel: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    { panel, list, newChat, back }: HistoryElements,
    private readonly listeners: HistoryListeners,
  ) {
    this.panel = panel;
    this.list = list;
    newChat.addEventListener('click', () => {
      this.listeners.newChat();
      this.close();
    });
    back.addEventListener('click', () => this.close());
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      }
    });
  }

  get visible(): boolean {
    return !this.panel.hidden;
  }

  /** Opens the panel; the list shows what the host last sent until its answer to `showHistory` arrives. */
  open(): void {
    this.panel.hidden = false;
    this.render();
    const first = this.list.querySelector<HTMLElement>('.history-open') ?? this.panel.querySelector<HTMLElement>('button');
    first?.focus();
  }

  close(): void {
    if (!this.visible) return;
    this.panel.hidden = true;
    this.listeners.closed();
  }

  update(conversations: ConversationSummary[], activeId: string): void {
    this.conversations = conversations;
    this.activeId = activeId;
    if (this.visible) this.render();
  }

  private render(): void {
    // Keep the keyboard user where they were when the list is rebuilt (a rename, a deletion).
    const focused = document.activeElement instanceof HTMLElement && this.list.contains(document.activeElement) ? document.activeElement : undefined;
    const focusedId = focused?.closest<HTMLElement>('.history-item')?.dataset.conversationId;
    const focusedRole = focused?.dataset.historyAction;

    if (!this.conversations) {
      this.list.replaceChildren(element('li', 'history-empty', 'Loading…'));
      return;
    }
    if (this.conversations.length === 0) {
      this.list.replaceChildren(element('li', 'history-empty', 'No saved conversations yet.'));
      return;
    }
    const now = Date.now();
    this.list.replaceChildren(...this.conversations.map((conversation) => this.item(conversation, now)));
    if (focused) {
      const item = this.list.querySelector<HTMLElement>(`.history-item[data-conversation-id="${CSS.escape(focusedId ?? '')}"]`);
      const target = item?.querySelector<HTMLElement>(`[data-history-action="${focusedRole}"]`) ?? this.list.querySelector<HTMLElement>('.history-open');
      target?.focus();
    }
  }

  private item(conversation: ConversationSummary, now: number): HTMLElement {
    const { id, title, updatedAt, turnCount } = conversation;
    const active = id === this.activeId;
    const item = element('li', active ? 'history-item active' : 'history-item');
    item.dataset.conversationId = id;

    const open = element('button', 'history-open');
    open.type = 'button';
    open.dataset.historyAction = 'open';
    if (active) open.setAttribute('aria-current', 'true');
    const when = relativeTime(updatedAt, now);
    const turns = turnCount === 1 ? '1 turn' : `${turnCount} turns`;
    const meta = element('span', 'history-meta', `${when} · ${turns}`);
    meta.title = new Date(updatedAt).toLocaleString();
    // The comma parts title and time for screen readers ("Fix the parser, 5 minutes ago · 2 turns").
    open.append(element('span', 'history-title', title || 'Untitled'), element('span', 'visually-hidden', ', '), meta);
    if (active) open.append(element('span', 'visually-hidden', ' (current)'));
    open.addEventListener('click', () => {
      this.listeners.open(id);
      this.close();
    });

    const rename = iconButton('edit', `Rename “${title}”`);
    rename.dataset.historyAction = 'rename';
    rename.addEventListener('click', () => this.listeners.rename(id));
    const remove = iconButton('trash', `Delete “${title}”`);
    remove.dataset.historyAction = 'delete';
    remove.addEventListener('click', () => this.listeners.remove(id));

    item.append(open, rename, remove);
    return item;
  }
}
