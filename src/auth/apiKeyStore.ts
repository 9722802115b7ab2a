import * as vscode from 'vscode';
import { apiKeyProblem } from './apiKeyFormat';

const SECRET_NAME = 'sonnet.apiKey';

/**
 * Not a setting and not in any file: `npm start` hands the demo (or the developer's real) key to the
 * extension through this variable, for sessions with empty secret storage. A stored key wins over it.
 */
export const ENVIRONMENT_VARIABLE = 'SONNET_API_KEY';

/**
 * The API key, kept in VS Code's SecretStorage (the OS keychain) only. It is never written to
 * settings, logged, or posted to the webview; only the request to the provider carries it.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The stored key was set, replaced or cleared (here or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_NAME) this.changed.fire();
    });
  }

  /** The stored key, else the one from the environment, else undefined. */
  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_NAME);
    if (stored) return stored;
    const fromEnvironment = process.env[ENVIRONMENT_VARIABLE]?.trim();
    return fromEnvironment ? fromEnvironment : undefined;
  }

  /** Asks for a key and stores it; undefined if the user cancels. */
  async promptAndStore(): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: 'Sonnet Chat: API Key',
      prompt: "Paste your provider API key. It is kept in VS Code's secret storage, never in settings.",
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (input) => apiKeyProblem(input),
    });
    const key = value?.trim();
    if (!key || apiKeyProblem(key)) return undefined;
    await this.secrets.store(SECRET_NAME, key);
    return key;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_NAME);
  }

  /** Whether `get()` would still find a key after `clear()`. */
  get hasEnvironmentKey(): boolean {
    return Boolean(process.env[ENVIRONMENT_VARIABLE]?.trim());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
