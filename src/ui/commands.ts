import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { explainSelectionPrompt, plainPrompt, type Prompt } from '../chat/prompts';
import type { FocusTarget } from '../shared/protocol';
import { setApiKey, type ErrorActionContext } from './errorActions';
import { activeSelection } from './editorContext';

/** Shows the Chat view with the keyboard in its input or its history panel (`ChatViewProvider.show`). */
export type ShowChat = (target: FocusTarget) => Promise<void>;

/**
 * Sends, or asks whether to stop the answer still streaming; the prompt is never dropped silently.
 * The view opens with the keyboard in its input, so a follow-up can be typed at once.
 */
async function sendPrompt(controller: ChatController, showChat: ShowChat, prompt: Prompt): Promise<void> {
  await showChat('input');
  if (!controller.busy) {
    controller.send(prompt);
    return;
  }
  const choice = await vscode.window.showWarningMessage('Sonnet is still answering.', 'Stop and Send');
  if (choice !== 'Stop and Send') return;
  controller.stop();
  await controller.whenIdle();
  controller.send(prompt);
}

/** The chat's commands, by id; `extension.ts` registers every command package.json contributes. */
export function chatCommands(context: ErrorActionContext, showChat: ShowChat): Record<string, (...args: never[]) => unknown> {
  const { controller, keys } = context;
  return {
    // An argument skips the input box (keybindings and tests pass the prompt directly).
    'sonnet.ask': async (question?: unknown) => {
      const text =
        typeof question === 'string'
          ? question
          : await vscode.window.showInputBox({
              title: 'Ask Sonnet',
              prompt: 'The answer streams into the Chat view.',
              placeHolder: 'e.g. How do I debounce a function in TypeScript?',
              ignoreFocusOut: true,
            });
      if (!text?.trim()) return;
      await sendPrompt(controller, showChat, plainPrompt(text.trim()));
    },
    'sonnet.explainSelection': async () => {
      const selection = activeSelection();
      if (!selection) {
        void vscode.window.showInformationMessage('Sonnet Chat: select some code in an editor first.');
        return;
      }
      await sendPrompt(controller, showChat, explainSelectionPrompt(selection));
    },
    'sonnet.newChat': async () => {
      controller.newChat();
      await showChat('input');
    },
    'sonnet.focusChat': () => showChat('input'),
    'sonnet.showHistory': () => showChat('history'),
    'sonnet.stop': () => controller.stop(),
    'sonnet.compactConversation': async () => {
      await showChat('input');
      if (!controller.compact()) void vscode.window.showInformationMessage(controller.busy ? 'Sonnet Chat: wait for the answer to end, or stop it, then compact.' : 'Sonnet Chat: there is no conversation to compact yet.');
    },
    'sonnet.setApiKey': () => setApiKey(context),
    'sonnet.clearApiKey': async () => {
      await keys.clear();
      const message = keys.hasEnvironmentKey
        ? 'Sonnet Chat: the stored API key was removed. The key from the SONNET_API_KEY environment variable is still used.'
        : 'Sonnet Chat: the API key was removed.';
      void vscode.window.showInformationMessage(message);
    },
  };
}
