// The Sonnet Chat log's file, as the e2e tests read it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { VSCode } from './harness';

/** The log's file, which VS Code writes under the user data folder's logs (its location varies by version). */
function logFile(vsc: VSCode): string | undefined {
  const found = fs.readdirSync(path.join(vsc.server.userDataDir, 'logs'), { recursive: true, encoding: 'utf8' }).filter((file) => path.basename(file) === 'Sonnet Chat.log');
  return found.length > 0 ? path.join(vsc.server.userDataDir, 'logs', found[0]) : undefined;
}

/** Polls until the log holds every pattern (VS Code writes it asynchronously); returns its text. */
export async function logHolding(vsc: VSCode, patterns: RegExp[], timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    const file = logFile(vsc);
    text = file ? fs.readFileSync(file, 'utf8') : '';
    if (patterns.every((pattern) => pattern.test(text))) return text;
    if (Date.now() > deadline) assert.fail(`the log lacks ${patterns.filter((p) => !p.test(text)).join(', ')}; it holds:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
