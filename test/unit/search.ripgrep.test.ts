import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { rgPath } from '@vscode/ripgrep-universal';
import { findRipgrep } from '../../src/tools/ripgrepLocation';
import { ToolError } from '../../src/tools/types';
import { findFilesWithRipgrep, searchTextWithRipgrep, type SearchRun } from '../../src/tools/workspaceSearch';
import { useTempFolder } from './helpers';

/** Writes `files` (path → content) under `root`, making folders as needed. */
async function write(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fsp.writeFile(path.join(root, name), content);
  }
}

/** The pids of this process's live rg children, from /proc. */
function rgChildren(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/s.exec(stat)!;
        const [state, ppid] = rest.split(' ');
        return comm === 'rg' && Number(ppid) === process.pid && state !== 'Z';
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe('search_text and find_files with ripgrep, on a real folder', () => {
  const folder = useTempFolder('sonnet-rg-');
  const run = (extra: Partial<SearchRun> = {}): SearchRun => ({
    rgPath,
    folders: [{ path: folder(), prefix: '' }],
    scope: { excludes: [], useIgnoreFiles: true },
    signal: new AbortController().signal,
    ...extra,
  });

  it('answers a catastrophic pattern at once: (a+)+$ over 30 a and a b', async () => {
    await write(folder(), { 'line.txt': `${'a'.repeat(30)}b\n${'a'.repeat(30)}\n` });
    const result = await searchTextWithRipgrep(run(), { query: '(a+)+$', isRegex: true }, 100);
    assert.equal(result.status, 'done');
    assert.deepEqual(result.content.split('\n'), ['1 match in 1 file:', `line.txt:2: ${'a'.repeat(30)}`]);
  });

  it('refuses look-around and back-references with a message saying why', async () => {
    await write(folder(), { 'a.txt': 'foobar\n' });
    for (const query of ['foo(?=bar)', '(o)\\1']) {
      await assert.rejects(searchTextWithRipgrep(run(), { query, isRegex: true }, 100), (error: unknown) => {
        assert.ok(error instanceof ToolError);
        assert.match(error.message, /not supported: (look-around|backreferences).*no look-around or back-references/);
        return true;
      });
    }
  });

  it('searches literally unless asked for a regex, case-insensitively unless asked not to', async () => {
    await write(folder(), { 'a.txt': 'Price: $5 (a+b)\nprice: 7\n' });
    const literal = await searchTextWithRipgrep(run(), { query: '(a+b)' }, 100);
    assert.match(literal.content, /^1 match in 1 file:\na.txt:1: Price: \$5 \(a\+b\)$/);
    const sensitive = await searchTextWithRipgrep(run(), { query: 'Price', caseSensitive: true }, 100);
    assert.equal(sensitive.summary, '1 match in 1 file');
    const insensitive = await searchTextWithRipgrep(run(), { query: 'Price' }, 100);
    assert.equal(insensitive.summary, '2 matches in 1 file');
  });

  it('applies .gitignore (without a repository), .ignore and the excludes, and search.useIgnoreFiles: false', async () => {
    await write(folder(), {
      '.gitignore': 'build/\n',
      '.ignore': 'generated.ts\n',
      'build/out.js': 'needle\n',
      'src/generated.ts': 'needle\n',
      'src/app.ts': 'needle\n',
      'vendor/lib.ts': 'needle\n',
    });
    const excludes = ['**/vendor'];
    const files = await findFilesWithRipgrep(run({ scope: { excludes, useIgnoreFiles: true } }), '**/*', 100);
    assert.deepEqual(files.content.split('\n'), ['.gitignore', '.ignore', 'src/app.ts']);
    const text = await searchTextWithRipgrep(run({ scope: { excludes, useIgnoreFiles: true } }), { query: 'needle' }, 100);
    assert.deepEqual(text.content.split('\n'), ['1 match in 1 file:', 'src/app.ts:1: needle']);
    const all = await findFilesWithRipgrep(run({ scope: { excludes, useIgnoreFiles: false } }), '**/*.{ts,js}', 100);
    assert.deepEqual(all.content.split('\n'), ['build/out.js', 'src/app.ts', 'src/generated.ts']);
  });

  it('limits find_files to its glob, matched from the folder', async () => {
    await write(folder(), { 'src/a/index.ts': '', 'src/b.test.ts': '', 'test/c.test.ts': '', 'index.ts': '' });
    assert.deepEqual((await findFilesWithRipgrep(run(), 'src/**/index.*', 100)).content.split('\n'), ['src/a/index.ts']);
    assert.deepEqual((await findFilesWithRipgrep(run(), '**/*.test.ts', 100)).content.split('\n'), ['src/b.test.ts', 'test/c.test.ts']);
    const none = await findFilesWithRipgrep(run(), '**/*.py', 100);
    assert.equal(none.summary, 'No files');
  });

  it('skips binary files', async () => {
    await write(folder(), { 'image.bin': Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2, 0]), Buffer.from('needle\n')]), 'a.txt': 'needle\n' });
    const result = await searchTextWithRipgrep(run(), { query: 'needle' }, 100);
    assert.deepEqual(result.content.split('\n'), ['1 match in 1 file:', 'a.txt:1: needle']);
  });

  it('never shows what files that may hold secrets contain, and says how many it left out', async () => {
    await write(folder(), { '.env': 'TOKEN=needle\n', 'keys/server.pem': 'needle\n', '.git/config': 'needle\n', 'a.txt': 'needle\n' });
    const result = await searchTextWithRipgrep(run(), { query: 'needle' }, 100);
    assert.deepEqual(result.content.split('\n'), ['1 match in 1 file:', 'a.txt:1: needle', '[Left out: matches in 2 files that may hold secrets.]']);
  });

  it('does not follow symbolic links, so a link to .env or .git is never searched', async () => {
    await write(folder(), { '.env': 'TOKEN=needle-env\n', '.git/config': '[core]\n\tneedle-git = 1\n', 'a.txt': 'needle\n' });
    await fsp.symlink('.env', path.join(folder(), 'envlink'));
    await fsp.symlink('.git', path.join(folder(), 'gitlink'));
    await fsp.mkdir(path.join(folder(), 'docs'));
    await fsp.symlink(path.join('..', '.git', 'config'), path.join(folder(), 'docs', 'config.md'));
    const result = await searchTextWithRipgrep(run(), { query: 'needle' }, 100);
    assert.doesNotMatch(result.content, /needle-(env|git)|TOKEN/);
    assert.match(result.content, /^1 match in 1 file:\na\.txt:1: needle\n/);
    const files = await findFilesWithRipgrep(run(), '**/*', 100);
    assert.deepEqual(files.content.split('\n'), ['.env', 'a.txt']);
  });

  it('stops at the line cap and the character cap, and kills rg there', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`f${String(i).padStart(3, '0')}.txt`] = `needle ${'x'.repeat(150)}\n`.repeat(20);
    await write(folder(), many);
    const lines = await searchTextWithRipgrep(run(), { query: 'needle' }, 7);
    assert.equal(lines.content.split('\n').length, 1 + 7 + 1);
    assert.match(lines.content, /\[Stopped at 7 matching lines/);
    assert.deepEqual(rgChildren(), []);
    const chars = await searchTextWithRipgrep(run(), { query: 'needle' }, 500);
    assert.ok(chars.content.length <= 61_000, `${chars.content.length} characters`);
    assert.match(chars.content, /\[Stopped at \d+ matching lines to keep the result short/);
    const files = await findFilesWithRipgrep(run(), '**/*.txt', 5);
    assert.equal(files.content.split('\n').length, 6);
    assert.match(files.content, /\[More files match; only the first 5 are shown/);
    assert.deepEqual(rgChildren(), []);
  });

  it('kills rg when the user stops, and says the results are incomplete', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) many[`d${i % 40}/f${i}.txt`] = 'needle\n';
    await write(folder(), many);
    const abort = new AbortController();
    const search = searchTextWithRipgrep(run({ signal: abort.signal }), { query: 'needle' }, 500);
    const deadline = Date.now() + 2_000;
    while (rgChildren().length === 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rgChildren().length, 1, 'rg runs');
    abort.abort();
    const result = await search;
    assert.match(result.content, /\[Stopped: the user stopped the search/);
    assert.ok(Number(result.summary?.split(' ')[0] ?? 0) < 500 || result.summary === 'No matches', result.summary);
    assert.deepEqual(rgChildren(), [], 'rg is gone');
  });

  it("kills rg at the tool's time limit, and says the results are incomplete", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) many[`d${i % 40}/f${i}.txt`] = 'needle\n';
    await write(folder(), many);
    const result = await searchTextWithRipgrep(run({ timeoutMs: 1 }), { query: 'needle' }, 5000);
    assert.match(result.content, /\[Stopped after 0.001 s; these results are incomplete/);
    assert.deepEqual(rgChildren(), [], 'rg is gone');
  });

  it('says plainly when rg cannot be started', async () => {
    await assert.rejects(findFilesWithRipgrep(run({ rgPath: path.join(folder(), 'no-rg') }), '**/*', 10), /Could not start ripgrep/);
  });

  it("finds the rg that code-server ships under its appRoot", function () {
    const servers = readdirSync('.vscode-test').filter((name) => name.startsWith('code-server-'));
    if (servers.length === 0) this.skip();
    const appRoot = path.resolve('.vscode-test', servers[0], 'node_modules', 'code-server', 'lib', 'vscode');
    assert.match(findRipgrep(appRoot) ?? '', /@vscode[\\/]ripgrep-universal[\\/]bin[\\/]linux-x64[\\/]rg$/);
    assert.equal(findRipgrep(folder()), undefined);
  });
});
