import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInside, realLocation } from '../../src/tools/confine';
import { resolveWorkspacePath, secretReason } from '../../src/tools/paths';

const ONE = [{ name: 'app' }];
const TWO = [{ name: 'app' }, { name: 'lib' }];

describe('workspace path confinement', () => {
  const escaping: Array<[string, RegExp]> = [
    ['../secrets.txt', /\.\./],
    ['src/../../x', /\.\./],
    ['src/..', /\.\./],
    ['..\\..\\Windows\\win.ini', /\.\./],
    ['src\\..\\..\\x', /\.\./],
    ['a/.../b', /\.\./],
    ['a/.. /b', /\.\./],
    ['/etc/passwd', /absolute/],
    ['\\etc\\passwd', /absolute/],
    ['~/.ssh/id_rsa', /~/],
    ['~root/x', /~/],
    ['C:\\Windows\\System32', /Windows path/],
    ['c:/x', /Windows path/],
    ['\\\\server\\share\\x', /UNC/],
    ['//server/share/x', /UNC/],
    ['file:///etc/passwd', /URI/],
    ['vscode-remote://ssh/etc/passwd', /URI/],
    ['http://example.com/a', /URI/],
    ['src/a.ts\0.png', /NUL/],
    ['src/file.txt:stream', /colon/],
  ];
  for (const [input, reason] of escaping) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const resolved = resolveWorkspacePath(input, ONE);
      assert.equal(resolved.ok, false);
      assert.match((resolved as { error: string }).error, reason);
    });
  }

  it('accepts workspace-relative paths, tidying separators and "." segments', () => {
    assert.deepEqual(resolveWorkspacePath('src/app.ts', ONE), { ok: true, rootIndex: 0, segments: ['src', 'app.ts'], display: 'src/app.ts' });
    assert.deepEqual(resolveWorkspacePath('./src//app.ts', ONE), { ok: true, rootIndex: 0, segments: ['src', 'app.ts'], display: 'src/app.ts' });
    assert.deepEqual(resolveWorkspacePath('src\\app.ts', ONE), { ok: true, rootIndex: 0, segments: ['src', 'app.ts'], display: 'src/app.ts' });
    assert.deepEqual(resolveWorkspacePath('', ONE), { ok: true, rootIndex: 0, segments: [], display: '.' });
    assert.deepEqual(resolveWorkspacePath('.', ONE), { ok: true, rootIndex: 0, segments: [], display: '.' });
    assert.deepEqual(resolveWorkspacePath('..foo/.bar', ONE), { ok: true, rootIndex: 0, segments: ['..foo', '.bar'], display: '..foo/.bar' });
  });

  it('starts paths with the folder name in a multi-root workspace', () => {
    assert.deepEqual(resolveWorkspacePath('lib/src/a.ts', TWO), { ok: true, rootIndex: 1, segments: ['src', 'a.ts'], display: 'lib/src/a.ts' });
    const unnamed = resolveWorkspacePath('src/a.ts', TWO);
    assert.equal(unnamed.ok, false);
    assert.match((unnamed as { error: string }).error, /folder name \(app, lib\)/);
  });

  it('refuses everything without a workspace folder, and non-strings', () => {
    assert.match((resolveWorkspacePath('a.ts', []) as { error: string }).error, /No workspace folder/);
    assert.equal(resolveWorkspacePath(42, ONE).ok, false);
  });

  it('knows the files that usually hold secrets', () => {
    for (const secret of ['.env', '.env.local', 'config/.ENV.production', 'certs/server.pem', 'tls.key', 'id_rsa', 'keys/id_ed25519.pub', '.git/config', '.git', 'x/.ssh/known_hosts', '.npmrc', 'credentials.json']) {
      assert.ok(secretReason(secret.split('/')), secret);
    }
    for (const plain of ['src/env.ts', 'environment.md', 'keyboard.ts', 'src/key.ts', '.gitignore', '.github/workflows/ci.yml', 'docs/rsa.md']) {
      assert.equal(secretReason(plain.split('/')), undefined, plain);
    }
  });

  it('counts every .env name as an environment file: direnv, other separators, and folders of them', () => {
    for (const secret of ['.envrc', '.env_local', '.env-production', '.envs', '.ENVRC', 'app/.env.local', '.envs/.production/.django', 'deploy/.env/prod']) {
      assert.equal(secretReason(secret.split('/')), 'an environment file', secret);
    }
    for (const plain of ['.editorconfig', '.eslintrc', 'env', 'env.sh', 'dotenv.ts', 'a.env.ts', 'src/environments/prod.ts']) {
      assert.equal(secretReason(plain.split('/')), undefined, plain);
    }
  });
});

describe('symlinks: where a path really leads', () => {
  let sandbox: string;
  let root: string;
  before(() => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-confine-')));
    root = path.join(sandbox, 'workspace');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(sandbox, 'outside'));
    fs.writeFileSync(path.join(sandbox, 'outside', 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'a');
    fs.symlinkSync(path.join(sandbox, 'outside'), path.join(root, 'linked-out'));
    fs.symlinkSync(path.join(sandbox, 'outside', 'secret.txt'), path.join(root, 'src', 'secret-link.txt'));
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src-alias'));
    fs.symlinkSync(path.join(sandbox, 'nowhere'), path.join(root, 'dangling'));
  });
  after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

  /** Why the path may not be used, or undefined. */
  const check = async (relative: string) => {
    const location = await realLocation(root, path.join(root, relative), fs.promises);
    return location.inside ? undefined : location.why;
  };
  const realSegments = async (relative: string) => {
    const location = await realLocation(root, path.join(root, relative), fs.promises);
    return location.inside ? location.segments : location.why;
  };

  it('refuses a file reached through a linked folder or a linked file', async () => {
    assert.match((await check('linked-out/secret.txt')) ?? '', /symbolic link/);
    assert.match((await check('src/secret-link.txt')) ?? '', /symbolic link/);
  });

  it('refuses a new file below a linked folder', async () => {
    assert.match((await check('linked-out/new/file.txt')) ?? '', /symbolic link/);
  });

  it('allows real files, links that stay inside, and new files in real folders', async () => {
    assert.equal(await check('src/a.ts'), undefined);
    assert.equal(await check('src-alias/a.ts'), undefined);
    assert.equal(await check('src/new/deeper/file.ts'), undefined);
    assert.equal(await check(''), undefined);
  });

  it('refuses a link to nothing, which a write would follow wherever it points', async () => {
    assert.match((await check('dangling')) ?? '', /does not exist/);
    assert.match((await check('dangling/below.txt')) ?? '', /does not exist/);
  });

  it('works when the workspace folder itself is reached through a link', async () => {
    const alias = path.join(sandbox, 'workspace-alias');
    fs.symlinkSync(root, alias);
    assert.deepEqual(await realLocation(alias, path.join(alias, 'src', 'a.ts'), fs.promises), { inside: true, segments: ['src', 'a.ts'] });
    assert.deepEqual(await realLocation(alias, path.join(alias, 'linked-out', 'secret.txt'), fs.promises), {
      inside: false,
      why: 'it leads out of the workspace folder through a symbolic link',
    });
  });

  it('answers the real path below the folder, for files that exist and files to create', async () => {
    assert.deepEqual(await realSegments('src/a.ts'), ['src', 'a.ts']);
    assert.deepEqual(await realSegments('src-alias/a.ts'), ['src', 'a.ts']);
    assert.deepEqual(await realSegments('src-alias/new/deeper/file.ts'), ['src', 'new', 'deeper', 'file.ts']);
    assert.deepEqual(await realSegments(''), []);
  });

  it('compares paths by segment, not by prefix', () => {
    assert.equal(isInside('/work/app', '/work/app-secrets/x'), false);
    assert.equal(isInside('/work/app', '/work/app/x'), true);
    assert.equal(isInside('C:\\work\\app', 'C:\\work\\app2\\x', path.win32), false);
    assert.equal(isInside('C:\\work\\app', 'D:\\work\\app\\x', path.win32), false);
  });
});
