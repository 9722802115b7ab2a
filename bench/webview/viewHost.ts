/**
 * The Chat view's host side, for the harness page: the real ChatViewProvider with a stand-in for VS
 * Code's WebviewView, so the bench posts the page exactly what the extension would (say, the `state`
 * answering `ready`) rather than what the bench thinks it would. Needs the fake `vscode` module the
 * harness provides, so it is loaded only once the harness has started.
 */
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import type { ChatViewState } from '../../src/ui/chatViewProvider';

export interface ViewHost {
  /** What the provider posts when the page says `message`: e.g. the `state` for `ready`. */
  answer(message: WebviewToHost): HostToWebview[];
}

const disposable = { dispose: () => undefined };

/** A provider showing `state`; the page's requests other than the view's own are ignored. */
export async function viewHost(state: ChatViewState): Promise<ViewHost> {
  const { ChatViewProvider } = await import('../../src/ui/chatViewProvider');
  const provider = new ChatViewProvider({ path: '/extension' } as never, { snapshot: () => state, handlers: new Proxy({}, { get: () => () => undefined }) as never });
  let posted: HostToWebview[] = [];
  let receive: (message: unknown) => void = () => undefined;
  const webview = {
    options: {},
    html: '',
    cspSource: 'bench',
    asWebviewUri: (uri: unknown) => uri,
    postMessage: async (message: HostToWebview) => void posted.push(message),
    onDidReceiveMessage: (listener: (message: unknown) => void) => {
      receive = listener;
      return disposable;
    },
  };
  provider.resolveWebviewView({ webview, visible: true, onDidChangeVisibility: () => disposable, onDidDispose: () => disposable } as never);
  return {
    answer(message) {
      posted = [];
      receive(message);
      return posted;
    },
  };
}
