// The product under test: Sonnet Chat packaged as users get it (`npm run package`), installed into a
// real VS Code (code-server) whose `sonnet.baseUrl` points at a MockProvider on 127.0.0.1.
//
//   describe('asking', function () {
//     const sonnet = useSonnet({ files: { 'src/a.ts': '…' } });
//     it('answers', async () => {
//       sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Hi' }] }));
//       const chat = await sonnet.chat();
//       await chat.send('Hello');
//       await chat.waitForAnswer('Hi');
//     });
//   });

import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Frame, Locator } from 'playwright-core';
import { MockProvider } from '../fixtures/mockProvider';
import { packageVsix, PROJECT_ROOT, RESULTS_DIR, useVSCode, type LaunchOptions, type VSCode } from './harness';

/** A key of the right shape; the mock accepts any. */
export const TEST_API_KEY = 'sk-e2e-0123456789abcdefghijklmnop';

let productVsix: Promise<string> | undefined;

/**
 * The extension built for production and packaged, once per test run: what the Marketplace would
 * ship, so the tests also prove that the package holds everything the extension needs. When the files
 * run in parallel (scripts/e2e.mjs), it was built once before, and each worker only packages it.
 */
export function packageProduct(): Promise<string> {
  productVsix ??= (async () => {
    if (process.env.SONNET_E2E_PREBUILT !== '1') {
      await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'esbuild.mjs'), '--production'], { cwd: PROJECT_ROOT });
    }
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonnet-e2e-vsix-'));
    return packageVsix(PROJECT_ROOT, path.join(dir, 'sonnet-chat.vsix'));
  })();
  return productVsix;
}

export interface SonnetOptions extends Omit<LaunchOptions, 'vsix'> {
  /**
   * The key the extension finds in its environment (`SONNET_API_KEY`); `null` starts with no key at
   * all, as a new user does. Default {@link TEST_API_KEY}.
   */
  apiKey?: string | null;
  /** Other extensions to install beside ours: their .vsix files, made when the VS Code starts. */
  extensions?: () => Promise<string[]>;
}

export interface Sonnet {
  vsc(): VSCode;
  mock(): MockProvider;
  /** The Chat view, opened from the activity bar. */
  chat(): Promise<ChatView>;
}

/**
 * One mock provider and one VS Code with Sonnet Chat per `describe`. The mock's queue and records
 * are cleared before each test, and each test starts with a new chat.
 */
export function useSonnet(options: SonnetOptions = {}): Sonnet {
  let mock: MockProvider | undefined;
  before(async () => {
    mock = await MockProvider.start();
  });
  const { apiKey = TEST_API_KEY, settings, env, extensions, ...launch } = options;
  const vsc = useVSCode(async () => ({
    ...launch,
    vsix: [await packageProduct(), ...((await extensions?.()) ?? [])],
    settings: { 'sonnet.baseUrl': mock!.url, ...settings },
    env: { ...(apiKey === null ? {} : { SONNET_API_KEY: apiKey }), ...env },
  }));
  after(async () => {
    await mock?.close();
  });
  const sonnet: Sonnet = {
    vsc,
    mock: () => {
      if (!mock) throw new Error('the mock provider is not running (did the before hook fail?)');
      return mock;
    },
    chat: async () => {
      await vsc().openActivity('Sonnet Chat');
      const view = new ChatView(await vsc().frameWith('#prompt'));
      await view.live();
      return view;
    },
  };
  beforeEach(async () => {
    mock?.reset();
  });
  return sonnet;
}

/** The Chat view's page, read and driven through its DOM as a person would. */
export class ChatView {
  constructor(readonly frame: Frame) {}

  get prompt(): Locator {
    return this.frame.locator('#prompt');
  }

  /** Waits until the page's script has wired the input: Send is disabled in the page's HTML until then. */
  async live(): Promise<void> {
    await this.frame.locator('#send:not([disabled])').waitFor({ state: 'attached' });
  }

  /** The assistant side of the last turn. */
  get lastAnswer(): Locator {
    return this.frame.locator('.turn.assistant').last();
  }

  get lastUserTurn(): Locator {
    return this.frame.locator('.turn.user').last();
  }

  /** Types `text` into the input and presses Enter, as a person does. */
  async send(text: string): Promise<void> {
    await this.prompt.click();
    await this.prompt.fill(text);
    await this.prompt.press('Enter');
  }

  /** The rendered text of the last answer (without its header and footer). */
  async answerText(): Promise<string> {
    return (await this.lastAnswer.locator('.answer').innerText()).trim();
  }

  /** Waits until the last answer has finished streaming (done, stopped or failed). */
  async waitForAnswerToSettle(timeoutMs = 20_000): Promise<void> {
    await this.lastAnswer.and(this.frame.locator(':not([aria-busy="true"])')).waitFor({ timeout: timeoutMs });
  }

  /** Waits until the last answer has finished and contains `text`. */
  async waitForAnswer(text: string, timeoutMs = 20_000): Promise<string> {
    await this.lastAnswer.locator('.answer', { hasText: text }).waitFor({ timeout: timeoutMs });
    await this.waitForAnswerToSettle(timeoutMs);
    return this.answerText();
  }

  /** The last answer's error card. */
  get errorCard(): Locator {
    return this.lastAnswer.locator('.error-card');
  }

  /** Starts a new chat, so a test does not see the turns of the one before. */
  async newChat(vsc: VSCode): Promise<void> {
    await vsc.runCommand('Sonnet: New Chat');
    await this.frame.locator('.turn').first().waitFor({ state: 'detached' });
  }
}

/** The four default themes, and the class each gives the Chat view's body once it applies. */
const DEFAULT_THEMES: ReadonlyArray<readonly [theme: string, body: string]> = [
  ['Light Modern', 'body.vscode-light'],
  ['Dark Modern', 'body.vscode-dark'],
  ['Dark High Contrast', 'body.vscode-high-contrast:not(.vscode-high-contrast-light)'],
  ['Light High Contrast', 'body.vscode-high-contrast-light'],
];

/** A screenshot in each default theme, as `test-results/<folder>/<name>-<Theme-Name>.png`, to look at. */
export async function screenshotInThemes(vsc: VSCode, chat: ChatView, folder: string, name: string): Promise<void> {
  for (const [theme, body] of DEFAULT_THEMES) {
    await vsc.setColorTheme(theme);
    await chat.frame.locator(body).waitFor();
    await vsc.screenshot(path.join(RESULTS_DIR, folder, `${name}-${theme.replace(/\s+/g, '-')}.png`));
  }
}
