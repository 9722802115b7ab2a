// The child-process way of running a command, with real processes: output and exit code, a timeout
// that leaves the command running, and Stop ending a process and the process it started.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awaitCommand } from '../../src/tools/commandWait';
import { shellCommand, startProcess } from '../../src/tools/processRunner';
import { isAlive, killGroupNow } from '../../src/tools/processTree';

const node = (script: string) => `"${process.execPath}" -e ${JSON.stringify(script)}`;

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('commands run as a child process', function () {
  this.timeout(20_000);
  let folder = '';
  before(() => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-command-')));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  async function start(command: string, onOutput?: (chunk: string) => void) {
    const running = await startProcess({ shell: shellCommand('/bin/sh', command), cwd: folder, onOutput });
    assert.ok(running, 'it started');
    return running;
  }

  it('returns the output (stdout and stderr), the exit code, and runs in the folder given', async () => {
    const mirrored: string[] = [];
    const running = await start(`${node('console.log(42); console.error(process.cwd()); process.exit(3)')}`, (chunk) => mirrored.push(chunk));
    const report = await awaitCommand(running, { timeoutMs: 10_000, background: false, signal: new AbortController().signal });
    assert.equal(report.state, 'exited');
    assert.deepEqual(report.exit, { exitCode: 3 });
    assert.deepEqual(report.output.split('\n').filter(Boolean).sort(), ['42', folder].sort());
    assert.equal(mirrored.join(''), `${report.output}`);
  });

  it('keeps the first line of a command that exits at once', async () => {
    const report = await awaitCommand(await start('echo first; exit 0'), { timeoutMs: 10_000, background: false, signal: new AbortController().signal });
    assert.equal(report.output, 'first\n');
  });

  it('on timeout returns what was printed so far and leaves the command running', async () => {
    const go = path.join(folder, 'go');
    const marker = path.join(folder, 'finished');
    // It prints, then waits for the test's go before it finishes: the timeout cannot race its start.
    const script = `console.log('started'); const fs = require('fs'); const wait = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); clearInterval(wait); } }, 20)`;
    const running = await start(node(script));
    await until(() => running.capture.received > 0, 'it has printed');
    const report = await awaitCommand(running, { timeoutMs: 100, background: false, signal: new AbortController().signal });
    assert.equal(report.state, 'timedOut');
    assert.equal(report.output, 'started\n');
    assert.ok(!fs.existsSync(marker));
    fs.writeFileSync(go, '');
    assert.deepEqual(await running.exited, { exitCode: 0 });
    assert.ok(fs.existsSync(marker), 'it went on to the end');
  });

  it('in the background returns after a short wait with the first output', async () => {
    const running = await start(node(`console.log('listening'); setInterval(() => {}, 1000)`));
    const stop = new AbortController();
    const report = await awaitCommand(running, { timeoutMs: 60_000, background: true, backgroundWaitMs: 700, signal: stop.signal });
    assert.equal(report.state, 'background');
    assert.equal(report.output, 'listening\n');
    assert.ok(isAlive(running.pid));
    stop.abort();
    await until(() => !isAlive(running.pid), 'a Stop of the turn ended it');
  });

  it('Stop kills the process tree: the shell, and the sleep 600 it started', async () => {
    const pidFile = path.join(folder, 'sleep.pid');
    // The shell starts node, which starts `sleep 600` in a process group of its own (out of reach of the
    // group's signal: only the walk down the tree finds it) and writes its pid.
    const running = await start(node(`const c = require('child_process').spawn('sleep', ['600'], { stdio: 'ignore', detached: true }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000)`));
    const stop = new AbortController();
    const report = awaitCommand(running, { timeoutMs: 60_000, background: false, signal: stop.signal });
    await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'sleep has started');
    const sleepPid = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(sleepPid));
    stop.abort();
    assert.equal((await report).state, 'stopped');
    await until(() => !isAlive(sleepPid) && !isAlive(running.pid), 'both are gone');
  });

  it('Stop kills a child that ignores SIGTERM, with SIGKILL', async () => {
    const running = await start(node(`process.on('SIGTERM', () => {}); console.log('stubborn'); setInterval(() => {}, 1000)`));
    await until(() => running.capture.received > 0, 'it has started');
    const stop = new AbortController();
    stop.abort();
    const report = await awaitCommand(running, { timeoutMs: 60_000, background: false, signal: stop.signal });
    assert.equal(report.state, 'stopped');
    await until(() => !isAlive(running.pid), 'it is gone');
  });

  it('does not start once Stop was pressed', async () => {
    const marker = path.join(folder, 'stopped-before');
    const stop = new AbortController();
    stop.abort();
    const running = await startProcess({ shell: shellCommand('/bin/sh', `touch ${JSON.stringify(marker)}`), cwd: folder, signal: stop.signal });
    assert.equal(running, undefined);
    // A command that did start would have touched it long before this one ends.
    await awaitCommand(await start('true'), { timeoutMs: 10_000, background: false, signal: new AbortController().signal });
    assert.equal(fs.existsSync(marker), false);
  });

  it('killGroupNow ends the command and what it started in its group at once, without waiting', async () => {
    const pidFile = path.join(folder, 'server.pid');
    // A server the command leaves behind in its group, as `npm start &` would.
    const running = await start(`sleep 600 & echo $! > ${JSON.stringify(pidFile)}; wait`);
    await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 'the server has started');
    const server = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(server));
    killGroupNow(running.pid);
    await running.exited;
    await until(() => !isAlive(server) && !isAlive(running.pid), 'both are gone');
  });

  it('refuses to start in a folder that does not exist', async () => {
    await assert.rejects(startProcess({ shell: shellCommand('/bin/sh', 'true'), cwd: path.join(folder, 'missing') }), /ENOENT/);
  });

  it('runs a command line the way each shell takes one', () => {
    assert.deepEqual(shellCommand('/usr/bin/zsh', 'ls'), { file: '/usr/bin/zsh', args: ['-c', 'ls'] });
    // cmd.exe takes its command line verbatim: Node's quoting would reach it as stray quotes.
    assert.deepEqual(shellCommand('C:\\Windows\\System32\\cmd.exe', 'dir', 'win32'), { file: 'C:\\Windows\\System32\\cmd.exe', args: ['/d', '/s', '/c', 'dir'], verbatim: true });
    assert.deepEqual(shellCommand('pwsh.exe', 'ls', 'win32').args.slice(-2), ['-Command', 'ls']);
    assert.equal(shellCommand('', 'ls', 'linux').file, '/bin/sh');
  });
});
