// Checkpoints in a real VS Code: a turn edits one file, creates another (approved automatically) and
// runs a command (allowed by a rule) that writes a third;
// Sonnet: Restore Checkpoint… lists all three, restores the files as they were before the turn, and Undo
// Restore puts the turn's changes back. The turn's own Restore checkpoint button (only on a turn that
// changed files) restores the files and the conversation: the later turns are dropped and the prompt
// comes back into the input. The mock provider plays the model. SONNET_SCREENSHOTS=1 saves the button
// in the four themes into test-results/checkpoints/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { RESULTS_DIR } from './harness';
import { useSonnet } from './sonnet';

const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'] as const;
const RESTORE_BUTTON = 'button[aria-label="Restore checkpoint: undo this turn’s changes"]';

/** The first prompt edits src/app.ts and creates docs/second.md; any other prompt is only answered. */
function editThenTalk(request: RecordedRequest) {
  const last = request.body.messages.at(-1);
  const answered = Array.isArray(last.content) && last.content.some((block: { type: string }) => block.type === 'tool_result');
  if (answered) return sseReply({ blocks: [{ type: 'text', text: 'Renamed and noted.' }] });
  if (typeof last.content === 'string' && last.content.includes('Rename it')) {
    return sseReply({
      blocks: [
        { type: 'tool_use', id: 'toolu_rename', name: 'edit_file', input: { path: 'src/app.ts', oldText: 'answer', newText: 'result' } },
        { type: 'tool_use', id: 'toolu_second', name: 'create_file', input: { path: 'docs/second.md', content: '# Second\n' } },
      ],
      stopReason: 'tool_use',
    });
  }
  return sseReply({ blocks: [{ type: 'text', text: 'It is called result now.' }] });
}

const APP = 'export const answer = 41;\n';

/** Edits src/app.ts, creates docs/new/notes.md and runs a command that writes made.txt, in one round, then answers. */
function editAndCreate(request: RecordedRequest) {
  const last = request.body.messages.at(-1);
  const answered = Array.isArray(last.content) && last.content.some((block: { type: string }) => block.type === 'tool_result');
  return answered
    ? sseReply({ blocks: [{ type: 'text', text: 'Both done.' }] })
    : sseReply({
        blocks: [
          { type: 'tool_use', id: 'toolu_edit', name: 'edit_file', input: { path: 'src/app.ts', oldText: '41', newText: '42' } },
          { type: 'tool_use', id: 'toolu_create', name: 'create_file', input: { path: 'docs/new/notes.md', content: '# Notes\n' } },
          // A change the edit tools know nothing of: only the snapshot sees it.
          { type: 'tool_use', id: 'toolu_command', name: 'run_command', input: { command: 'touch made.txt' } },
        ],
        stopReason: 'tool_use',
      });
}

describe('Checkpoints', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'src/app.ts': APP, '.gitignore': 'build/\n', 'build/out.js': 'built\n' }, settings: { 'sonnet.tools.autoApproveEdits': true, 'sonnet.tools.commandRules': { allow: ['touch'], deny: [] } } });
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
    assert.equal(onDisk('made.txt'), '', 'the command ran');
    fs.writeFileSync(path.join(workspace(), 'build', 'out.js'), 'built again\n');

    await vsc.runCommand('Sonnet: Restore Checkpoint…');
    await vsc.pickQuickItem(/Make it 42 and start notes/);
    await vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'docs/new/notes.md' }).waitFor();
    const labels = await vsc.quickInputLabels();
    assert.deepEqual(labels.filter((label) => /Restore|app\.ts|notes\.md|made\.txt/.test(label)).map((label) => label.trim()), ['Restore 3 files', 'Restore files and conversation (drops this turn)', 'docs/new/notes.md', 'made.txt', 'src/app.ts']);
    // A file shows its diff (now, and after the restore), and the list comes back.
    await vsc.pickQuickItem(/src\/app\.ts/);
    await vsc.page.locator('.tabs-container .tab', { hasText: 'app.ts: now ↔ after the restore' }).waitFor();
    await vsc.pickQuickItem(/Restore 3 files/);

    await vsc.notification(/restored 3 files/);
    assert.equal(onDisk('src/app.ts'), APP);
    assert.equal(fs.existsSync(path.join(workspace(), 'made.txt')), false, 'what the command wrote is gone');
    assert.equal(fs.existsSync(path.join(workspace(), 'docs')), false, 'the created file and its folders are gone');
    assert.equal(onDisk('build/out.js'), 'built again\n', 'ignored files are left alone');
    assert.equal(fs.existsSync(path.join(workspace(), '.git')), false, 'no repository appears in the workspace');

    await vsc.clickNotificationButton(/restored 3 files/, 'Undo Restore');
    await vsc.notification(/the restore is undone/);
    assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    assert.equal(onDisk('made.txt'), '');
    assert.equal(onDisk('docs/new/notes.md'), '# Notes\n');
  });

  it('offers Restore checkpoint only on the turn that changed files; restoring files and conversation drops the later turns and puts the prompt back', async () => {
    const vsc = sonnet.vsc();
    const before = onDisk('src/app.ts');
    sonnet.mock().onMessages(editThenTalk);
    await vsc.runCommand('Sonnet: New Chat');
    const chat = await sonnet.chat();
    await chat.send('Rename it and add a second note');
    await chat.waitForAnswer('Renamed and noted.', 60_000);
    await chat.send('What is it called?');
    await chat.waitForAnswer('It is called result now.');
    assert.equal(onDisk('docs/second.md'), '# Second\n');

    const [changed, talked] = [chat.frame.locator('.turn.assistant').nth(0), chat.frame.locator('.turn.assistant').nth(1)];
    const button = changed.locator(RESTORE_BUTTON);
    await button.waitFor({ state: 'visible' });
    assert.equal(await talked.locator(RESTORE_BUTTON).isVisible(), false, 'a turn that changed nothing has no Restore checkpoint');

    if (process.env.SONNET_SCREENSHOTS === '1') {
      const dir = path.join(RESULTS_DIR, 'checkpoints');
      for (const theme of THEMES) {
        await vsc.setColorTheme(theme);
        await chat.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
        await button.focus();
        await vsc.page.locator('.monaco-workbench .part.sidebar').screenshot({ path: path.join(dir, `${theme.replace(/\s+/g, '-')}.png`) });
      }
      await vsc.setColorTheme('Dark Modern');
    }

    // By keyboard: the button takes the focus and Enter presses it.
    await button.focus();
    await button.press('Enter');
    await vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'docs/second.md' }).waitFor();
    const labels = (await vsc.quickInputLabels()).map((label) => label.trim());
    assert.ok(labels.includes('Restore 2 files'), labels.join(' | '));
    assert.ok(labels.includes('Restore files and conversation (drops this turn and the later one)'), labels.join(' | '));
    await vsc.pickQuickItem(/and conversation/);

    await vsc.notification(/restored 2 files/);
    assert.equal(onDisk('src/app.ts'), before);
    assert.equal(fs.existsSync(path.join(workspace(), 'docs', 'second.md')), false);
    await chat.frame.locator('.turn').first().waitFor({ state: 'detached' });
    await chat.frame.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'Rename it and add a second note');
    assert.equal(await chat.frame.locator('#prompt').evaluate((prompt) => prompt === document.activeElement), true, 'the input has the keyboard');
  });
});
