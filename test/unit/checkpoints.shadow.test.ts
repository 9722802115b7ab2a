import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUnavailable, ShadowRepository, type ShadowOptions, type Unavailable } from '../../src/checkpoints/shadowRepository';

/** The user's own git, as a terminal would run it (none of the user's global config). */
function userGit(cwd: string, ...args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
  return execFileSync('git', ['-c', 'user.name=User', '-c', 'user.email=user@example.invalid', ...args], { cwd, env: { ...env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Every entry below `root` (its `.git` aside unless asked): content hash, link target, exec bit. */
function tree(root: string, options: { withGit?: boolean } = {}): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of fs.readdirSync(folder)) {
      const full = path.join(folder, name);
      const relative = path.relative(root, full);
      if (relative === '.git' && !options.withGit) continue;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) entries[relative] = `link → ${fs.readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        entries[relative] = 'folder';
        walk(full);
      } else entries[relative] = `${stat.mode & 0o111 ? 'exec ' : ''}${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
    }
  };
  walk(root);
  return entries;
}

/** Everything of the user's repository a checkpoint could disturb. */
function userRepositoryState(root: string) {
  // The bytes of .git first: the git commands below only read (GIT_OPTIONAL_LOCKS=0).
  const dotGit = tree(path.join(root, '.git'), { withGit: true });
  const mtimes = Object.fromEntries(Object.keys(dotGit).map((file) => [file, fs.lstatSync(path.join(root, '.git', file)).mtimeMs]));
  return {
    dotGit,
    mtimes,
    status: userGit(root, 'status', '--porcelain=v2', '--untracked-files=all', '--ignored'),
    head: userGit(root, 'rev-parse', 'HEAD'),
    refs: userGit(root, 'for-each-ref'),
    stash: userGit(root, 'stash', 'list'),
    config: fs.readFileSync(path.join(root, '.git', 'config'), 'utf8'),
    index: fs.readFileSync(path.join(root, '.git', 'index')).toString('hex'),
  };
}

function taken<T>(result: T | Unavailable): T {
  if (isUnavailable(result)) assert.fail(`expected a result, got ${result.reason}: ${result.message}`);
  return result;
}

describe('checkpoints: the shadow repository, with real git on real folders', function () {
  this.timeout(30_000);
  let sandbox: string;
  let root: string;
  let storage: string;

  const options = (extra: Partial<ShadowOptions> = {}): ShadowOptions => ({ gitDir: storage, workTree: root, maxWorkspaceBytes: 100 * 1024 * 1024, maxFileBytes: 10 * 1024 * 1024, ...extra });
  async function open(extra: Partial<ShadowOptions> = {}): Promise<ShadowRepository> {
    const repository = await ShadowRepository.open(options(extra));
    if (!(repository instanceof ShadowRepository)) assert.fail(`${repository.reason}: ${repository.message}`);
    return repository;
  }
  const write = (file: string, content: string | Buffer, mode?: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
    if (mode !== undefined) fs.chmodSync(path.join(root, file), mode);
  };

  beforeEach(() => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-checkpoints-')));
    root = path.join(sandbox, 'workspace');
    storage = path.join(sandbox, 'storage', 'shadow');
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(sandbox, { recursive: true, force: true }));

  /** Restores `commit`, which changes only `file` (`leftAlone` checks the rest), then undoes it: the folder is as before. */
  async function restoreThenUndo(repository: ShadowRepository, commit: string, file: string, leftAlone: () => void): Promise<void> {
    const before = tree(root, { withGit: true });
    const only = [{ path: file, kind: 'modified' }];
    assert.deepEqual(taken(await repository.pendingRestore(commit)), only, 'the restore lists only the file it changes');
    const restored = taken(await repository.restore('c', commit));
    assert.deepEqual(restored.changes, only);
    leftAlone();
    taken(await repository.restore('c', restored.before));
    assert.deepEqual(tree(root, { withGit: true }), before, 'Undo Restore brings back the folder as it was');
  }

  /** A user repository mid-work: commits, a branch, a stash, a staged change and an unstaged one. */
  function userRepository(): void {
    userGit(root, 'init', '--quiet', '--initial-branch=main');
    write('.gitignore', '*.log\nbuild/\n');
    write('.gitattributes', '* text eol=crlf\n');
    write('src/app.ts', 'export const app = 1;\n');
    write('Readme.md', '# readme\n');
    userGit(root, 'add', '-A');
    userGit(root, 'commit', '--quiet', '-m', 'first');
    userGit(root, 'branch', 'feature');
    write('src/app.ts', 'export const app = 2;\n');
    userGit(root, 'stash', '--quiet');
    write('src/staged.ts', 'staged\n');
    userGit(root, 'add', 'src/staged.ts');
    write('src/app.ts', 'export const app = 3;\n');
    fs.mkdirSync(path.join(root, '.git', 'info'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), 'local-only.txt\n');
    write('local-only.txt', 'excluded by .git/info/exclude\n');
    write('debug.log', 'ignored\n');
    write('build/out.js', 'ignored build output\n');
  }

  it('restores every file byte-identical: binary, symbolic links, odd names, the executable bit; created files and their folders go, deleted ones come back', async () => {
    userRepository();
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    write('assets/blob.bin', binary);
    write('with space.txt', 'spaces\n');
    write('new\nline.txt', 'newline in the name\n');
    write('ünïcødé/日本.md', 'unicode\r\nwith CRLF kept as is\n');
    write('scripts/run.sh', '#!/bin/sh\necho hi\n', 0o755);
    write('scripts/plain.sh', 'not executable\n', 0o644);
    fs.symlinkSync('src/app.ts', path.join(root, 'link-to-app'));
    fs.symlinkSync('missing-target', path.join(root, 'dangling'));
    const repository = await open();
    const checkpoint = taken(await repository.snapshot('conversation-1', 'before turn 1'));
    const atCheckpoint = tree(root);

    // What a turn might do: edit, delete, create (deep), chmod, relink, rename by case, touch ignored files.
    write('assets/blob.bin', Buffer.concat([binary, Buffer.from([0, 255, 13, 10])]));
    fs.rmSync(path.join(root, 'with space.txt'));
    fs.rmSync(path.join(root, 'new\nline.txt'));
    write('created/deep/er/file.ts', 'new\n');
    write('ünïcødé/another.md', 'created beside a kept file\n');
    fs.chmodSync(path.join(root, 'scripts', 'run.sh'), 0o644);
    fs.chmodSync(path.join(root, 'scripts', 'plain.sh'), 0o755);
    fs.rmSync(path.join(root, 'link-to-app'));
    fs.symlinkSync('Readme.md', path.join(root, 'link-to-app'));
    fs.renameSync(path.join(root, 'Readme.md'), path.join(root, 'README.md'));
    fs.rmSync(path.join(root, 'dangling'));
    write('dangling', 'a file where a link was\n');
    write('debug.log', 'ignored, changed since\n');
    write('build/out.js', 'ignored, changed since\n');
    write('local-only.txt', 'excluded, changed since\n');
    const changed = tree(root);

    const restored = taken(await repository.restore('conversation-1', checkpoint.commit));
    const expected = { ...atCheckpoint, 'debug.log': changed['debug.log'], 'build/out.js': changed['build/out.js'], 'local-only.txt': changed['local-only.txt'] };
    assert.deepEqual(tree(root), expected);
    assert.ok(!fs.existsSync(path.join(root, 'created')), 'the folders created with the files are removed');
    assert.deepEqual(restored.changes.map((change) => `${change.kind} ${change.path}`).sort(), [
      'added Readme.md',
      'added new\nline.txt',
      'added with space.txt',
      'deleted README.md',
      'deleted created/deep/er/file.ts',
      'deleted ünïcødé/another.md',
      'modified assets/blob.bin',
      'modified link-to-app',
      'modified scripts/plain.sh',
      'modified scripts/run.sh',
      'typeChanged dangling',
    ]);

    // The restore took its own checkpoint first: restoring that undoes it.
    taken(await repository.restore('conversation-1', restored.before));
    assert.deepEqual(tree(root), changed);
    await repository.idle();
  });

  it('never touches the user repository: status, HEAD, refs, stash, config, index bytes, every file of .git', async () => {
    userRepository();
    const before = userRepositoryState(root);
    // As in a terminal or a hook inside the user's repository: git's own variables point at it.
    const inherited = { GIT_DIR: path.join(root, '.git'), GIT_INDEX_FILE: path.join(root, '.git', 'index'), GIT_OBJECT_DIRECTORY: path.join(root, '.git', 'objects'), GIT_CONFIG_PARAMETERS: "'core.hooksPath'='hooks'" };
    Object.assign(process.env, inherited);
    try {
      const repository = await open();
      const checkpoint = taken(await repository.snapshot('conversation-1', 'one'));
      write('src/app.ts', 'export const app = 4;\n');
      write('src/new.ts', 'new\n');
      fs.rmSync(path.join(root, 'src', 'staged.ts'));
      taken(await repository.pendingRestore(checkpoint.commit));
      taken(await repository.restore('conversation-1', checkpoint.commit));
      await repository.prune(0, 0);
      await repository.idle();
    } finally {
      for (const key of Object.keys(inherited)) delete process.env[key];
    }
    assert.deepEqual(userRepositoryState(root), before);
    assert.ok(fs.existsSync(path.join(storage, 'objects')), 'the snapshot went to the shadow repository');
  });

  it('lists what a restore would change, and reads a file as the checkpoint has it', async () => {
    write('kept.txt', 'kept\n');
    write('edited.txt', 'before\n');
    write('gone.txt', 'deleted later\n');
    const repository = await open();
    const checkpoint = taken(await repository.snapshot('c', 'one'));
    write('edited.txt', 'after\n');
    fs.rmSync(path.join(root, 'gone.txt'));
    write('created.txt', 'new\n');
    assert.deepEqual(taken(await repository.pendingRestore(checkpoint.commit)), [
      { path: 'created.txt', kind: 'deleted' },
      { path: 'edited.txt', kind: 'modified' },
      { path: 'gone.txt', kind: 'added' },
    ]);
    assert.equal(taken(await repository.fileAt(checkpoint.commit, 'edited.txt'))?.toString(), 'before\n');
    assert.equal(taken(await repository.fileAt(checkpoint.commit, 'created.txt')), undefined);
    const later = taken(await repository.snapshot('c', 'two'));
    assert.deepEqual(
      taken(await repository.changesBetween(checkpoint.commit, later.commit)).map((change) => change.kind),
      ['added', 'modified', 'deleted'],
    );
    assert.equal(fs.readFileSync(path.join(root, 'edited.txt'), 'utf8'), 'after\n', 'looking changes nothing');
    await repository.idle();
  });

  it('leaves nested repositories and files over the size limit out, says so, and a restore leaves them alone', async () => {
    write('top.txt', 'top\n');
    write('vendor/lib/file.c', 'nested, committed\n');
    userGit(path.join(root, 'vendor', 'lib'), 'init', '--quiet');
    userGit(path.join(root, 'vendor', 'lib'), 'add', '-A');
    userGit(path.join(root, 'vendor', 'lib'), 'commit', '--quiet', '-m', 'nested');
    write('fresh/file.c', 'nested, no commit yet\n');
    userGit(path.join(root, 'fresh'), 'init', '--quiet');
    write('big.bin', Buffer.alloc(2048, 1));
    const repository = await open({ maxFileBytes: 1024 });
    const checkpoint = taken(await repository.snapshot('c', 'one'));
    assert.deepEqual(checkpoint.notes, ['Not in the checkpoint (over 0 MB each, left alone by a restore): big.bin.', 'Not in the checkpoint (repositories of their own, left alone by a restore): fresh, vendor/lib.']);
    write('vendor/lib/file.c', 'changed in the nested repository\n');
    write('fresh/file.c', 'changed too\n');
    write('big.bin', Buffer.alloc(4096, 2));
    write('top.txt', 'changed\n');
    const restored = taken(await repository.restore('c', checkpoint.commit));
    assert.deepEqual(restored.changes, [{ path: 'top.txt', kind: 'modified' }]);
    assert.equal(fs.readFileSync(path.join(root, 'vendor', 'lib', 'file.c'), 'utf8'), 'changed in the nested repository\n');
    assert.equal(fs.readFileSync(path.join(root, 'fresh', 'file.c'), 'utf8'), 'changed too\n');
    assert.equal(fs.statSync(path.join(root, 'big.bin')).size, 4096);
    assert.equal(fs.readFileSync(path.join(root, 'top.txt'), 'utf8'), 'top\n');
    await repository.idle();
  });

  it('a file that grows past the size limit is left alone by a restore and by its undo, with the checkpoints before it', async () => {
    write('data.bin', 'v0');
    write('other.txt', 'one\n');
    const repository = await open({ maxFileBytes: 1024 * 1024 });
    const c0 = taken(await repository.snapshot('c', 'c0'));
    write('data.bin', 'v1');
    taken(await repository.snapshot('c', 'c1'));
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    write('data.bin', big);
    write('other.txt', 'two\n');
    assert.match(taken(await repository.snapshot('c', 'c2')).notes.join(), /left alone by a restore\): data\.bin/);
    await restoreThenUndo(repository, c0.commit, 'other.txt', () => {
      assert.ok(fs.readFileSync(path.join(root, 'data.bin')).equals(big), 'the 2 MB file is not overwritten by the restore');
      assert.equal(fs.readFileSync(path.join(root, 'other.txt'), 'utf8'), 'one\n');
    });
    await repository.idle();
  });

  it('a file the checkpoint left out (over the limit then) is left alone by a restore to it, and by its undo', async () => {
    write('data.bin', Buffer.alloc(2 * 1024 * 1024, 7));
    write('other.txt', 'one\n');
    const repository = await open({ maxFileBytes: 1024 * 1024 });
    const c0 = taken(await repository.snapshot('c', 'c0'));
    assert.deepEqual(c0.leftOut, ['data.bin']);
    write('data.bin', 'small now');
    write('other.txt', 'two\n');
    await restoreThenUndo(repository, c0.commit, 'other.txt', () => assert.equal(fs.readFileSync(path.join(root, 'data.bin'), 'utf8'), 'small now', 'a file the checkpoint never saw is not removed'));
    await repository.idle();
  });

  it('a folder that becomes a repository of its own is left alone by a restore and by its undo', async () => {
    write('lib/a.c', 'a0\n');
    write('lib/b.c', 'b0\n');
    write('top.txt', 'top0\n');
    const repository = await open();
    const c0 = taken(await repository.snapshot('c', 'c0'));
    write('lib/a.c', 'a1\n');
    taken(await repository.snapshot('c', 'c1'));
    userGit(path.join(root, 'lib'), 'init', '--quiet');
    userGit(path.join(root, 'lib'), 'add', '-A');
    userGit(path.join(root, 'lib'), 'commit', '--quiet', '-m', 'its own now');
    write('lib/a.c', 'a2\n');
    fs.rmSync(path.join(root, 'lib', 'b.c'));
    write('lib/c.c', 'c2\n');
    write('top.txt', 'top2\n');
    assert.match(taken(await repository.snapshot('c', 'c2')).notes.join(), /repositories of their own, left alone by a restore\): lib\./);
    const lib = () => Object.entries(tree(root, { withGit: true })).filter(([file]) => file.startsWith('lib'));
    const libAfterTurn = lib();
    await restoreThenUndo(repository, c0.commit, 'top.txt', () => {
      assert.deepEqual(lib(), libAfterTurn, 'nothing in lib/ is touched');
      assert.equal(fs.readFileSync(path.join(root, 'top.txt'), 'utf8'), 'top0\n');
    });
    await repository.idle();
  });

  it('refuses a workspace over the size budget, with a reason the view can show', async () => {
    write('a.bin', Buffer.alloc(3000));
    write('ignored/huge.bin', Buffer.alloc(100_000));
    write('.gitignore', 'ignored/\n');
    const repository = await open({ maxWorkspaceBytes: 2000 });
    const result = await repository.snapshot('c', 'one');
    assert.equal(result.kind, 'unavailable');
    assert.equal((result).reason, 'too-large');
    assert.match((result).message, /sonnet\.checkpoints\.maxWorkspaceMB/);
    fs.rmSync(path.join(root, 'a.bin'));
    write('a.bin', Buffer.alloc(1000));
    assert.equal((await repository.snapshot('c', 'two')).kind, 'taken', 'ignored files do not count');
    await repository.idle();
  });

  it('follows the ignore files as they change: a file ignored since is left alone, one no longer ignored is kept', async () => {
    write('.gitignore', 'later.txt\n');
    write('tracked-then-ignored.txt', 'one\n');
    write('later.txt', 'ignored at first\n');
    const repository = await open();
    const checkpoint = taken(await repository.snapshot('c', 'one'));
    write('.gitignore', 'tracked-then-ignored.txt\n');
    const second = taken(await repository.snapshot('c', 'two'));
    assert.deepEqual(taken(await repository.changesBetween(checkpoint.commit, second.commit)), [
      { path: '.gitignore', kind: 'modified' },
      { path: 'later.txt', kind: 'added' },
      { path: 'tracked-then-ignored.txt', kind: 'deleted' },
    ]);
    write('tracked-then-ignored.txt', 'changed while ignored\n');
    write('later.txt', 'changed\n');
    taken(await repository.restore('c', second.commit));
    assert.equal(fs.readFileSync(path.join(root, 'tracked-then-ignored.txt'), 'utf8'), 'changed while ignored\n');
    assert.equal(fs.readFileSync(path.join(root, 'later.txt'), 'utf8'), 'ignored at first\n');
    await repository.idle();
  });

  it('counts a file that grows past the limit after the first snapshot, and the workspace that grows past the budget', async () => {
    write('grows.bin', Buffer.alloc(100));
    const repository = await open({ maxFileBytes: 1000, maxWorkspaceBytes: 5000 });
    assert.deepEqual(taken(await repository.snapshot('c', 'one')).notes, []);
    write('grows.bin', Buffer.alloc(2000));
    assert.match(taken(await repository.snapshot('c', 'two')).notes.join(), /grows\.bin/);
    write('new.bin', Buffer.alloc(900));
    write('other.bin', Buffer.alloc(900));
    for (let i = 0; i < 5; i++) write(`more${i}.bin`, Buffer.alloc(900));
    const refused = await repository.snapshot('c', 'three');
    assert.equal(refused.kind, 'unavailable');
    assert.equal((refused).reason, 'too-large');
    await repository.idle();
  });

  it('says git is missing when it is not on the PATH', async () => {
    const emptyPath = path.join(sandbox, 'no-git-here');
    fs.mkdirSync(emptyPath);
    const result = await ShadowRepository.open(options({ searchPath: emptyPath }));
    assert.ok(!(result instanceof ShadowRepository));
    assert.equal(result.reason, 'no-git');
    assert.match(result.message, /git was not found/);
    // An existing shadow repository whose git went away since answers the same.
    await (await open()).idle();
    const reopened = await open({ searchPath: emptyPath });
    const snapshot = await reopened.snapshot('c', 'one');
    assert.equal(snapshot.kind, 'unavailable');
    assert.equal((snapshot).reason, 'no-git');
  });

  it('deletes a conversation’s checkpoints and what only they kept; prunes to the newest per conversation', async () => {
    const repository = await open();
    const shadowGit = (...args: string[]) => execFileSync('git', args, { env: { ...process.env, GIT_DIR: storage }, encoding: 'utf8' });
    write('shared.txt', 'shared\n');
    write('only-a.txt', 'only in conversation a\n');
    const a = taken(await repository.snapshot('a', 'a1'));
    fs.rmSync(path.join(root, 'only-a.txt'));
    const b = [];
    for (let i = 0; i < 4; i++) {
      write('b.txt', `b${i}\n`);
      b.push(taken(await repository.snapshot('b', `b${i}`)));
    }
    const onlyA = shadowGit('rev-parse', `${a.commit}:only-a.txt`).trim();
    await repository.deleteConversation('a');
    assert.throws(() => execFileSync('git', ['cat-file', '-e', onlyA], { env: { ...process.env, GIT_DIR: storage }, stdio: 'ignore' }), 'the blob only a kept is gone');
    await repository.prune(2, 24 * 3600_000);
    const left = shadowGit('for-each-ref', '--format=%(objectname)').trim().split('\n');
    assert.deepEqual(left.sort(), [b[2].commit, b[3].commit].sort());
    await repository.idle();
  });
});
