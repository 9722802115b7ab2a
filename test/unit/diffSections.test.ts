// A `git diff` split into its files' sections, with the paths each touches, from Git's real output.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffSections } from '../../src/tools/diffSections';

describe('diffSections', () => {
  let root = '';
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: root, encoding: 'utf8' });
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-diff-'));
    const files: Record<string, string | Buffer> = { 'a.txt': 'one\n', 'old name.txt': 'moved\n'.repeat(20), 'ünï "q".txt': 'x\n', 'logo.bin': Buffer.from([0, 1, 2]), 'gone.txt': 'bye\n' };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'start');
    fs.writeFileSync(path.join(root, 'a.txt'), 'two\n');
    fs.writeFileSync(path.join(root, 'ünï "q".txt'), 'y\n');
    fs.writeFileSync(path.join(root, 'logo.bin'), Buffer.from([0, 1, 3]));
    git('mv', 'old name.txt', 'new name.txt');
    git('rm', '-q', 'gone.txt');
    git('add', '.');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives each file its section and its paths: changed, renamed, quoted, binary, deleted', () => {
    const diff = git('diff', '--cached', '-M');
    const sections = diffSections(diff);
    assert.deepEqual(sections.map((section) => section.paths).sort(), [['a.txt'], ['gone.txt'], ['logo.bin'], ['old name.txt', 'new name.txt'], ['ünï "q".txt']]);
    assert.equal(sections.map((section) => section.text).join(''), diff);
    for (const section of sections) assert.match(section.text, /^diff --git [^\n]*\n(?![\s\S]*\ndiff --git )/);
  });

  it('reads mnemonic prefixes and an empty diff', () => {
    assert.deepEqual(diffSections(git('-c', 'diff.mnemonicPrefix=true', 'diff', '--cached', '--', 'a.txt')).map((section) => section.paths), [['a.txt']]);
    assert.deepEqual(diffSections(''), []);
  });
});
