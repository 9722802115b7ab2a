import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { rgPath } from '@vscode/ripgrep-universal';
import type { SearchScope } from '../../src/tools/ripgrep';
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

/**
 * A stand-in for rg, a real process that never ends on its own: it logs each start to `log`, then
 * either prints one match event for ever or waits for ever. A run with it ends only if it is killed.
 */
async function endlessRg(folder: string, log: string, behaviour: 'prints' | 'waits'): Promise<string> {
  const event = JSON.stringify({ type: 'match', data: { path: { text: './a.txt' }, lines: { text: 'needle\n' }, line_number: 1, submatches: [{ start: 0 }] } });
  const body = behaviour === 'prints' ? `exec yes '${event}'` : 'exec sleep 600';
  const script = path.join(folder, `rg-${behaviour}`);
  await fsp.writeFile(script, `#!/bin/sh\necho started >> '${log}'\n${body}\n`, { mode: 0o755 });
  return script;
}

/** How many times a stand-in rg was started. */
async function starts(log: string): Promise<number> {
  return (await fsp.readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
}

const SCOPE: SearchScope = { excludes: [], useIgnoreFiles: true, useParentIgnoreFiles: false, useGlobalIgnoreFiles: false };

describe('search_text and find_files with ripgrep, on a real folder', () => {
  const folder = useTempFolder('sonnet-rg-');
  const run = (extra: Partial<SearchRun> = {}, scope: Partial<SearchScope> = {}): SearchRun => ({
    rgPath,
    folders: [{ path: folder(), prefix: '', scope: { ...SCOPE, ...scope } }],
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
    const files = await findFilesWithRipgrep(run({}, { excludes }), '**/*', 100);
    assert.deepEqual(files.content.split('\n'), ['.gitignore', '.ignore', 'src/app.ts']);
    const text = await searchTextWithRipgrep(run({}, { excludes }), { query: 'needle' }, 100);
    assert.deepEqual(text.content.split('\n'), ['1 match in 1 file:', 'src/app.ts:1: needle']);
    const all = await findFilesWithRipgrep(run({}, { excludes, useIgnoreFiles: false }), '**/*.{ts,js}', 100);
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
    assert.deepEqual(result.content.split('\n'), ['1 match in 1 file:', 'a.txt:1: needle', '[Left out: 2 files that may hold secrets.]']);
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

  it('stops at the line cap and the character cap', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`f${String(i).padStart(3, '0')}.txt`] = `needle ${'x'.repeat(150)}\n`.repeat(20);
    await write(folder(), many);
    const lines = await searchTextWithRipgrep(run(), { query: 'needle' }, 7);
    assert.equal(lines.content.split('\n').length, 1 + 7 + 1);
    assert.match(lines.content, /\[Stopped at 7 matching lines/);
    const chars = await searchTextWithRipgrep(run(), { query: 'needle' }, 500);
    assert.ok(chars.content.length <= 61_000, `${chars.content.length} characters`);
    assert.match(chars.content, /\[Stopped at \d+ matching lines to keep the result short/);
    const files = await findFilesWithRipgrep(run(), '**/*.txt', 5);
    assert.equal(files.content.split('\n').length, 6);
    assert.match(files.content, /\[More files match; only the first 5 are shown/);
  });

  it('kills rg at the line cap: a run that would print for ever ends', async () => {
    const log = path.join(folder(), 'starts.log');
    const result = await searchTextWithRipgrep(run({ rgPath: await endlessRg(folder(), log, 'prints') }), { query: 'needle' }, 7);
    assert.match(result.content, /^7 matches in 1 file:\n(a\.txt:1: needle\n){7}\[Stopped at 7 matching lines/);
    assert.equal(await starts(log), 1);
  });

  it('kills rg when the user stops, and says the results are incomplete', async () => {
    const log = path.join(folder(), 'starts.log');
    const abort = new AbortController();
    const search = searchTextWithRipgrep(run({ rgPath: await endlessRg(folder(), log, 'waits'), signal: abort.signal }), { query: 'needle' }, 500);
    while ((await starts(log)) === 0) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    const result = await search;
    assert.match(result.content, /^No matches for "needle"\.\n\[Stopped: the user stopped the search; these results are incomplete\.\]$/);
  });

  it("kills rg at the search's time limit, and says the results are incomplete", async () => {
    const log = path.join(folder(), 'starts.log');
    const result = await searchTextWithRipgrep(run({ rgPath: await endlessRg(folder(), log, 'waits'), timeoutMs: 200 }), { query: 'needle' }, 500);
    assert.match(result.content, /\[Stopped after 0.2 s; these results are incomplete/);
  });

  it('gives the whole search one deadline: a listing that times out ends it, and says so', async () => {
    // With an include and ignore files, each folder is listed first, then searched. Each of these
    // four runs used to get a time limit of its own.
    const log = path.join(folder(), 'starts.log');
    const rg = await endlessRg(folder(), log, 'waits');
    const twoFolders = (timeoutMs: number): SearchRun => ({
      rgPath: rg,
      folders: [{ path: folder(), prefix: 'one/', scope: SCOPE }, { path: folder(), prefix: 'two/', scope: SCOPE }],
      signal: new AbortController().signal,
      timeoutMs,
    });
    const files = await findFilesWithRipgrep(twoFolders(200), '**/*.ts', 100);
    assert.equal(files.content, '[Stopped after 0.2 s; these results are incomplete. Narrow the search with include.]');
    assert.equal(await starts(log), 1, 'only the first listing ran');
    const text = await searchTextWithRipgrep(twoFolders(200), { query: 'needle', include: '**/*.ts' }, 100);
    assert.match(text.content, /^No matches for "needle"\.\n\[Stopped after 0.2 s/);
    assert.equal(await starts(log), 2);
  });

  it('keeps a gitignored file out when an include glob names it (rg lets globs past ignore files)', async () => {
    await write(folder(), { '.gitignore': 'x.log\n', 'x.log': 'needle\n', 'y.log': 'needle\n' });
    assert.equal((await findFilesWithRipgrep(run(), '*.log', 100)).content, 'y.log');
    assert.deepEqual((await searchTextWithRipgrep(run(), { query: 'needle', include: '*.log' }, 100)).content.split('\n'), ['1 match in 1 file:', 'y.log:1: needle']);
  });

  it('ignores ignore files above the workspace folder unless search.useParentIgnoreFiles is on', async () => {
    const workspace = path.join(folder(), 'home', 'project');
    await write(folder(), { 'home/.gitignore': '*\n', 'home/project/src/a.ts': 'needle\n' });
    const inside = (scope: Partial<SearchScope>): SearchRun => ({ ...run(), folders: [{ path: workspace, prefix: '', scope: { ...SCOPE, ...scope } }] });
    assert.equal((await findFilesWithRipgrep(inside({}), '**/*', 100)).content, 'src/a.ts');
    assert.equal((await searchTextWithRipgrep(inside({}), { query: 'needle' }, 100)).content, '1 match in 1 file:\nsrc/a.ts:1: needle');
    assert.equal((await findFilesWithRipgrep(inside({ useParentIgnoreFiles: true }), '**/*', 100)).summary, 'No files');
  });

  it("applies git's global excludes file only when search.useGlobalIgnoreFiles is on", async () => {
    await write(folder(), { 'config/git/ignore': '*.log\n', 'ws/a.log': '', 'ws/b.ts': '' });
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = folder();
    process.env.XDG_CONFIG_HOME = path.join(folder(), 'config');
    try {
      const inside = (scope: Partial<SearchScope>): SearchRun => ({ ...run(), folders: [{ path: path.join(folder(), 'ws'), prefix: '', scope: { ...SCOPE, ...scope } }] });
      assert.equal((await findFilesWithRipgrep(inside({}), '**/*', 100)).content, 'a.log\nb.ts');
      assert.equal((await findFilesWithRipgrep(inside({ useGlobalIgnoreFiles: true }), '**/*', 100)).content, 'b.ts');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('searches a query or an include that starts with - or ! as text and glob, never as an rg flag', async () => {
    await write(folder(), { 'a.txt': 'rm -rf /\n', 'b.txt': 'rm -rf /\n', '!a.txt': 'rm -rf /\n', '-rf': 'rm -rf /\n' });
    assert.equal((await searchTextWithRipgrep(run(), { query: '-rf', include: 'a.txt' }, 100)).content, '1 match in 1 file:\na.txt:1: rm -rf /');
    assert.equal((await searchTextWithRipgrep(run(), { query: '--files', isRegex: true, include: 'a.txt' }, 100)).summary, 'No matches');
    assert.equal((await searchTextWithRipgrep(run(), { query: 'rm', include: '!a.txt' }, 100)).content, '1 match in 1 file:\n!a.txt:1: rm -rf /');
    assert.equal((await searchTextWithRipgrep(run(), { query: 'rm', include: '-rf' }, 100)).content, '1 match in 1 file:\n-rf:1: rm -rf /');
    assert.equal((await findFilesWithRipgrep(run(), '!a.txt', 100)).content, '!a.txt');
  });

  it('matches a glob against the whole path below the folder, as VS Code does: *.ts at the top level only', async () => {
    await write(folder(), { 'index.ts': 'needle\n', 'src/a.ts': 'needle\n', 'src/deep/b.ts': 'needle\n' });
    assert.equal((await findFilesWithRipgrep(run(), '*.ts', 100)).content, 'index.ts');
    assert.equal((await findFilesWithRipgrep(run(), 'src/*.ts', 100)).content, 'src/a.ts');
    assert.equal((await findFilesWithRipgrep(run(), '**/*.ts', 100)).content, 'index.ts\nsrc/a.ts\nsrc/deep/b.ts');
    assert.equal((await searchTextWithRipgrep(run(), { query: 'needle', include: '*.ts' }, 100)).content, '1 match in 1 file:\nindex.ts:1: needle');
    assert.equal((await findFilesWithRipgrep(run({}, { excludes: ['*.ts'] }), '**/*.ts', 100)).content, 'src/a.ts\nsrc/deep/b.ts');
  });

  it('searches each folder of a multi-root workspace with its own excludes, and a leading folder name reaches that folder only', async () => {
    await write(folder(), {
      'frontend/src/app.ts': 'needle\n',
      'frontend/gen/out.ts': 'needle\n',
      'backend/src/app.ts': 'needle\n',
      'backend/gen/out.ts': 'needle\n',
    });
    const multi: SearchRun = {
      ...run(),
      folders: [
        { path: path.join(folder(), 'frontend'), prefix: 'frontend/', scope: SCOPE },
        { path: path.join(folder(), 'backend'), prefix: 'backend/', scope: { ...SCOPE, excludes: ['gen'] } },
      ],
    };
    assert.equal((await findFilesWithRipgrep(multi, '**/*.ts', 100)).content, 'frontend/gen/out.ts\nfrontend/src/app.ts\nbackend/src/app.ts');
    assert.equal((await findFilesWithRipgrep(multi, 'frontend/src/**', 100)).content, 'frontend/src/app.ts');
    assert.equal((await findFilesWithRipgrep(multi, 'backend', 100)).content, 'backend/src/app.ts');
    const text = await searchTextWithRipgrep(multi, { query: 'needle', include: 'backend/**/*.ts' }, 100);
    assert.equal(text.content, '1 match in 1 file:\nbackend/src/app.ts:1: needle');
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
