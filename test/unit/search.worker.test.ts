import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { performance } from 'node:perf_hooks';
import { deadlineFor, type Deadline } from '../../src/tools/deadline';
import { matchInWorker } from '../../src/tools/regexInWorker';
import { ToolError } from '../../src/tools/types';

const CATASTROPHIC = { query: '(a+)+$', isRegex: true, texts: [`${'a'.repeat(30)}b`], limit: 10 };

describe('the virtual-workspace search regex, in a worker thread', () => {
  // The worker bundled as esbuild.mjs bundles it: a worker thread loads plain JavaScript.
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sonnet-worker-'));
  const WORKER = path.join(folder, 'regexWorker.js');
  before(() => esbuild.build({ entryPoints: [path.join(__dirname, '..', '..', 'src', 'tools', 'regexWorker.ts')], outfile: WORKER, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' }));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const deadlines: Deadline[] = [];
  afterEach(() => deadlines.splice(0).forEach((each) => each.dispose()));
  const deadline = (signal: AbortSignal, timeoutMs: number) => deadlines[deadlines.push(deadlineFor(signal, timeoutMs)) - 1];

  it('finds the matching lines of each text', async () => {
    const files = await matchInWorker(WORKER, { query: 'b+', isRegex: true, texts: ['a\nbb\nc', 'none', 'B'], limit: 10 }, deadline(new AbortController().signal, 5_000));
    assert.deepEqual(files, [[{ line: 2, text: 'bb' }], [], [{ line: 1, text: 'B' }]]);
  });

  it('ends a pattern that backtracks for ever at the time limit, while this thread stays free', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      await assert.rejects(matchInWorker(WORKER, CATASTROPHIC, deadline(new AbortController().signal, 300)), (error: unknown) => {
        assert.ok(error instanceof ToolError);
        assert.match(error.message, /The search took longer than 0.3 s and was stopped; simplify the regular expression/);
        return true;
      });
    } finally {
      clearInterval(ticker);
    }
    assert.ok(ticks > 10, `the host's timers ran meanwhile (${ticks} ticks)`);
  });

  it('ends it at once on Stop', async () => {
    const abort = new AbortController();
    const started = performance.now();
    const search = matchInWorker(WORKER, CATASTROPHIC, deadline(abort.signal, 60_000));
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(search, /Cancelled: the user stopped the search/);
    assert.ok(performance.now() - started < 30_000);
  });

  it('reports a worker that dies before it answers at once, not at the time limit', async () => {
    const dying = path.join(folder, 'dyingWorker.js');
    writeFileSync(dying, 'process.exit(3);\n');
    const started = performance.now();
    // The deadline is far beyond mocha's 10 s: without an exit handler this test times out.
    await assert.rejects(matchInWorker(dying, CATASTROPHIC, deadline(new AbortController().signal, 600_000)), /worker thread stopped \(exit code 3\) before it answered/);
    assert.ok(performance.now() - started < 5_000);
  });

  it('reports an invalid pattern', async () => {
    await assert.rejects(matchInWorker(WORKER, { query: '(', isRegex: true, texts: ['x'], limit: 1 }, deadline(new AbortController().signal, 5_000)), /The regular expression is invalid/);
  });
});
