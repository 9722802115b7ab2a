/**
 * The Chat view's real page (the HTML `chatHtml` builds, the bundled webview script and styles) served
 * from 127.0.0.1 to headless Chromium, with the VS Code webview API stood in for by the page driver.
 * Also serves the naive reference page: the same HTML and styles with another script.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/harness';
import { browserScript, type Bundles } from '../lib/bundles';
import { fakeVscode, provideVscodeModule } from '../../test/fixtures/fakeVscode';

/** Where the page's resources appear to live, as `asWebviewUri` maps them. */
const EXTENSION_ROOT = '/extension';

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface Harness {
  browser: Browser;
  /** A new page at the Chat view (or the naive one), its script started and waiting for the host's messages. */
  open(kind: 'real' | 'naive', query?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(root: string, bundles: Bundles): Promise<Harness> {
  const vscode = fakeVscode();
  provideVscodeModule(vscode.api);
  // Loaded only now: it imports `vscode`, which exists from the line above.
  const { chatHtml, createNonce } = await import('../../src/ui/chatHtml');
  const [driver, naive] = await Promise.all([browserScript(path.join(__dirname, 'pageDriver.ts')), browserScript(path.join(__dirname, 'naivePage.ts'))]);

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webview = {
    cspSource: origin,
    asWebviewUri: (uri: { path: string }) => ({ toString: () => origin + uri.path }),
  };
  const extensionUri = vscode.api.Uri.file(EXTENSION_ROOT);
  const page = (script: string | undefined) => {
    const html = chatHtml(webview as never, extensionUri, createNonce());
    return script ? html.replace(`${origin}${EXTENSION_ROOT}/dist/webview.js`, `${origin}/bench/${script}`) : html;
  };
  const files: Record<string, string> = { [`${EXTENSION_ROOT}/dist/`]: bundles.dist, [`${EXTENSION_ROOT}/media/`]: path.join(root, 'media') };
  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', origin).pathname;
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (url === '/real') return send(200, 'text/html', page(undefined));
    if (url === '/naive') return send(200, 'text/html', page('naive.js'));
    if (url === '/bench/naive.js') return send(200, 'text/javascript', naive);
    for (const [prefix, dir] of Object.entries(files)) {
      if (!url.startsWith(prefix)) continue;
      const file = path.join(dir, path.basename(url));
      if (fs.existsSync(file)) return send(200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    }
    send(404, 'text/plain', 'not found');
  });

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  await context.addInitScript({ content: driver });
  // Nothing leaves the machine: any request that is not for the harness fails.
  await context.route((url) => !url.href.startsWith(origin), (route) => route.abort());
  return {
    browser,
    async open(kind, query = '') {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(`${origin}/${kind}${query}`);
      try {
        await tab.waitForFunction('benchDriver.ready()', undefined, { timeout: 10_000 });
      } catch (error) {
        throw new Error(`the ${kind} page did not start: ${errors.join('; ') || (error as Error).message}`, { cause: error });
      }
      return tab;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
