/**
 * The host side of the chat as the extension wires it, minus VS Code: a ChatController whose updates
 * go through the same DeltaCoalescer the Chat view uses before they are posted to the webview.
 */
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import type { HostToWebview } from '../../src/shared/protocol';
import { DeltaCoalescer } from '../../src/shared/deltaCoalescer';

export interface ChatRig {
  controller: ChatController;
  /** Sends one prompt and resolves when the turn is over. */
  ask(text: string): Promise<void>;
}

/** `posted` sees every message exactly when the Chat view would hand it to the webview. */
export function chatRig(baseUrl: string, model: string, posted: (message: HostToWebview) => void): ChatRig {
  const coalescer = new DeltaCoalescer(posted);
  const controller = new ChatController({
    sink: { post: (update: ChatUpdate) => coalescer.post(update), refresh: () => coalescer.discard() },
    readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl, model, maxRetries: 0 }),
    resolveApiKey: async () => 'sk-bench-0123456789abcdef',
    createClient: (options) => new MessagesClient(options),
  });
  return {
    controller,
    async ask(text) {
      if (!controller.send(plainPrompt(text))) throw new Error('the chat refused the prompt (busy?)');
      await controller.whenIdle();
      coalescer.flush();
      const failure = controller.lastFailure();
      if (failure) throw new Error(`the turn failed: ${failure.error.title}: ${failure.error.message}`);
    },
  };
}
