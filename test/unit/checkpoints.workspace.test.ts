import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkspaceCheckpoints } from '../../src/checkpoints/workspaceCheckpoints';

describe('checkpoints: a workspace of folders, with real git on real folders', function () {
  this.timeout(30_000);
  let sandbox: string;
  let storageDir: string;
  let open: string[];

  const folder = (name: string, files: Record<string, string>): string => {
    const root = path.join(sandbox, name);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  };
  const workspace = () => new WorkspaceCheckpoints({ storageDir, folders: () => open, limits: () => ({ maxWorkspaceBytes: 1024 * 1024, maxFileBytes: 1024 * 1024 }) });
  /** The shadow repositories this workspace's storage holds. */
  const repositories = () => (fs.existsSync(path.join(storageDir, 'checkpoints')) ? fs.readdirSync(path.join(storageDir, 'checkpoints')) : []);

  beforeEach(() => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-workspace-checkpoints-')));
    storageDir = path.join(sandbox, 'storage');
  });
  afterEach(() => fs.rmSync(sandbox, { recursive: true, force: true }));

  it('a copy of a conversation keeps the checkpoints its turns hold when the original is deleted', async () => {
    const root = folder('project', { 'file.txt': 'before the turn\n' });
    open = [root];
    const checkpoints = workspace();
    const checkpoint = await checkpoints.take('original', 'before turn 1');
    assert.equal(checkpoint.folders.length, 1);
    fs.writeFileSync(path.join(root, 'file.txt'), 'after the turn\n');
    const later = await checkpoints.take('original', 'before turn 2');

    // As an edit keeps the conversation as it was under a new id: its turns hold the original's checkpoints.
    assert.deepEqual(await checkpoints.keepFor('earlier-version', [checkpoint]), []);
    await checkpoints.deleteConversation('original');
    await checkpoints.prune(1, 24 * 3600_000);

    assert.equal((await checkpoints.fileAt(root, checkpoint.folders[0].commit, 'file.txt'))?.toString(), 'before the turn\n', 'the copy’s checkpoint is still there');
    assert.equal(await checkpoints.fileAt(root, later.folders[0].commit, 'file.txt'), undefined, 'what no copy refers to went with the original');
    const outcome = await checkpoints.restore('earlier-version', checkpoint);
    assert.deepEqual(outcome.restored, [{ folder: root, changes: [{ path: 'file.txt', kind: 'modified' }] }]);
    assert.equal(fs.readFileSync(path.join(root, 'file.txt'), 'utf8'), 'before the turn\n');
    await checkpoints.idle();
  });

  it('refuses to look at or restore a folder not open in this window, and creates nothing for it', async () => {
    const elsewhere = folder('elsewhere', { 'file.txt': 'one\n' });
    const here = folder('here', { 'file.txt': 'here\n' });
    open = [elsewhere];
    const checkpoint = await workspace().take('conversation', 'before turn 1');
    fs.writeFileSync(path.join(elsewhere, 'file.txt'), 'two\n');
    fs.rmSync(storageDir, { recursive: true });

    // Another window, with only `here` open, and the conversation from the global history.
    open = [here];
    const checkpoints = workspace();
    const pending = await checkpoints.pendingRestore('conversation', checkpoint);
    assert.deepEqual(pending.changes, []);
    assert.deepEqual(pending.notOpen, [elsewhere]);
    assert.match(pending.notes.join(), /not open in this window/);
    const outcome = await checkpoints.restore('conversation', checkpoint);
    assert.deepEqual(outcome.notOpen, [elsewhere]);
    assert.deepEqual(outcome.restored, []);
    assert.deepEqual(outcome.undo.folders, []);
    assert.equal(await checkpoints.fileAt(elsewhere, checkpoint.folders[0].commit, 'file.txt'), undefined);
    assert.equal(fs.readFileSync(path.join(elsewhere, 'file.txt'), 'utf8'), 'two\n', 'the folder is untouched');
    assert.deepEqual(repositories(), [], 'no shadow repository was created for it');
    await checkpoints.idle();
  });
});
