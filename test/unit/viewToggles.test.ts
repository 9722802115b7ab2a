import * as assert from 'node:assert/strict';
import path from 'node:path';
import { MessagesClient } from '../../src/api/client';
import { ChatController } from '../../src/chat/chatController';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { useTempFolder } from './helpers';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

describe("the Chat view's thinking toggle (ViewToggles)", () => {
  const storage = useTempFolder('sonnet-toggles-');

  it('is the conversation’s choice, remembered as the default for new chats, and never written to settings', async () => {
    const vscode = sharedFakeVscode();
    // Loaded only now: it imports `vscode`, which exists from the line above.
    const { ViewToggles } = await import('../../src/ui/viewToggles');
    const context = vscode.context(PROJECT_ROOT, storage());
    const controller = new ChatController({
      sink: { post: () => undefined, refresh: () => undefined },
      readConfig: () => DEFAULT_CONFIG,
      resolveApiKey: async () => undefined,
      createClient: (options) => new MessagesClient(options),
    });
    const toggles = new ViewToggles({ post: () => undefined, refresh: () => undefined }, controller, context.globalState);
    try {
      assert.equal(toggles.current().thinking, false, 'the setting (off) is the first default');
      const first = controller.current;
      await toggles.setThinking(true);
      assert.equal(first.thinking, true);
      controller.newChat();
      assert.equal(toggles.current().thinking, true, 'a new chat starts with the last choice');
      await toggles.setThinking(false);
      assert.equal(controller.current.thinking, false);
      assert.equal(first.thinking, true, 'the other conversation keeps its own');
      controller.open(first);
      assert.equal(toggles.current().thinking, true);
      assert.deepEqual(
        vscode.calls.filter((call) => call.startsWith('configuration.')),
        [],
        'no setting was read for writing, nor written',
      );
    } finally {
      toggles.dispose();
    }
  });
});
