// End-to-end harness: a real VS Code (code-server, see scripts/) driven by Playwright in Debian's
// Chromium, the way a person drives it: command palette, input boxes, right-click menus, webviews.
//
//   describe('my flow', function () {
//     const vsc = useVSCode({ vsix: 'sonnet-chat.vsix', settings: { 'sonnet.baseUrl': mock.url } });
//     it('asks', async () => {
//       await vsc().runCommand('Sonnet: Ask Sonnet');
//       await vsc().answerInput('hello');
//       const chat = await vsc().frameWith('#prompt');
//     });
//   });
//
// On a failed test, useVSCode() saves a screenshot, the browser console, the webviews' DOM and VS
// Code's logs (extension host included) into test-results/<test title>/.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { startCodeServer, type CodeServer, type StartOptions } from '../../scripts/code-server.mjs';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');

/** Debian's Chromium (`apt-get install chromium`); `npx playwright install` cannot download here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium keeps dialling out. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchOptions extends StartOptions {
  /** Files to create in the workspace before start, relative path -> content. */
  files?: Record<string, string>;
  /** Symbolic links to create in the workspace after `files`, relative path -> target as the link holds it. */
  links?: Record<string, string>;
  /** A `.code-workspace` file among `files` to open instead of the folder: a multi-root workspace. */
  workspaceFile?: string;
  /** Default true; `E2E_HEADED=1` shows the browser (needs a display). */
  headless?: boolean;
  viewport?: { width: number; height: number };
  /** Show scrollbars, as a person's browser does (headless Chromium hides them): for tests of the look. */
  scrollbars?: boolean;
  /** Wait for the workbench this long (default 60 s). */
  workbenchTimeoutMs?: number;
}

export interface Timings {
  /** code-server started (includes `--install-extension`). */
  serverMs: number;
  /** Chromium launched. */
  browserMs: number;
  /** `.monaco-workbench` present after navigation. */
  workbenchMs: number;
  totalMs: number;
}

type Text = string | RegExp;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A string matches whole (trimmed), a RegExp as given. */
const exact = (t: Text) => (typeof t === 'string' ? new RegExp(`^\\s*${escapeRegExp(t)}\\s*$`) : t);
const matches = (t: Text, s: string) => (typeof t === 'string' ? s.trim() === t : t.test(s));

/** A file-system-safe folder name for a test title. */
export function sanitize(title: string): string {
  return title.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'test';
}

export class VSCode {
  /** Browser console lines (errors and warnings, and everything with E2E_CONSOLE=1). */
  readonly console: string[] = [];

  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly timings: Timings,
  ) {}

  /** Start a fresh code-server, open its workspace in Chromium and wait for the workbench. */
  static async launch(opts: LaunchOptions = {}): Promise<VSCode> {
    const t0 = Date.now();
    if (!fs.existsSync(CHROMIUM_PATH)) {
      throw new Error(`no Chromium at ${CHROMIUM_PATH}: node scripts/system-packages.mjs chromium installs Debian's (or set CHROMIUM_PATH)`);
    }
    let workspace = opts.workspace;
    let ownWorkspace: string | undefined;
    if (opts.files || opts.links) {
      workspace ??= ownWorkspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'vscode-ws-'));
      for (const [rel, content] of Object.entries(opts.files ?? {})) {
        const file = path.join(workspace, rel);
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await fsp.writeFile(file, content);
      }
      for (const [rel, target] of Object.entries(opts.links ?? {})) await fsp.symlink(target, path.join(workspace, rel));
    }
    let server: CodeServer;
    try {
      server = await startCodeServer({ ...opts, workspace });
    } catch (err) {
      if (ownWorkspace) await fsp.rm(ownWorkspace, { recursive: true, force: true });
      throw err;
    }
    if (ownWorkspace && !opts.keep) {
      // The workspace we made goes with the server.
      const stop = server.stop.bind(server);
      const dir = ownWorkspace;
      server.stop = async () => {
        await stop();
        await fsp.rm(dir, { recursive: true, force: true });
      };
    }
    const serverMs = Date.now() - t0;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: opts.headless ?? process.env.E2E_HEADED !== '1',
        args: CHROMIUM_ARGS,
        ignoreDefaultArgs: opts.scrollbars ? ['--hide-scrollbars'] : undefined,
      });
      const browserMs = Date.now() - t0;
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const timings: Timings = { serverMs, browserMs, workbenchMs: 0, totalMs: 0 };
      const vsc = new VSCode(server, browser, context, page, timings);
      page.on('console', (m) => {
        if (process.env.E2E_CONSOLE === '1' || m.type() === 'error' || m.type() === 'warning') {
          vsc.console.push(`[${new Date().toISOString()}] ${m.type()}: ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => vsc.console.push(`[${new Date().toISOString()}] pageerror: ${e.stack ?? e.message}`));
      try {
        const address = opts.workspaceFile ? `${server.url}?workspace=${encodeURIComponent(path.join(server.workspace, opts.workspaceFile))}` : server.folderUrl();
        await page.goto(address, { waitUntil: 'domcontentloaded', timeout: 30_000 });
        await vsc.waitForWorkbench(opts.workbenchTimeoutMs ?? 60_000);
      } catch (err) {
        await vsc.saveArtifacts(path.join(RESULTS_DIR, 'launch-failure')).catch(() => {});
        throw err;
      }
      timings.workbenchMs = Date.now() - t0;
      timings.totalMs = timings.workbenchMs;
      return vsc;
    } catch (err) {
      await browser?.close().catch(() => {});
      await server.stop();
      throw err;
    }
  }

  /** Wait until the workbench is laid out (editor area and activity bar present). */
  async waitForWorkbench(timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    await this.page.waitForSelector('.monaco-workbench .part.editor', { timeout: timeoutMs });
    await this.page.waitForSelector('.monaco-workbench .part.activitybar, .monaco-workbench .activitybar', { timeout: timeoutMs });
  }

  /** Reload the window (e.g. after changing settings on disk) and wait for the workbench. */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'domcontentloaded' });
    await this.waitForWorkbench();
  }

  // ---------------------------------------------------------------------------------------------
  // quick input (palette, input boxes, quick picks)

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  private quickInputRows(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** Close any quick input, notification focus or menu. */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      if (!(await this.quickInput.isVisible()) && !(await this.page.locator('.context-view .monaco-menu').first().isVisible())) return;
      await this.page.keyboard.press('Escape');
      await sleep(100);
    }
  }

  /** Open the palette (F1) with `text` typed after the '>'. */
  private async openQuickAccess(value: string): Promise<void> {
    // Focus moving elsewhere (a view that shows itself when a command of the test before ends) closes
    // the palette under the typing: it is opened again then, a few times at most.
    for (let attempt = 1; ; attempt++) {
      await this.dismiss();
      await this.page.keyboard.press('F1');
      await this.quickInputBox.waitFor({ state: 'visible', timeout: 10_000 });
      try {
        await this.quickInputBox.fill(value, { timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3 || (await this.quickInputBox.isVisible())) throw error;
      }
    }
  }

  /** Labels of the rows the quick input shows now. */
  async quickInputLabels(): Promise<string[]> {
    return this.quickInputRows().evaluateAll((rows) =>
      rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim()),
    );
  }

  /**
   * Wait (up to `timeoutMs`) for a quick-input row labelled `label` and click it. Returns false if
   * none appeared.
   */
  private async clickQuickInputRow(label: Text, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    do {
      const labels = await this.quickInputLabels().catch(() => [] as string[]);
      const i = labels.findIndex((l) => matches(label, l));
      if (i >= 0) {
        await this.quickInputRows().nth(i).click();
        return true;
      }
      await sleep(150);
    } while (Date.now() < deadline);
    return false;
  }

  /**
   * Run a command from the palette by its full title as the palette shows it ("Category: Title").
   * Retries while the command is not there yet (extensions register contributions a few seconds
   * after the workbench appears).
   */
  async runCommand(title: string, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      try {
        await this.openQuickAccess(`>${title}`);
      } catch {
        // The palette closed as it opened: the focus moved meanwhile (into an editor a command had
        // just revealed, say), which closes it as it would for a person. Open it again.
        await sleep(500);
        continue;
      }
      if (await this.clickQuickInputRow(title, 3_000)) return;
      seen = await this.quickInputLabels().catch(() => []);
      await this.page.keyboard.press('Escape');
      await sleep(500);
    }
    throw new Error(`command "${title}" not found in the palette within ${timeoutMs} ms (palette showed: ${JSON.stringify(seen.slice(0, 8))})`);
  }

  /**
   * Answer an input box (`showInputBox`): wait for it (optionally for `prompt` in its message or
   * placeholder), type `text`, press Enter.
   */
  async answerInput(text: string, { prompt, timeoutMs = 15_000 }: { prompt?: Text; timeoutMs?: number } = {}): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    if (prompt) await this.waitForQuickInputText(prompt, timeoutMs);
    await this.quickInputBox.fill(text);
    await this.quickInputBox.press('Enter');
    await this.afterQuickInputAccept(text);
  }

  /** Pick an item of a quick pick (`showQuickPick`) by label. */
  async pickQuickItem(label: Text, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    if (!(await this.clickQuickInputRow(label, timeoutMs))) {
      throw new Error(`no quick pick item ${label} (showing: ${JSON.stringify(await this.quickInputLabels())})`);
    }
  }

  /** Text of the quick input's prompt/message/title/placeholder. */
  async quickInputText(): Promise<string> {
    return this.quickInput.evaluate((w) => {
      const input = w.querySelector<HTMLInputElement>('.quick-input-box input');
      return [
        w.querySelector('.quick-input-title')?.textContent,
        w.querySelector('.quick-input-message')?.textContent,
        input?.placeholder,
        input?.getAttribute('aria-label'),
      ]
        .filter(Boolean)
        .join('\n');
    });
  }

  private async waitForQuickInputText(t: Text, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.quickInputText().catch(() => '');
      if (typeof t === 'string' ? last.includes(t) : t.test(last)) return;
      await sleep(100);
    }
    throw new Error(`quick input never showed ${t} (showed: ${JSON.stringify(last)})`);
  }

  /** After Enter: the widget closes, or the next prompt replaces the value. */
  private async afterQuickInputAccept(value: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (!(await this.quickInput.isVisible())) return;
      const v = await this.quickInputBox.inputValue().catch(() => '');
      if (v !== value) return;
      await sleep(50);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // editor

  /** Open a workspace file by relative path with Quick Open, and wait for its editor. */
  async openFile(relPath: string, { timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const base = path.posix.basename(relPath.replace(/\\/g, '/'));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.openQuickAccess(relPath);
      // Quick Open rows: label = file name, description = folder.
      if (await this.clickQuickInputRow(base, 4_000)) {
        await this.page
          .locator(`.tabs-container .tab.active[data-resource-name="${base}"], .tabs-container .tab.active[aria-label^="${base}"]`)
          .first()
          .waitFor({ timeout: 10_000 });
        await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
        return;
      }
      await this.page.keyboard.press('Escape');
      await sleep(500);
    }
    throw new Error(`could not open ${relPath} with Quick Open`);
  }

  /** The active text editor's root element. */
  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Move the cursor to line:column (1-based) with "Go to Line". */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.activeEditor.waitFor();
    await this.openQuickAccess(`:${line}:${column}`);
    await this.quickInputBox.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Select whole lines `start`..`end` (1-based, inclusive) in the active editor: from column 1 of
   * `start` to the end of `end`. Returns the status bar's selection text ("Ln 3, Col 5 (42 selected)").
   */
  async selectLines(start: number, end: number): Promise<string> {
    if (end < start) throw new Error(`bad line range ${start}-${end}`);
    await this.goToLine(start, 1);
    for (let i = start; i < end; i++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
    const status = this.page.locator('.statusbar-item[id="status.editor.selection"]');
    await status.filter({ hasText: /selected/ }).waitFor({ timeout: 5_000 }).catch(() => {});
    return ((await status.textContent().catch(() => '')) ?? '').trim();
  }

  /**
   * Right-click in the active editor (on the selection if there is one, so it stays selected) and
   * choose `label` from the context menu.
   */
  async contextMenu(label: Text): Promise<void> {
    await this.dismiss();
    await this.activeEditor.waitFor();
    // The first visible piece of the selection highlight, else the first line of text.
    const boxes = async (sel: string) =>
      (await this.activeEditor.locator(sel).evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
      )).filter((b) => b.width > 2 && b.height > 2);
    const box = (await boxes('.view-overlays .selected-text'))[0] ?? (await boxes('.view-lines .view-line'))[0];
    if (!box) throw new Error('nothing to right-click in the active editor');
    await this.page.mouse.click(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2, { button: 'right' });
    await this.clickMenuItem(label);
  }

  /** Click an item of the open context menu (VS Code draws menus in a shadow root; CSS pierces it). */
  async clickMenuItem(label: Text, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.first().waitFor({ state: 'visible', timeout: timeoutMs });
    const item = menu.locator('.action-item:not(.disabled)').filter({ has: this.page.locator('.action-label', { hasText: exact(label) }) });
    try {
      await item.first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const labels = await menu.locator('.action-label').allTextContents().catch(() => []);
      throw new Error(`no menu item ${label} (menu: ${JSON.stringify(labels.map((l) => l.trim()).filter(Boolean))})`);
    }
    // A click that lands while the menu is still animating in can be ignored: retry until it closes.
    for (let attempt = 0; ; attempt++) {
      await item.first().click({ timeout: 5_000 }).catch(() => {});
      try {
        await menu.first().waitFor({ state: 'hidden', timeout: 2_000 });
        return;
      } catch {
        if (attempt >= 2) throw new Error(`clicking menu item ${label} did not close the menu`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // notifications, views, webviews

  /**
   * Wait for a notification toast containing `text`; returns its locator. VS Code folds a message
   * identical to one already shown into the old toast: clearNotifications() first when waiting for
   * a repeat.
   */
  async notification(text: Text, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    try {
      await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new Error(`no notification ${text} within ${timeoutMs} ms (showing: ${JSON.stringify(await this.notificationTexts())})`);
    }
    return toast;
  }

  /** Texts of the visible notification toasts. */
  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allTextContents();
  }

  /** Click a button (e.g. "Set API Key") of the notification containing `text`. */
  async clickNotificationButton(text: Text, button: Text): Promise<void> {
    const toast = await this.notification(text);
    await toast.locator('.monaco-button', { hasText: exact(button) }).first().click();
  }

  /** Close all notifications (so later waits see only new ones). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  /**
   * The frame (webviews are iframes nested two deep) whose document has `selector`, e.g.
   * `frameWith('#prompt')` for the chat view. Polls until it is loaded.
   */
  async frameWith(selector: string, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        try {
          if (await frame.$(selector)) return frame;
        } catch {
          // navigating or detached meanwhile
        }
      }
      await sleep(200);
    }
    throw new Error(`no frame contains ${selector} within ${timeoutMs} ms (frames: ${JSON.stringify(this.page.frames().map((f) => f.url().slice(0, 100)))})`);
  }

  /** Open a view container from the activity bar by its title (e.g. "Sonnet Chat"). */
  async openActivity(title: string): Promise<void> {
    await this.dismiss();
    const item = this.page.locator(`.activitybar .action-item a.action-label[aria-label^="${title}"], .activitybar .action-item[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    const checked = await item.evaluate((el) => (el.closest('.action-item') ?? el).classList.contains('checked'));
    // After a reload the item can come back marked open while the side bar is closed.
    const sideBarVisible = await this.page.locator('.monaco-workbench .part.sidebar').isVisible();
    if (!checked || !sideBarVisible) await item.click();
  }

  /**
   * Switch the colour theme with "Preferences: Color Theme", as a person does, by its label in the
   * picker ("Light Modern", "Dark High Contrast"); webviews follow without a reload.
   */
  async setColorTheme(label: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.quickInputBox.fill(label);
    await this.pickQuickItem(label);
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** The side bar's width in CSS pixels. */
  async sideBarWidth(): Promise<number> {
    const box = await this.page.locator('.monaco-workbench .part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not shown');
    return box.width;
  }

  /**
   * Drag the side bar's edge (its sash) so that the side bar is `width` pixels wide, as far as VS Code
   * allows (its narrowest is 170). Returns the width it took.
   */
  async setSideBarWidth(width: number): Promise<number> {
    const sideBar = await this.page.locator('.monaco-workbench .part.sidebar').boundingBox();
    if (!sideBar) throw new Error('the side bar is not shown');
    const edge = sideBar.x + sideBar.width;
    const sashes = await this.page.locator('.monaco-workbench .monaco-sash.vertical').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, height: r.height })),
    );
    const sash = sashes.filter((s) => Math.abs(s.x - edge) <= 4 && s.height > 100)[0];
    if (!sash) throw new Error(`no sash at the side bar's edge (x ${edge})`);
    await this.page.mouse.move(sash.x, sash.y);
    await this.page.mouse.down();
    await this.page.mouse.move(sideBar.x + width, sash.y, { steps: 8 });
    await this.page.mouse.up();
    return this.sideBarWidth();
  }

  // ---------------------------------------------------------------------------------------------
  // settings

  get settingsFile(): string {
    return path.join(this.server.userDataDir, 'User', 'settings.json');
  }

  /** The user settings on disk (what a user would find in settings.json). */
  async readSettings(): Promise<Record<string, unknown>> {
    return JSON.parse(await fsp.readFile(this.settingsFile, 'utf8')) as Record<string, unknown>;
  }

  /**
   * Merge `changes` into the user settings file (a value of undefined removes the key), then reload
   * the window so that VS Code and the extension host read it afresh (~5 s).
   *
   * Why the reload: code-server's watcher does report the write, and the workbench re-reads the
   * file, yet the extension host here often keeps the old values for good (seen with 1.139.1).
   * Pass `{ reload: false }` only for a setting the test then proves has been applied.
   */
  async updateSettings(changes: Record<string, unknown>, { reload = true }: { reload?: boolean } = {}): Promise<void> {
    const settings = await this.readSettings();
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete settings[k];
      else settings[k] = v;
    }
    await fsp.writeFile(this.settingsFile, JSON.stringify(settings, null, 2) + '\n');
    if (reload) await this.reload();
  }

  // ---------------------------------------------------------------------------------------------
  // artifacts

  async screenshot(file: string): Promise<string> {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Save what explains a failure into `dir`: screenshot.png, console.log (browser), webviews.html
   * (each webview frame's DOM), logs/ (VS Code's: remoteagent, exthost1/remoteexthost.log, output
   * channels of extensions) and code-server.log.
   */
  async saveArtifacts(dir: string): Promise<string> {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.mkdir(dir, { recursive: true });
    await this.screenshot(path.join(dir, 'screenshot.png')).catch((e) => fsp.writeFile(path.join(dir, 'screenshot-error.txt'), String(e)));
    await fsp.writeFile(path.join(dir, 'console.log'), this.console.join('\n') + '\n');
    const frames: string[] = [];
    for (const f of this.page.frames()) {
      if (f === this.page.mainFrame() || f.isDetached()) continue;
      // A frame that hangs must not stop the rest of the artifacts from being saved.
      const html = await Promise.race([
        f.evaluate(() => document.documentElement.outerHTML).catch(() => undefined),
        sleep(5_000).then(() => undefined),
      ]);
      if (html) frames.push(`<!-- frame ${f.name()} ${f.url().slice(0, 200)} -->\n${html}`);
    }
    if (frames.length) await fsp.writeFile(path.join(dir, 'webviews.html'), frames.join('\n\n'));
    await this.server.copyLogs(dir);
    return dir;
  }

  /** Close the browser and stop the server (whole process tree). */
  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop();
  }
}

/**
 * Mocha hooks for one VS Code per `describe`: launched in `before`, closed in `after`; a failed test
 * leaves its artifacts in test-results/<full test title>/. Returns a getter for the instance.
 */
export function useVSCode(opts: LaunchOptions | (() => LaunchOptions | Promise<LaunchOptions>) = {}): () => VSCode {
  let vsc: VSCode | undefined;
  before(async function () {
    // The first run on a machine installs code-server (~2.5 min); later ones take seconds.
    this.timeout(6 * 60_000);
    vsc = await VSCode.launch(typeof opts === 'function' ? await opts() : opts);
    if (process.env.E2E_TIMINGS === '1') console.log(`      (VS Code ready: ${JSON.stringify(vsc.timings)})`);
  });
  afterEach(async function () {
    const t = this.currentTest;
    if (vsc && t && t.state === 'failed') {
      const dir = await vsc.saveArtifacts(path.join(RESULTS_DIR, sanitize(t.fullTitle())));
      console.log(`      artifacts: ${path.relative(process.cwd(), dir)}`);
    }
    // Leave no palette, input box or menu open for the next test.
    await vsc?.dismiss().catch(() => {});
  });
  after(async function () {
    this.timeout(30_000);
    await vsc?.close();
    vsc = undefined;
  });
  return () => {
    if (!vsc) throw new Error('VS Code is not running (did the before hook fail?)');
    return vsc;
  };
}

/**
 * Package an extension folder into a .vsix with the project's vsce (no dependencies bundled).
 * Returns `outFile`.
 */
export async function packageVsix(extensionDir: string, outFile: string): Promise<string> {
  const vsce = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vsce');
  if (!fs.existsSync(vsce)) throw new Error('vsce not found: run npm install');
  await fsp.mkdir(path.dirname(outFile), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', outFile], { cwd: extensionDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vsce package failed (${code}):\n${out}`))));
  });
  return outFile;
}
