import type { WebviewToHost } from '../shared/protocol';

/** What the page keeps across being hidden and shown again (VS Code stores it for us). */
export interface ViewState {
  draft: string;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The page's one handle on the host; VS Code allows a single `acquireVsCodeApi()` call per page. */
export const host: VsCodeApi = acquireVsCodeApi();
