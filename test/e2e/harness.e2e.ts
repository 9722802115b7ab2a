// Self-test of the end-to-end harness against a tiny extension of our own (test/e2e/smoke-extension),
// so a harness problem shows up here and not as a mysterious failure in the product's scenarios.
// It proves: install from .vsix, extra env reaching the extension host, palette, input box and quick
// pick, Quick Open, line selection, editor context menu, webview frame lookup, notifications and
// failure artifacts.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageVsix, sanitize, useVSCode } from './harness';

const SOURCE = `def add(a, b):
    return a + b


def sub(a, b):
    return a - b
`;

describe('e2e harness (smoke extension in code-server)', function () {
  this.timeout(60_000);
  let tmp: string;

  const vsc = useVSCode(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'e2e-smoke-'));
    // vsce packages what is in the folder: copy the sources so nothing else gets in.
    const src = path.join(__dirname, 'smoke-extension');
    const dir = path.join(tmp, 'ext');
    await fsp.cp(src, dir, { recursive: true });
    const vsix = await packageVsix(dir, path.join(tmp, 'e2e-smoke.vsix'));
    return {
      vsix,
      files: { 'src/calc.py': SOURCE },
      env: { SMOKE_TOKEN: 'from-the-test' },
      settings: { 'smoke.greeting': 'from settings.json' },
    };
  });

  after(async () => {
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('runs a command from the palette and shows its notification', async () => {
    await vsc().runCommand('Smoke: Say Hello');
    await vsc().notification('Hello from the smoke extension');
  });

  it('passes extra environment to the extension host', async () => {
    await vsc().runCommand('Smoke: Show Env');
    await vsc().notification('SMOKE_TOKEN=from-the-test');
  });

  it('writes settings.json before start, and updates it (with a window reload)', async () => {
    await vsc().runCommand('Smoke: Show Setting');
    await vsc().notification('greeting=from settings.json');
    await vsc().updateSettings({ 'smoke.greeting': 'changed on disk' });
    await vsc().runCommand('Smoke: Show Setting');
    await vsc().notification('greeting=changed on disk');
  });

  it('answers an input box and a quick pick', async () => {
    await vsc().runCommand('Smoke: Ask Something');
    await vsc().answerInput('forty-two', { prompt: 'Say something' });
    await vsc().pickQuickItem('green');
    await vsc().notification('You said: forty-two (green)');
  });

  it('opens a file, selects lines and uses the editor context menu', async () => {
    await vsc().openFile('src/calc.py');
    const status = await vsc().selectLines(1, 2);
    assert.match(status, /selected/);
    await vsc().contextMenu('Echo Selection');
    await vsc().notification('Selected 2 lines of python');
    const view = await vsc().frameWith('#prompt');
    await view.locator('#log').filter({ hasText: 'selection(python): def add(a, b):\n    return a + b' }).waitFor();
  });

  it('finds the webview frame and talks to it', async () => {
    await vsc().openActivity('Smoke');
    const view = await vsc().frameWith('#prompt');
    await view.locator('#prompt').fill('ping');
    await view.locator('#send').click();
    await view.locator('#log', { hasText: 'echo: ping' }).waitFor();
    await vsc().notification('Smoke view got: ping');
  });

  it('saves failure artifacts (screenshot, console, webviews, extension host log)', async function () {
    await vsc().openActivity('Smoke');
    await vsc().frameWith('#prompt');
    const dir = await vsc().saveArtifacts(path.join(os.tmpdir(), `e2e-artifacts-${sanitize(this.test!.title)}`));
    try {
      assert.ok(fs.statSync(path.join(dir, 'screenshot.png')).size > 1000, 'screenshot.png');
      assert.ok(fs.existsSync(path.join(dir, 'code-server.log')), 'code-server.log');
      const logs = fs.readdirSync(path.join(dir, 'logs'), { recursive: true }).map(String);
      assert.ok(logs.some((f) => f.endsWith('remoteexthost.log')), `extension host log in ${JSON.stringify(logs)}`);
      assert.match(fs.readFileSync(path.join(dir, 'webviews.html'), 'utf8'), /id="prompt"/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
