#!/usr/bin/env node
// `npm test`: the Debian packages it needs (scripts/system-packages.mjs), the type check, the lint,
// the unit tests and the bench's smoke run, then the end-to-end tests.
// On a machine without the cached VS Code (CI, a fresh clone) installing it takes 2-3 minutes, mostly
// downloads and native builds; it runs meanwhile, so the whole suite stays within its 10 minutes on
// 2 cores. With the cache in place that step takes milliseconds and this is a plain sequence.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemPackagesError, ensureSystemPackages } from './system-packages.mjs';
import { installedCodeServer } from './vscode-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs an npm script with the terminal's output; resolves with its exit code. */
function npmRun(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  // First, and in one apt-get run: the bench smoke run needs Chromium before the setup has finished.
  try {
    await ensureSystemPackages(installedCodeServer() ? ['chromium'] : ['code-server', 'chromium']);
  } catch (err) {
    if (!(err instanceof SystemPackagesError)) throw err;
    console.error(err.message);
    return 1;
  }
  const setup = npmRun('setup:vscode');
  for (const script of ['typecheck', 'lint', 'test:unit', 'test:bench']) {
    const code = await npmRun(script);
    if (code !== 0) {
      // The setup is left to finish: interrupting it would only mean starting over next time.
      await setup;
      return code;
    }
  }
  const setupCode = await setup;
  if (setupCode !== 0) return setupCode;
  return npmRun('test:e2e:run');
}

process.exitCode = await main();
