import * as vscode from 'vscode';
import type { ChatSink } from '../chat/chatController';
import { readConfig } from '../config';
import type { ViewSettings } from '../shared/protocol';

/** The toggles in the Chat view, mirrored from the `sonnet.*` settings both ways. */
export class ViewSettingsMirror implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sink: ChatSink) {
    // Also when the setting is changed in the Settings editor or settings.json, or by another window.
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('sonnet.thinking')) this.post();
    });
  }

  current(): ViewSettings {
    return { thinking: readConfig().thinking };
  }

  async setThinking(enabled: boolean): Promise<void> {
    const settings = vscode.workspace.getConfiguration('sonnet');
    // The user settings, unless this workspace sets its own value, which would hide a change to them.
    const target =
      settings.inspect<boolean>('thinking')?.workspaceValue === undefined ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
    try {
      await settings.update('thinking', enabled, target);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sonnet Chat could not change the thinking setting: ${(error as Error).message}`);
      // The toggle goes back to what is really set.
      this.post();
    }
  }

  private post(): void {
    this.sink.post({ type: 'settings', settings: this.current() });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
