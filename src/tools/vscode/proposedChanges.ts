/**
 * Proposed changes shown in VS Code's diff editor: the current file (unsaved edits included) on the
 * left, the proposal on the right, served from memory under the `sonnet-proposal` scheme. The diff's
 * title bar has Accept and Reject, which answer the same approval as the tool card's buttons.
 */
import * as vscode from 'vscode';
import { PROPOSAL_SCHEME } from '../../contributionIds';
import { describeError, type Logger } from '../../api/log';
import type { ApprovalBroker } from '../approvals';

export class ProposedChanges implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();

  constructor(
    private readonly approvals: ApprovalBroker,
    private readonly log: Logger,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Opens the diff of `target` (or of nothing, for a new file) against `proposed`; disposing the
   * result closes it. The proposal's name keeps the file's, so it gets the same language. The diff
   * opens in the background: the question on the tool card need not wait for the editor (which, on a
   * busy machine, takes seconds while a language server starts).
   */
  show(callId: string, target: vscode.Uri, display: string, proposed: string, isNew: boolean): vscode.Disposable {
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: callId });
    const left = isNew ? vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: callId, fragment: 'before' }) : target;
    this.contents.set(right.toString(), proposed);
    if (isNew) this.contents.set(left.toString(), '');
    const title = `${display} ${isNew ? '(new file, proposed by Sonnet)' : '(change proposed by Sonnet)'}`;
    const opened = Promise.resolve(vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false })).catch((error: unknown) => {
      this.log.warn(`Could not show the proposed change of ${display}: ${describeError(error)}`);
    });
    return {
      dispose: () => {
        this.contents.delete(right.toString());
        this.contents.delete(left.toString());
        void opened.then(() => closeDiff(right));
      },
    };
  }

  /**
   * Accept or Reject (commands): from the title bar the diff's resource comes as the argument; from
   * the palette, the active tab's.
   */
  answer(uri: vscode.Uri | undefined, approved: boolean): void {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const resource = uri ?? (input instanceof vscode.TabInputTextDiff ? input.modified : undefined);
    if (resource?.scheme !== PROPOSAL_SCHEME || !this.approvals.answer(resource.query, approved)) {
      void vscode.window.showInformationMessage('Sonnet Chat: this change is no longer waiting for an answer.');
    }
  }

  dispose(): void {
    this.contents.clear();
  }
}

async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const key = proposal.toString();
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}
