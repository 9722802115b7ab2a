import * as vscode from 'vscode';
import type { ChatController, ChatSink } from '../chat/chatController';
import { readConfig } from '../config';
import type { ViewSettings } from '../shared/protocol';

/** Where the last choice of the view's thinking toggle is remembered, as the default for new chats. */
const THINKING_DEFAULT_KEY = 'sonnet.thinkingDefault';

/**
 * The toggles in the Chat view. Extended thinking is chosen per conversation (and saved with it); the
 * last choice is remembered as the default for new chats, and the `sonnet.thinking` setting is that
 * default until the toggle is first used, or again once the setting is changed. The view never writes
 * the user's settings.
 */
export class ViewToggles implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly sink: ChatSink,
    private readonly controller: ChatController,
    private readonly state: vscode.Memento,
  ) {
    // Also when the setting is changed in the Settings editor or settings.json, or by another window.
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('sonnet.thinking')) return;
      void this.state.update(THINKING_DEFAULT_KEY, undefined).then(() => this.post());
    });
  }

  /** Extended thinking for a conversation that has not chosen yet. */
  defaultThinking(): boolean {
    return this.state.get<boolean>(THINKING_DEFAULT_KEY) ?? readConfig().thinking;
  }

  current(): ViewSettings {
    return { thinking: this.controller.current.thinking ?? this.defaultThinking() };
  }

  async setThinking(enabled: boolean): Promise<void> {
    this.controller.current.thinking = enabled;
    await this.state.update(THINKING_DEFAULT_KEY, enabled);
  }

  private post(): void {
    this.sink.post({ type: 'settings', settings: this.current() });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
