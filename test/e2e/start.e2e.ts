// The README's `npm start`, run as written: it packages the extension, starts code-server with it
// installed, prints an address that serves VS Code, and stops cleanly on Ctrl+C.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './harness';

describe('npm start', function () {
  this.timeout(180_000);
  let home: string;

  before(async () => {
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonnet-start-'));
  });
  after(async () => {
    await fsp.rm(home, { recursive: true, force: true });
  });

  it('serves VS Code with the extension installed, talking to the demo provider, until Ctrl+C', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SONNET_START_DIR: home };
    delete env.SONNET_API_KEY;
    // Its own process group, as in a terminal, where Ctrl+C signals the whole group.
    const child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (data: Buffer) => {
          output += data.toString();
          const found = /running in VS Code: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
          if (found) resolve(found[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`npm start exited (${code}) before printing an address:\n${output}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /workbench/i);

      const demo = /demo provider at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
      assert.ok(demo, `the demo provider's address is printed:\n${output}`);
      const answer = await fetch(`${demo[1]}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.match(await answer.text(), /event: message_stop/);

      const installed = fs.readdirSync(path.join(home, 'extensions'));
      assert.ok(installed.some((name) => name.startsWith('sonnet-chat.sonnet-chat-')), `installed: ${installed.join(', ')}`);
      assert.ok(fs.existsSync(path.join(home, 'workspace', 'src', 'debounce.ts')), 'the scratch workspace has its sample files');

      signalGroup('SIGINT');
      await exited;
      await assert.rejects(fetch(url), 'the server is gone after Ctrl+C');
    } finally {
      signalGroup('SIGKILL');
    }
  });
});
