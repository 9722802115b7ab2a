// Checkpoints in a real VS Code: a turn edits one file and creates another (approved automatically);
// Sonnet: Restore Checkpoint… lists both, restores the files as they were before the turn, and Undo
// Restore puts the turn's changes back. The mock provider plays the model.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

const APP = 'export const answer = 41;\n';

/** Edits src/app.ts and creates docs/new/notes.md in one round, then answers. */
function editAndCreate(request: RecordedRequest) {
  const last = request.body.messages.at(-1);
  const answered = Array.isArray(last.content) && last.content.some((block: { type: string }) => block.type === 'tool_result');
  return answered
    ? sseReply({ blocks: [{ type: 'text', text: 'Both done.' }] })
    : sseReply({
        blocks: [
          { type: 'tool_use', id: 'toolu_edit', name: 'edit_file', input: { path: 'src/app.ts', oldText: '41', newText: '42' } },
          { type: 'tool_use', id: 'toolu_create', name: 'create_file', input: { path: 'docs/new/notes.md', content: '# Notes\n' } },
        ],
        stopReason: 'tool_use',
      });
}

describe('Checkpoints', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'src/app.ts': APP, '.gitignore': 'build/\n', 'build/out.js': 'built\n' }, settings: { 'sonnet.tools.autoApproveEdits': true } });
  const workspace = () => sonnet.vsc().server.workspace;
  const onDisk = (file: string) => fs.readFileSync(path.join(workspace(), file), 'utf8');

  it('restores the files a turn changed, after listing them, and Undo Restore brings the changes back', async () => {
    const vsc = sonnet.vsc();
    sonnet.mock().onMessages(editAndCreate);
    const chat = await sonnet.chat();
    await chat.send('Make it 42 and start notes');
    // Slow only on a loaded machine: two edits applied and saved by VS Code, one snapshot.
    await chat.waitForAnswer('Both done.', 60_000);
    assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    assert.equal(onDisk('docs/new/notes.md'), '# Notes\n');
    fs.writeFileSync(path.join(workspace(), 'build', 'out.js'), 'built again\n');

    await vsc.runCommand('Sonnet: Restore Checkpoint…');
    await vsc.pickQuickItem(/Make it 42 and start notes/);
    await vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'docs/new/notes.md' }).waitFor();
    const labels = await vsc.quickInputLabels();
    assert.deepEqual(labels.filter((label) => /Restore|app\.ts|notes\.md/.test(label)).map((label) => label.trim()), ['Restore 2 files', 'docs/new/notes.md', 'src/app.ts']);
    // A file shows its diff (now, and after the restore), and the list comes back.
    await vsc.pickQuickItem(/src\/app\.ts/);
    await vsc.page.locator('.tabs-container .tab', { hasText: 'app.ts: now ↔ after the restore' }).waitFor();
    await vsc.pickQuickItem(/Restore 2 files/);

    await vsc.notification(/restored 2 files/);
    assert.equal(onDisk('src/app.ts'), APP);
    assert.equal(fs.existsSync(path.join(workspace(), 'docs')), false, 'the created file and its folders are gone');
    assert.equal(onDisk('build/out.js'), 'built again\n', 'ignored files are left alone');
    assert.equal(fs.existsSync(path.join(workspace(), '.git')), false, 'no repository appears in the workspace');

    await vsc.clickNotificationButton(/restored 2 files/, 'Undo Restore');
    await vsc.notification(/the restore is undone/);
    assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    assert.equal(onDisk('docs/new/notes.md'), '# Notes\n');
  });
});
