import type { BalanceView, TurnView, UsageView } from '../shared/protocol';
import { sumUsage } from '../shared/usageSum';
import { formatCredits } from '../shared/credits';
import { element } from './dom';
import { totalText, usageText } from './usage';

export interface HeaderElements {
  balance: HTMLElement;
  refresh: HTMLButtonElement;
  total: HTMLElement;
}

/** The view's header: the account's balance (with a refresh button) and what this chat has cost. */
export class ChatHeader {
  /** The usage of each answered turn of the conversation shown. */
  private readonly usages = new Map<string, UsageView>();
  /** The usage of the turns the host did not send (see `turnWindow.ts`). */
  private earlierUsage: UsageView | undefined;

  constructor(
    private readonly elements: HeaderElements,
    onRefresh: () => void,
  ) {
    elements.refresh.addEventListener('click', () => {
      this.setRefreshing(true);
      onRefresh();
    });
  }

  showBalance(balance: BalanceView): void {
    this.setRefreshing(false);
    const { balance: node } = this.elements;
    node.classList.toggle('unknown', balance.status === 'unknown');
    if (balance.status === 'known') {
      showCredits(node, `Balance: ${formatCredits(balance.credits)}`);
      node.title = 'Your credit balance with the provider.';
    } else {
      node.textContent = 'Balance: unknown';
      node.title = balance.reason;
    }
  }

  /** A conversation was shown afresh: `turns`, and those before them used `earlierUsage`. */
  showConversation(turns: readonly TurnView[], earlierUsage: UsageView | undefined): void {
    this.usages.clear();
    this.earlierUsage = earlierUsage;
    for (const turn of turns) {
      if (turn.answer.usage) this.usages.set(turn.id, turn.answer.usage);
      if (turn.compaction?.usage) this.usages.set(compactionKey(turn.id), turn.compaction.usage);
    }
    this.showTotal();
  }

  /** A turn's answer ended (with its usage) or started again (without, until it ends). */
  setTurnUsage(turnId: string, usage: UsageView | undefined): void {
    if (usage) this.usages.set(turnId, usage);
    else this.usages.delete(turnId);
    this.showTotal();
  }

  /** A compaction after turn `turnId` was done: its summary request counts in the total. */
  setCompactionUsage(turnId: string, usage: UsageView | undefined): void {
    if (usage) this.usages.set(compactionKey(turnId), usage);
    this.showTotal();
  }

  private showTotal(): void {
    const total = sumUsage(this.earlierUsage ? [this.earlierUsage, ...this.usages.values()] : this.usages.values());
    const { total: node } = this.elements;
    node.hidden = total === undefined;
    if (total) showCredits(node, totalText(total));
    else node.textContent = '';
    node.title = total ? `This conversation so far: ${usageText(total)}` : '';
  }

  private setRefreshing(refreshing: boolean): void {
    const { refresh } = this.elements;
    refresh.querySelector('.codicon')?.classList.toggle('codicon-modifier-spin', refreshing);
    refresh.setAttribute('aria-busy', String(refreshing));
  }
}

/** `text` on screen, and the unit after it for screen readers only: the header has no room for it (see chat.css). */
function showCredits(node: HTMLElement, text: string): void {
  node.replaceChildren(text, element('span', 'visually-hidden', ' credits'));
}

/** A compaction's usage, beside its turn's answer's in the total. */
function compactionKey(turnId: string): string {
  return `${turnId}#compaction`;
}
