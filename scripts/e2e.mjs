#!/usr/bin/env node
// The end-to-end files, two at a time: each file drives its own code-server and Chromium, which wait on
// each other and on timers much of the time, so a second file in parallel uses what one leaves idle.
// The extension is built once first (each worker then only packages it); the `npm start` files build
// it themselves, into the same dist/, so they run afterwards, one at a time.
//   node scripts/e2e.mjs [file.e2e.ts...]   (default: every file in test/e2e; E2E_JOBS=1 runs them in turn)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jobs = Math.max(1, Number(process.env.E2E_JOBS ?? 2) || 1);

/** Runs a command with the terminal's output; resolves with its exit code. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const mocha = (files, extra = [], env = {}) =>
  run(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--config', 'test/e2e/.mocharc.json', ...extra, ...files], env);

async function main() {
  const named = process.argv.slice(2);
  const files = named.length > 0 ? named : fs.readdirSync(path.join(root, 'test/e2e')).filter((name) => name.endsWith('.e2e.ts')).sort().map((name) => `test/e2e/${name}`);
  const buildsItself = (file) => path.basename(file).startsWith('start.');
  const together = files.filter((file) => !buildsItself(file));
  const alone = files.filter(buildsItself);

  const built = await run(process.execPath, [path.join(root, 'esbuild.mjs'), '--production']);
  if (built !== 0) return built;
  let code = 0;
  if (together.length > 0) {
    const parallel = jobs > 1 && together.length > 1 ? ['--parallel', '--jobs', String(jobs)] : [];
    code = await mocha(together, parallel, { SONNET_E2E_PREBUILT: '1' });
  }
  if (alone.length > 0) code = (await mocha(alone)) || code;
  return code;
}

process.exitCode = await main();
