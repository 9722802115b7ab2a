import * as vscode from 'vscode';
import type { ChatController, ChatSink } from '../chat/chatController';
import { readConfig } from '../config';
import type { ChatMode } from '../shared/chatModes';
import type { AutoApprovingView, ViewSettings } from '../shared/protocol';
import { readToolSettings } from '../tools/vscode/editorTools';

/** Where the last choice of the view's thinking toggle is remembered, as the default for new chats. */
const THINKING_DEFAULT_KEY = 'sonnet.thinkingDefault';

/**
 * The toggles in the Chat view. Extended thinking is chosen per conversation (and saved with it); the
 * last choice is remembered as the default for new chats, and the `sonnet.thinking` setting is that
 * default until the toggle is first used, or again once the setting is changed. The mode is chosen
 * per conversation too; `sonnet.defaultMode` is the one for new chats. The "Auto-approving" badge
 * shows what runs without a click. The view never writes the user's settings.
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
      if (event.affectsConfiguration('sonnet.thinking')) void this.state.update(THINKING_DEFAULT_KEY, undefined).then(() => this.post());
      else if (event.affectsConfiguration('sonnet.defaultMode') || event.affectsConfiguration('sonnet.tools')) this.post();
    });
  }

  /** Extended thinking for a conversation that has not chosen yet. */
  defaultThinking(): boolean {
    return this.state.get<boolean>(THINKING_DEFAULT_KEY) ?? readConfig().thinking;
  }

  current(): ViewSettings {
    const conversation = this.controller.current;
    const autoApproving = this.autoApproving();
    return {
      thinking: conversation.thinking ?? this.defaultThinking(),
      mode: conversation.mode ?? readConfig().defaultMode,
      ...(autoApproving ? { autoApproving } : {}),
    };
  }

  private autoApproving(): AutoApprovingView | undefined {
    const tools = readToolSettings();
    const view = { editsInChat: this.controller.current.approvals.editsInChat, editsAlways: tools.autoApproveEdits, commandRules: tools.commandRules.allow.length };
    return view.editsInChat || view.editsAlways || view.commandRules > 0 ? view : undefined;
  }

  setMode(mode: ChatMode): void {
    this.controller.setMode(mode);
  }

  /** The badge's click: this chat's edits ask again. */
  stopAutoApprovingEdits(): void {
    this.controller.current.approvals.editsInChat = false;
    this.post();
  }

  async setThinking(enabled: boolean): Promise<void> {
    this.controller.current.thinking = enabled;
    await this.state.update(THINKING_DEFAULT_KEY, enabled);
  }

  /** Shows the toggles as they stand now (a mode switched by Run this plan, a per-chat approval chosen). */
  post(): void {
    this.sink.post({ type: 'settings', settings: this.current() });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
