import * as vscode from 'vscode';
import type { ChatSink } from '../chat/chatController';
import { errorPresentation } from '../chat/errorPresentation';
import { creditsText, formatCredits } from '../shared/credits';
import type { BalanceView } from '../shared/protocol';

export interface BalanceSource {
  /** The stored key (or the environment's); never asks for one. */
  apiKey(): Promise<string | undefined>;
  getCredits(apiKey: string): Promise<{ balance: number | undefined }>;
}

/**
 * The account balance (`GET /credits`) in the Chat view and the status bar. Without a key it says so
 * rather than ask for one: a balance is not worth interrupting anyone for.
 */
export class BalanceMonitor implements vscode.Disposable {
  static readonly refreshCommand = 'sonnet.refreshBalance';

  private readonly item = vscode.window.createStatusBarItem('sonnet.balance', vscode.StatusBarAlignment.Right, 100);
  private balance: BalanceView = { status: 'unknown', reason: 'Not checked yet.' };
  /** What other extensions spent through Sonnet as a VS Code language model, in this window. */
  private spentElsewhere = 0;
  /** Numbers the refreshes, so an answer that arrives late does not replace a newer one. */
  private latest = 0;

  constructor(
    private readonly source: BalanceSource,
    private readonly sink: ChatSink,
  ) {
    this.item.name = 'Sonnet Chat: Credit Balance';
    this.item.command = BalanceMonitor.refreshCommand;
  }

  /** Posts the balance known so far (a view that just loaded), then checks it again. */
  async refresh(): Promise<void> {
    this.sink.post({ type: 'balance', balance: this.balance });
    const request = ++this.latest;
    const { balance, hasKey } = await this.read();
    if (request !== this.latest) return;
    this.balance = balance;
    this.showInStatusBar(balance, hasKey);
    this.sink.post({ type: 'balance', balance });
  }

  /** A request of another extension ended: its charge is counted, and the balance checked again. */
  spentThroughLanguageModels(credits: number | undefined): Promise<void> {
    if (credits !== undefined && Number.isFinite(credits)) this.spentElsewhere += credits;
    return this.refresh();
  }

  private async read(): Promise<{ balance: BalanceView; hasKey: boolean }> {
    const apiKey = await this.source.apiKey();
    if (!apiKey) return { balance: { status: 'unknown', reason: 'No API key yet.' }, hasKey: false };
    try {
      const { balance } = await this.source.getCredits(apiKey);
      return {
        balance: balance === undefined ? { status: 'unknown', reason: 'The provider did not say.' } : { status: 'known', credits: balance },
        hasKey: true,
      };
    } catch (error) {
      return { balance: { status: 'unknown', reason: errorPresentation(error).title }, hasKey: true };
    }
  }

  private showInStatusBar(balance: BalanceView, hasKey: boolean): void {
    if (!hasKey) {
      this.item.hide();
      return;
    }
    if (balance.status === 'known') {
      this.item.text = `$(credit-card) ${formatCredits(balance.credits)}`;
      this.item.tooltip = `Sonnet Chat: ${creditsText(balance.credits)} left.${this.spentElsewhereText()} Click to check again.`;
    } else {
      this.item.text = '$(credit-card) ?';
      this.item.tooltip = `Sonnet Chat: balance unknown (${balance.reason}).${this.spentElsewhereText()} Click to check again.`;
    }
    this.item.show();
  }

  private spentElsewhereText(): string {
    return this.spentElsewhere > 0 ? ` Other extensions spent ${creditsText(this.spentElsewhere)} through Sonnet in this window.` : '';
  }

  dispose(): void {
    this.item.dispose();
  }
}
