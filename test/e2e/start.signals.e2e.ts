// `npm start` ends everything it started whichever signal ends npm: SIGTERM (a process manager,
// `timeout`, an editor task), SIGHUP (npm dies of it without passing it on) and SIGINT, each sent to
// the npm process alone, as those senders do, not to its process group as a terminal's Ctrl+C is.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { descendants, isRunning } from '../../scripts/process-tree.mjs';
import { PROJECT_ROOT } from './harness';

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '?';
  }
}

/** Polls until `condition` holds or `timeoutMs` passes; whether it held. */
async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start, stopped by a signal to npm', function () {
  this.timeout(120_000);
  let home: string;

  before(async () => {
    home = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonnet-start-signals-'));
  });
  after(async () => {
    await fsp.rm(home, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal}: code-server, the demo provider and every process npm start began end, and the ports are free`, async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, SONNET_START_DIR: home };
      delete env.SONNET_API_KEY;
      delete env.PORT;
      const npm = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
      const npmEnded = () => npm.exitCode !== null || npm.signalCode !== null;
      let started: number[] = [];
      try {
        let output = '';
        const ports = await new Promise<number[]>((resolve, reject) => {
          const onData = (data: Buffer) => {
            output += data.toString();
            const server = /running in VS Code: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
            const demo = /demo provider at http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
            if (server && demo) resolve([Number(server[1]), Number(demo[1])]);
          };
          npm.stdout.on('data', onData);
          npm.stderr.on('data', onData);
          void exited.then(() => reject(new Error(`npm start exited before printing its addresses:\n${output}`)));
        });
        started = descendants(npm.pid!);
        assert.ok(started.length >= 2, `npm start runs its script and code-server: ${started.map(commandLine).join('\n')}`);
        for (const port of ports) assert.ok(await listening(port), `port ${port} serves before the signal`);

        npm.kill(signal);
        assert.ok(await eventually(npmEnded, 20_000), `npm start still runs 20 s after ${signal}`);
        const heldPorts = async () => (await Promise.all(ports.map(async (port) => ((await listening(port)) ? [port] : [])))).flat();
        const ended = await eventually(async () => !started.some(isRunning) && (await heldPorts()).length === 0, 20_000);
        const left = started.filter(isRunning);
        const held = await heldPorts();
        assert.ok(ended, `left running: ${left.map((pid) => `${pid} ${commandLine(pid)}`).join('\n') || 'none'}; ports still held: ${held.join(', ') || 'none'}`);
      } finally {
        npm.kill('SIGKILL');
        for (const pid of started) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    });
  }
});
