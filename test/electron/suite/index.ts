// Entry point @vscode/test-electron loads in the extension host: runs the in-host scenarios with mocha.

import path from 'node:path';

export async function run(): Promise<void> {
  // mocha from the project's node_modules (the bundle leaves it out).
  const Mocha = require(process.env.SONNET_TEST_MOCHA ?? 'mocha') as typeof import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: true });
  mocha.suite.emit('pre-require', globalThis, path.join(__dirname, 'scenarios'), mocha);
  require('./scenarios');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} in-host scenario(s) failed`);
}
