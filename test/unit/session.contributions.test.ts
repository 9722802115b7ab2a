import * as assert from 'node:assert/strict';
import path from 'node:path';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { useTempFolder } from './helpers';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    languageModelTools: Array<{ name: string }>;
    keybindings: Array<{ command: string; key: string; mac: string }>;
  };
}

/**
 * The activation shell registers whatever package.json contributes and hands each call to the
 * session: a contribution the session does not implement would fail only when a user tries it.
 */
describe('what package.json contributes, the session implements', () => {
  const storage = useTempFolder('sonnet-session-');

  it('every command and every Language Model tool, and nothing else', async () => {
    const vscode = sharedFakeVscode();
    // Loaded only now: the session imports `vscode`, which exists from the line above.
    const { startSession } = await import('../../src/session');
    const context = vscode.context(PROJECT_ROOT, storage());
    const { lazyLog } = await import('../../src/ui/log');
    const session = startSession(context, lazyLog()());
    try {
      const { contributes } = context.extension.packageJSON as Manifest;
      assert.deepEqual(Object.keys(session.commands).sort(), contributes.commands.map((c) => c.command).sort());
      assert.deepEqual([...session.languageModelTools.keys()].sort(), contributes.languageModelTools.map((t) => t.name).sort());
    } finally {
      for (const subscription of context.subscriptions) subscription.dispose();
    }
  });
});

describe("the Chat view's empty state", () => {
  it('shows the keys package.json binds, as each platform writes them', async () => {
    const vscode = sharedFakeVscode();
    const { chatHtml } = await import('../../src/ui/chatHtml');
    const { contributes } = vscode.context(PROJECT_ROOT, PROJECT_ROOT).extension.packageJSON as Manifest;
    const webview = { cspSource: 'vscode-resource:', asWebviewUri: (uri: unknown) => uri };
    const extensionUri = { scheme: 'file', authority: '', path: PROJECT_ROOT };
    const html = chatHtml(webview as never, extensionUri as never, 'nonce');
    const empty = html.slice(html.indexOf('id="empty"'), html.indexOf('</section>', html.indexOf('id="empty"')));
    const written = (key: string) => key.split('+').map((part) => part[0].toUpperCase() + part.slice(1)).join('+');
    for (const command of ['sonnet.focusChat', 'sonnet.explainSelection']) {
      const binding = contributes.keybindings.find((b) => b.command === command);
      assert.ok(binding, command);
      assert.ok(empty.includes(`<kbd>${written(binding.key)}</kbd>`), `${command}: ${written(binding.key)}`);
      if (command === 'sonnet.focusChat') assert.ok(empty.includes(`<kbd>${written(binding.mac)}</kbd>`), `${command} on macOS`);
    }
  });
});
