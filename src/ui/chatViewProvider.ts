import * as vscode from 'vscode';
import type { ChatSink, ChatUpdate } from '../chat/chatController';
import {
  dispatchMessage,
  parseWebviewMessage,
  type FocusTarget,
  type HostToWebview,
  type MessageHandlers,
  type MessageOf,
  type WebviewToHost,
} from '../shared/protocol';
import { DisposableStore } from '../shared/disposableStore';
import { latestTurns } from '../shared/turnWindow';
import { chatHtml, createNonce } from './chatHtml';
import { DeltaCoalescer } from '../shared/deltaCoalescer';
import { CHAT_VIEW_ID } from '../contributionIds';

/** What the view asks the extension to do; `ready`, `draftChanged` and `showEarlierTurns` it handles itself. */
export type ChatViewRequest = Exclude<WebviewToHost, { type: 'ready' | 'draftChanged' | 'showEarlierTurns' }>;

/**
 * The view's whole state but the draft, which the view provider keeps itself. It holds every turn:
 * the provider sends the view the latest (see `turnWindow.ts`) and the earlier ones when it asks.
 */
export type ChatViewState = Omit<MessageOf<HostToWebview, 'state'>, 'type' | 'draft' | 'editing' | 'draftSavedAt' | 'earlier'>;

/** The unsent text of the input box, and the edit it is, if it is one. */
export type ViewDraft = Omit<MessageOf<WebviewToHost, 'draftChanged'>, 'type'>;

export interface ChatViewHost {
  snapshot(): ChatViewState;
  /** The page reported its draft: to keep it through a window reload (the page's own state may not be). */
  onDraftChange?(draft: ViewDraft): void;
  handlers: MessageHandlers<ChatViewRequest>;
  /** The view is about to be shown: time to load what it will show, while its page loads. */
  onResolve?(): void;
  /** The page has (re)loaded and has the state: time to send what `state` does not hold. */
  onReady?(): void;
  /** The folder of the conversations' images, which the page shows. */
  imagesFolder?: vscode.Uri;
}

/**
 * The Chat view in the sidebar. The conversation lives in the host, not in the page: whenever the
 * page (re)loads (first shown, shown again after being hidden, reloaded) it posts `ready` and gets
 * the whole state back. Until then updates are dropped rather than queued, because the snapshot sent
 * on `ready` already contains them; queueing would show them twice.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, ChatSink, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** What listens to the current view; cleared when another view replaces it. */
  private readonly viewSubscriptions = new DisposableStore();
  private ready = false;
  /** The unsent text of the input box (and the edit it is, if it is one), restored with the state. */
  private draft: ViewDraft = { text: '' };
  /** Text for the input box that no page has confirmed having yet (see `putBack`). */
  private pendingPutBack: { text: string; taken: () => void } | undefined;
  private readonly deltas = new DeltaCoalescer((message) => this.postNow(message));
  /** Where the last command that showed the view wants the keyboard, until a ready page is told. */
  private pendingFocus: FocusTarget | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: ChatViewHost,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.releaseView();
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media'), ...(this.host.imagesFolder ? [this.host.imagesFolder] : [])],
    };
    view.webview.html = chatHtml(view.webview, this.extensionUri, createNonce());
    this.host.onResolve?.();
    this.viewSubscriptions.add(view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    // A hidden view's page is discarded; it posts `ready` again when shown.
    this.viewSubscriptions.add(
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
    );
    this.viewSubscriptions.add(
      view.onDidDispose(() => {
        if (this.view === view) this.releaseView();
      }),
    );
  }

  /**
   * Shows the view (VS Code's `.focus` command of every view) with the keyboard in `target`. The page
   * may still be loading, or load again: it is told once it is ready.
   */
  async show(target: FocusTarget): Promise<void> {
    this.pendingFocus = target;
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    this.sendFocus();
  }

  private sendFocus(): void {
    if (!this.ready || !this.pendingFocus) return;
    this.postNow({ type: 'focus', target: this.pendingFocus });
    this.pendingFocus = undefined;
  }

  /** The draft a window kept before it reloaded, unless a page has reported a newer one since: for a page that lost its own. */
  restoreDraft(draft: ViewDraft): void {
    if ((this.draft.savedAt ?? -1) >= (draft.savedAt ?? 0)) return;
    this.draft = draft;
    this.refresh();
  }

  /**
   * Text for the input box before whatever the page holds there: a queued message VS Code reloaded
   * before it was sent. Told to every page that loads until one reports a draft that holds it; then
   * `taken`. Not merged into the host's copy of the draft: the page keeps its own, and prefers it.
   */
  putBack(text: string, taken: () => void): void {
    this.pendingPutBack = { text, taken };
    this.sendPutBack();
  }

  private sendPutBack(): void {
    if (this.ready && this.pendingPutBack) this.postNow({ type: 'putBack', text: this.pendingPutBack.text });
  }

  post(update: ChatUpdate): void {
    if (this.ready) this.deltas.post(update);
  }

  refresh(): void {
    if (this.ready) this.sendState();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendState();
        this.sendPutBack();
        this.host.onReady?.();
        this.sendFocus();
        return;
      case 'draftChanged':
        this.draft = { text: message.text, ...(message.editing ? { editing: message.editing } : {}), ...(message.savedAt !== undefined ? { savedAt: message.savedAt } : {}) };
        this.host.onDraftChange?.(this.draft);
        if (this.pendingPutBack && message.text.includes(this.pendingPutBack.text)) {
          const { taken } = this.pendingPutBack;
          this.pendingPutBack = undefined;
          taken();
        }
        return;
      case 'showEarlierTurns':
        this.sendEarlierTurns(message.before);
        return;
      default:
        dispatchMessage(this.host.handlers, message);
    }
  }

  private sendState(): void {
    this.deltas.discard();
    const snapshot = this.host.snapshot();
    const { text, editing, savedAt } = this.draft;
    const draft = { draft: text, ...(editing ? { editing } : {}), ...(savedAt !== undefined ? { draftSavedAt: savedAt } : {}) };
    const imagesUri = this.host.imagesFolder && this.view?.webview.asWebviewUri(this.host.imagesFolder).toString();
    this.postNow({ type: 'state', ...snapshot, ...latestTurns(snapshot.turns), ...draft, ...(imagesUri ? { imagesUri } : {}) });
  }

  private sendEarlierTurns(before: string): void {
    const turns = this.host.snapshot().turns;
    const end = turns.findIndex((turn) => turn.id === before);
    // A request from before another conversation was opened: the page has been sent that one since.
    if (end < 0) return;
    const shown = latestTurns(turns.slice(0, end));
    this.postNow({ type: 'earlierTurns', before, turns: shown.turns, earlier: shown.earlier?.count ?? 0 });
  }

  private postNow(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private releaseView(): void {
    this.viewSubscriptions.clear();
    this.deltas.discard();
    this.view = undefined;
    this.ready = false;
  }

  dispose(): void {
    this.releaseView();
  }
}
