import * as vscode from 'vscode';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import type { ChatController } from '../chat/chatController';
import { errorPresentation } from '../chat/errorPresentation';
import { creditsText } from '../shared/credits';
import type { ErrorAction } from '../shared/protocol';

export interface ErrorActionContext {
  extensionId: string;
  controller: ChatController;
  keys: ApiKeyStore;
  /** Opens the "Sonnet Chat" log in the Output panel. */
  showLog(): void;
  /** The provider's balance for this key (`GET /credits`). */
  getCredits: (apiKey: string) => Promise<{ balance: number | undefined }>;
}

/** Carries out an error card's button (and the matching commands). */
export async function runErrorAction(action: ErrorAction, turnId: string | undefined, context: ErrorActionContext): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await setApiKey(context);
      return;
    case 'retry':
      context.controller.retry(turnId);
      return;
    case 'topUp':
      await showCredits(context);
      return;
    case 'showLog':
      context.showLog();
      return;
    case 'openSettings': {
      const failure = context.controller.lastFailure();
      const setting = failure && (turnId === undefined || failure.turnId === turnId) ? failure.error.setting : undefined;
      await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? `@ext:${context.extensionId}`);
      return;
    }
  }
}

/** Asks for a key; a turn that failed for want of one is then sent again. */
export async function setApiKey({ keys, controller }: ErrorActionContext): Promise<void> {
  const key = await keys.promptAndStore();
  if (!key) return;
  const failure = controller.lastFailure();
  if (failure?.error.actions.includes('setApiKey')) {
    controller.retry(failure.turnId);
  } else {
    void vscode.window.showInformationMessage('Sonnet Chat: API key saved.');
  }
}

/** The provider has no documented top-up link, so this says the balance and where to top up. */
async function showCredits({ keys, getCredits }: ErrorActionContext): Promise<void> {
  const key = (await keys.get()) ?? (await keys.promptAndStore());
  if (!key) return;
  try {
    const { balance } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Sonnet Chat: checking your credit balance…' },
      () => getCredits(key),
    );
    const balanceText =
      balance === undefined ? 'The provider did not say what your balance is.' : `Your balance is ${creditsText(balance)}.`;
    void vscode.window.showInformationMessage(`${balanceText} Top up in the provider's dashboard, under Billing.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Sonnet Chat: could not check your credits. ${errorPresentation(error).message}`);
  }
}
