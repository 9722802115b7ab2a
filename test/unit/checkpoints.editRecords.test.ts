import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceCheckpoints, type TurnCheckpoint } from '../../src/checkpoints/workspaceCheckpoints';
import { useTempFolder } from './helpers';

/** Every file below `root`: its content's hash (folders listed too, so an emptied one shows). */
function tree(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of fs.readdirSync(folder)) {
      const full = path.join(folder, name);
      const relative = path.relative(root, full);
      if (fs.statSync(full).isDirectory()) {
        entries[relative] = 'folder';
        walk(full);
      } else entries[relative] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(root);
  return entries;
}

const MB = 1024 * 1024;

/** The edit tools' own checkpoints, where no shadow repository can be used: real files, a PATH without git. */
describe('checkpoints: the edit tools’ own record, without git', function () {
  this.timeout(20_000);
  const temp = useTempFolder('sonnet-chat-edit-records-');

  function setup(limits = { maxWorkspaceBytes: 10 * MB, maxFileBytes: 5 * MB }) {
    const root = path.join(temp(), 'workspace');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    const noGit = path.join(temp(), 'no-git-here');
    fs.mkdirSync(noGit);
    const workspace = new WorkspaceCheckpoints({ storageDir: path.join(temp(), 'storage'), folders: () => [root], limits: () => limits, searchPath: noGit });
    const uri = (file: string) => pathToFileURL(path.join(root, file)).href;
    /** What an edit tool does: hands its bytes before, then writes. */
    async function edit(checkpoint: TurnCheckpoint, record: string, file: string, content: Buffer) {
      const full = path.join(root, file);
      await workspace.keepBeforeEdit('conversation', checkpoint, record, uri(file), fs.existsSync(full) ? fs.readFileSync(full) : undefined);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
    return { root, workspace, uri, edit };
  }

  it('keeps the files the edit tools change and restores them byte-identical; Undo Restore brings the changes back', async () => {
    const { root, workspace, uri, edit } = setup();
    fs.writeFileSync(path.join(root, 'src', 'app.bin'), randomBytes(70_000));
    fs.writeFileSync(path.join(root, 'src', 'crlf.txt'), 'one\r\ntwo\r\n');
    const before = tree(root);

    const checkpoint = await workspace.take('conversation', 'before turn 1');
    assert.deepEqual(checkpoint.folders, [], 'no snapshot without git');
    assert.match(checkpoint.notes.join(' '), /git was not found/);

    await edit(checkpoint, 'turn 1', 'src/app.bin', randomBytes(1000));
    await edit(checkpoint, 'turn 1', 'src/crlf.txt', Buffer.from('one\ntwo\n'));
    // A second change of the same file: the restore still goes back to before the first.
    await edit(checkpoint, 'turn 1', 'src/crlf.txt', Buffer.from('three\n'));
    await edit(checkpoint, 'turn 1', 'docs/new/notes.md', Buffer.from('# Notes\n'));
    assert.equal(checkpoint.edits, 'turn 1');
    const after = tree(root);

    const pending = await workspace.pendingRestore('conversation', checkpoint);
    assert.deepEqual(pending.changes, []);
    assert.deepEqual(pending.edits, [
      { file: uri('src/app.bin'), kind: 'modified' },
      { file: uri('src/crlf.txt'), kind: 'modified' },
      { file: uri('docs/new/notes.md'), kind: 'deleted' },
    ]);
    assert.equal((await workspace.keptBeforeEdit('conversation', 'turn 1', uri('src/crlf.txt')))?.toString(), 'one\r\ntwo\r\n');

    const outcome = await workspace.restore('conversation', checkpoint);
    assert.equal(outcome.edits.length, 3);
    const restored = tree(root);
    // The created file is gone; the folders it needed are left (the edit tools know files, not folders).
    assert.deepEqual(
      Object.fromEntries(Object.entries(restored).filter(([file]) => !file.startsWith('docs'))),
      before,
    );
    assert.equal(fs.existsSync(path.join(root, 'docs', 'new', 'notes.md')), false);

    await workspace.restore('conversation', outcome.undo);
    assert.deepEqual(tree(root), after);
  });

  it('says what it could not keep: a file over the size limit is left out, the others are kept', async () => {
    const { root, workspace, uri, edit } = setup({ maxWorkspaceBytes: 10 * MB, maxFileBytes: 1000 });
    fs.writeFileSync(path.join(root, 'big.bin'), randomBytes(5000));
    fs.writeFileSync(path.join(root, 'small.txt'), 'small\n');
    const checkpoint = await workspace.take('conversation', 'before');
    await edit(checkpoint, 'turn', 'big.bin', Buffer.from('x'));
    await edit(checkpoint, 'turn', 'small.txt', Buffer.from('changed\n'));
    assert.match(checkpoint.notes.join(' '), /big\.bin was not kept for a restore: over the 1000 bytes kept per file/);
    assert.deepEqual((await workspace.pendingRestore('conversation', checkpoint)).edits, [{ file: uri('small.txt'), kind: 'modified' }]);
  });

  it('keeps an earlier version’s records when the conversation they came from is deleted, and deletes them with the copy', async () => {
    const { root, workspace, edit } = setup();
    fs.writeFileSync(path.join(root, 'a.txt'), 'a\n');
    const checkpoint = await workspace.take('conversation', 'before');
    await edit(checkpoint, 'turn', 'a.txt', Buffer.from('b\n'));
    await workspace.keepFor('copy', [checkpoint]);
    await workspace.deleteConversation('conversation');
    assert.deepEqual((await workspace.pendingRestore('conversation', checkpoint)).edits, [], 'gone with its conversation');
    assert.equal((await workspace.pendingRestore('copy', checkpoint)).edits.length, 1);
    await workspace.restore('copy', checkpoint);
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'a\n');
    await workspace.deleteConversation('copy');
    assert.deepEqual(fs.readdirSync(path.join(temp(), 'storage', 'edit-checkpoints')), []);
  });

  it('leaves files a snapshot covers to git: only the others are kept', async () => {
    const { root, uri } = setup();
    const other = path.join(temp(), 'virtual-like');
    fs.mkdirSync(other);
    const workspace = new WorkspaceCheckpoints({ storageDir: path.join(temp(), 'storage2'), folders: () => [root], limits: () => ({ maxWorkspaceBytes: MB, maxFileBytes: MB }) });
    fs.writeFileSync(path.join(root, 'inside.txt'), 'in\n');
    fs.writeFileSync(path.join(other, 'outside.txt'), 'out\n');
    const checkpoint = await workspace.take('conversation', 'before');
    assert.equal(checkpoint.folders.length, 1);
    await workspace.keepBeforeEdit('conversation', checkpoint, 'turn', uri('inside.txt'), fs.readFileSync(path.join(root, 'inside.txt')));
    assert.equal(checkpoint.edits, undefined, 'the snapshot has it');
    const outside = pathToFileURL(path.join(other, 'outside.txt')).href;
    await workspace.keepBeforeEdit('conversation', checkpoint, 'turn', outside, fs.readFileSync(path.join(other, 'outside.txt')));
    assert.equal(checkpoint.edits, 'turn');
    fs.writeFileSync(path.join(other, 'outside.txt'), 'changed\n');
    fs.writeFileSync(path.join(root, 'inside.txt'), 'changed\n');
    const pending = await workspace.pendingRestore('conversation', checkpoint);
    assert.deepEqual(pending.changes, [{ folder: root, changes: [{ path: 'inside.txt', kind: 'modified' }] }]);
    assert.deepEqual(pending.edits, [{ file: outside, kind: 'modified' }]);
    await workspace.restore('conversation', checkpoint);
    assert.equal(fs.readFileSync(path.join(other, 'outside.txt'), 'utf8'), 'out\n');
    assert.equal(fs.readFileSync(path.join(root, 'inside.txt'), 'utf8'), 'in\n');
    await workspace.idle();
  });
});
