// `npm run test:electron`: the in-host scenarios in a desktop VS Code downloaded by
// @vscode/test-electron, the way most extension authors run their tests. It needs the internet (the
// download) and a display (or xvfb-run); machines without them run the code-server suites instead.

import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const out = path.join(root, '.vscode-test', 'electron-suite');
  // The extension host runs plain JavaScript: bundle the suite (mocha stays in node_modules).
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: path.join(out, 'index.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    nodePaths: [path.join(root, 'node_modules')],
  });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-electron-'));
  fs.writeFileSync(path.join(workspace, 'calc.py'), 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(out, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { SONNET_API_KEY: 'sk-electron-0123456789abcdefghij', SONNET_TEST_MOCHA: require.resolve('mocha') },
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
