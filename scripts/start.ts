// `npm start`: the extension in a real VS Code without installing one. Builds and packages Sonnet Chat,
// installs it into a local code-server on 127.0.0.1 with a scratch workspace, and prints the address
// to open in a browser.
//
// Without SONNET_API_KEY the extension talks to the demo provider (the project's mock provider running
// a demo script); with it, to the real provider (`sonnet.baseUrl`'s default, or SONNET_BASE_URL).
//
//   npm start                          demo provider
//   SONNET_API_KEY=sk-… npm start      the real provider
//   PORT=8080 npm start                a fixed port (default: a free one)
//   SONNET_START_DIR=… npm start       where the workspace and VS Code's state are kept

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer, type CodeServer } from './code-server.mjs';
import { endTogether } from './shutdown.mjs';
import { cacheDir } from './vscode-server.mjs';
import { startDemoProvider } from '../test/fixtures/demoProvider';
import type { MockProvider } from '../test/fixtures/mockProvider';

const root = path.resolve(__dirname, '..');
/** Kept between runs, so the chat history and a stored key are still there next time. */
const home = path.resolve(process.env.SONNET_START_DIR || path.join(cacheDir(), 'start'));
const workspace = path.join(home, 'workspace');

/** A small project to try Explain Selection and the tools on; written once, then it is the user's. */
const SAMPLE_FILES: Record<string, string> = {
  'README.md': '# Scratch workspace\n\nA place to try Sonnet Chat. Select code in `src/` and right-click **Explain Selection**.\n',
  'src/debounce.ts': [
    '/** Calls `fn` once calls have stopped for `waitMs`. */',
    'export function debounce<A extends unknown[]>(fn: (...args: A) => void, waitMs: number): (...args: A) => void {',
    '  let timer: ReturnType<typeof setTimeout> | undefined;',
    '  return (...args: A) => {',
    '    clearTimeout(timer);',
    '    timer = setTimeout(() => fn(...args), waitMs);',
    '  };',
    '}',
    '',
  ].join('\n'),
  'src/stats.py': [
    'def mean(values):',
    '    return sum(values) / len(values)',
    '',
    '',
    'def median(values):',
    '    ordered = sorted(values)',
    '    middle = len(ordered) // 2',
    '    return ordered[middle]',
    '',
  ].join('\n'),
};

function seedWorkspace(): void {
  if (fs.existsSync(workspace)) return;
  for (const [file, content] of Object.entries(SAMPLE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), content);
  }
}

/** Not synchronous: a stop signal that arrives while it builds is handled at once. */
async function packageExtension(): Promise<string> {
  console.log('Building and packaging the extension…');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`npm run package failed (exit ${code})`);
  return path.join(root, 'sonnet-chat.vsix');
}

async function main(): Promise<void> {
  let server: CodeServer | undefined;
  let demo: MockProvider | undefined;
  endTogether(async () => {
    await server?.stop();
    await demo?.close();
  });

  const vsix = await packageExtension();
  seedWorkspace();

  const realKey = process.env.SONNET_API_KEY?.trim();
  demo = realKey ? undefined : await startDemoProvider();
  const settings: Record<string, unknown> = {};
  if (demo) settings['sonnet.baseUrl'] = demo.url;
  else if (process.env.SONNET_BASE_URL) settings['sonnet.baseUrl'] = process.env.SONNET_BASE_URL;

  console.log('Starting VS Code (code-server); the first run installs it into .vscode-test/ (a few minutes)…');
  server = await startCodeServer({
    vsix,
    workspace,
    settings,
    userDataDir: path.join(home, 'user-data'),
    extensionsDir: path.join(home, 'extensions'),
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    // The demo key only reaches the demo provider; a real key is handed over the same way.
    env: { SONNET_API_KEY: realKey ?? 'sk-demo-0000000000000000000000' },
  });

  console.log('');
  console.log(`  Sonnet Chat is running in VS Code: ${server.folderUrl()}`);
  console.log(demo ? `  Talking to the demo provider at ${demo.url} (set SONNET_API_KEY to use the real one).` : '  Talking to the real provider with SONNET_API_KEY.');
  console.log(`  Workspace: ${workspace}`);
  console.log('  Open the Sonnet Chat view in the activity bar, or run "Sonnet: Ask Sonnet" (F1). Ctrl+C stops.');
  console.log('');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
