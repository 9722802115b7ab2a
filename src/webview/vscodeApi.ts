import type { EditingView, WebviewToHost } from '../shared/protocol';

/** What the page keeps across being hidden, shown again or reloaded (VS Code stores it for us). */
export interface ViewState {
  draft: string;
  /** Set while `draft` is an edit of an earlier prompt: the banner comes back with it. */
  editing: EditingView;
  /** When `draft` was saved (see `restoreDraft`). */
  draftSavedAt: number;
  /** Prompts sent from this view, oldest first, for up-arrow recall. */
  sentPrompts: string[];
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): Partial<ViewState> | undefined;
  setState(state: Partial<ViewState>): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The page's one handle on the host; VS Code allows a single `acquireVsCodeApi()` call per page. */
export const host: VsCodeApi = acquireVsCodeApi();

/** Changes part of the saved state and keeps the rest. */
export function saveState(change: Partial<ViewState>): void {
  host.setState({ ...host.getState(), ...change });
}
