import * as vscode from 'vscode';
import type { ChatController, ChatSink, ConversationEvent } from '../chat/chatController';
import type { Conversation } from '../chat/conversation';
import { shortenTitle } from '../chat/conversationJson';
import type { ConversationSummary } from '../shared/protocol';
import type { HistoryStore, LoadResult } from './historyStore';
import type { OpenConversationMemory } from './openConversationMemory';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a conversation could not be opened, as the user reads it. */
function loadProblem(title: string, result: Extract<LoadResult, { ok: false }>): string {
  switch (result.problem) {
    case 'missing':
      return `Sonnet Chat: "${title}" is no longer in the history.`;
    case 'newer':
      return `Sonnet Chat: "${title}" was saved by a later version of Sonnet Chat and cannot be opened by this one. It is left untouched.`;
    case 'corrupt':
      return `Sonnet Chat: "${title}" could not be read (${result.detail}). Its file was kept as ${result.keptAs} in the history folder; the other conversations are fine.`;
  }
}

/**
 * The saved conversations as the user meets them: saved as each turn starts and ends, listed in the
 * Chat view's history panel, reopened, renamed and deleted; and the one a window showed is shown
 * again when it reloads. A conversation that cannot be saved stays open and whole in memory; the user
 * is warned once, until saving works again.
 */
export class ChatHistory {
  private saveFailing = false;
  private restoreStarted = false;

  constructor(
    private readonly store: HistoryStore,
    private readonly controller: ChatController,
    private readonly sink: ChatSink,
    /** The conversation this workspace's window shows: each window reopens its own. */
    private readonly openConversation: OpenConversationMemory,
  ) {}

  /**
   * Ends the turn that is running (keeping what arrived) and settles once it and every save before it
   * are on disk: a window that reloads or closes right after an answer keeps that answer.
   */
  async flush(): Promise<void> {
    this.controller.stop();
    await this.controller.whenIdle();
    await this.store.idle();
  }

  /** Follows the controller: what it shows is remembered, what changes is saved. */
  onConversationChange(conversation: Conversation, event: ConversationEvent): void {
    // The first conversation of a window is on screen without being opened: its first turn counts.
    if (conversation === this.controller.current) void this.openConversation.remember(conversation.id);
    if (event === 'opened') void this.postList();
    // While an answer streams the list does not change: saved, not listed again.
    else this.save(conversation, event !== 'turnProgress');
  }

  /**
   * Shows the conversation this window showed before it reloaded, unless a new one has begun. Only
   * the first call restores: later ones (the view shown again) keep what the user has open since.
   */
  async restore(): Promise<void> {
    if (this.restoreStarted) return;
    this.restoreStarted = true;
    const shown = this.controller.current;
    const id = await this.openConversation.recall();
    if (id === undefined) return;
    const result = await this.store.load(id).catch(() => undefined);
    // Meanwhile the user may have begun a turn or a new chat, or opened another conversation.
    if (!result || this.controller.current !== shown || shown.turns.length > 0) return;
    if (result.ok) this.controller.open(result.conversation);
    // A conversation deleted since is simply gone; one that cannot be read is said, as when opened.
    else if (result.problem !== 'missing') void vscode.window.showWarningMessage(loadProblem(result.title ?? (await this.titleOf(id)), result));
  }

  /** Saves in the background, then shows the list as it now is (with `relist`). */
  private save(conversation: Conversation, relist: boolean): void {
    this.store.save(conversation).then(
      (summary) => {
        this.saveFailing = false;
        if (summary && relist) void this.postList();
      },
      (error: unknown) => {
        if (this.saveFailing) return;
        this.saveFailing = true;
        void vscode.window.showWarningMessage(
          `Sonnet Chat could not save this conversation to the history (${reason(error)}). ` +
            'It stays open in the Chat view, and saving is tried again after the next answer.',
        );
      },
    );
  }

  /** Posts the list to the view; unreadable history reads as an empty list, with a warning. */
  async postList(): Promise<void> {
    let conversations: ConversationSummary[] = [];
    try {
      conversations = await this.store.list();
    } catch (error) {
      void vscode.window.showWarningMessage(`Sonnet Chat could not read the history: ${reason(error)}`);
    }
    this.sink.post({ type: 'history', conversations, activeId: this.controller.current.id });
  }

  async open(id: string): Promise<void> {
    if (id === this.controller.current.id) return;
    const title = await this.titleOf(id);
    let result: LoadResult;
    try {
      result = await this.store.load(id);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sonnet Chat could not open "${title}": ${reason(error)}`);
      return;
    }
    if (result.ok) {
      this.controller.open(result.conversation);
      return;
    }
    void vscode.window.showWarningMessage(loadProblem(title, result));
    await this.postList();
  }

  async rename(id: string): Promise<void> {
    const current = await this.titleOf(id);
    const title = await vscode.window.showInputBox({
      title: 'Rename Conversation',
      value: current,
      prompt: 'Leave empty to name it after its first prompt.',
      validateInput: (value) => (value.trim().length > 80 ? 'At most 80 characters.' : undefined),
    });
    if (title === undefined) return;
    // The open conversation is saved again after each turn: it must carry the new title too.
    if (id === this.controller.current.id) this.controller.current.title = shortenTitle(title);
    try {
      const result = await this.store.rename(id, title);
      if (!result.ok) void vscode.window.showWarningMessage(loadProblem(current, result));
    } catch (error) {
      void vscode.window.showErrorMessage(`Sonnet Chat could not rename "${current}": ${reason(error)}`);
    }
    await this.postList();
  }

  /** Asks, then deletes; true when the conversation is gone from the history. */
  async delete(id: string): Promise<boolean> {
    const title = await this.titleOf(id);
    const choice = await vscode.window.showWarningMessage(
      `Delete "${title}"?`,
      { modal: true, detail: 'The conversation is removed from the history. This cannot be undone.' },
      'Delete',
    );
    if (choice !== 'Delete') return false;
    if (id === this.controller.current.id) this.controller.newChat();
    let deleted = true;
    try {
      await this.store.delete(id);
    } catch (error) {
      deleted = false;
      void vscode.window.showErrorMessage(`Sonnet Chat could not delete "${title}": ${reason(error)}`);
    }
    await this.postList();
    return deleted;
  }

  /** The title the user knows the conversation by, for messages and the rename box. */
  private async titleOf(id: string): Promise<string> {
    const listed = await this.store.list().catch(() => []);
    return listed.find((summary) => summary.id === id)?.title ?? 'this conversation';
  }
}
