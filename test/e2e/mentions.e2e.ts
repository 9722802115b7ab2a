// @-mentions in a real VS Code: the picker driven by the keyboard, chips in the input, the mentioned
// file's content (or the workspace's problems) in what the provider receives, a file dropped on the
// view, and the sent turn's link opening the file. Screenshots of the picker and the chips in the four
// themes go to test-results/mentions/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sseReply } from '../fixtures/transcripts';
import { RESULTS_DIR } from './harness';
import { useSonnet, type ChatView } from './sonnet';

const CALC_PY = 'def add(a, b):\n    return a + b\n';
const NOTES = 'Remember the milk.\n';
const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'];

describe('@-mentions', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'src/calc.py': CALC_PY, 'src/other.py': 'x = 1\n', 'notes/my notes.md': NOTES, 'bad.json': '{ "a": }\n' } });

  const lastMessage = () => {
    const messages = sonnet.mock().messageRequests.at(-1)!.body.messages;
    return messages[messages.length - 1] as { content: string };
  };

  /** Types `text` key by key, as a person does, so the picker sees each keystroke. */
  const type = (chat: ChatView, text: string) => chat.prompt.pressSequentially(text);

  const pickerOption = (chat: ChatView, text: string | RegExp) => chat.frame.locator('#mention-picker [role="option"]', { hasText: text });

  it('picks a file with the keyboard, shows it as a chip, sends its content, and the sent link opens it', async () => {
    const chat = await sonnet.chat();
    await chat.prompt.click();
    await type(chat, 'Explain @calc');
    await pickerOption(chat, 'calc.py').waitFor();
    assert.equal(await chat.prompt.getAttribute('aria-expanded'), 'true');
    assert.equal(await chat.prompt.getAttribute('aria-activedescendant'), await pickerOption(chat, 'calc.py').first().getAttribute('id'));
    await chat.prompt.press('Enter');
    await chat.frame.locator('#mention-picker').waitFor({ state: 'hidden' });
    assert.equal(await chat.prompt.inputValue(), 'Explain @src/calc.py ');
    await chat.frame.locator('.prompt-highlight mark.mention-chip', { hasText: '@src/calc.py' }).waitFor({ state: 'attached' });

    // Escape closes the picker and leaves the text; Backspace at a chip's end removes the whole mention.
    await type(chat, '@oth');
    await pickerOption(chat, 'other.py').waitFor();
    await chat.prompt.press('Escape');
    await chat.frame.locator('#mention-picker').waitFor({ state: 'hidden' });
    assert.equal(await chat.prompt.inputValue(), 'Explain @src/calc.py @oth');
    await chat.prompt.press('Backspace');
    assert.equal(await chat.prompt.inputValue(), 'Explain @src/calc.py ');
    await chat.prompt.press('Backspace');
    await chat.prompt.press('Backspace');
    assert.equal(await chat.prompt.inputValue(), 'Explain ');
    await type(chat, '@calc');
    await pickerOption(chat, 'calc.py').waitFor();
    await chat.prompt.press('Tab');
    await type(chat, 'please');

    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It adds.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('It adds.');
    const { content } = lastMessage();
    assert.ok(content.includes(`Attached \`src/calc.py\` (the whole file):\n\`\`\`py\n${CALC_PY}\`\`\``), content);
    assert.ok(content.endsWith('Explain @src/calc.py please'), content);

    const link = chat.lastUserTurn.locator('a.mention-link', { hasText: '@src/calc.py' });
    await link.click();
    await sonnet.vsc().page.locator('.tabs-container .tab.active[data-resource-name="calc.py"]').waitFor();
  });

  it('sends the workspace problems for @problems', async () => {
    const vsc = sonnet.vsc();
    await vsc.openFile('bad.json');
    // The JSON language server reports the missing value once it has read the file.
    await vsc.page.locator('[id="status.problems"]', { hasText: /1/ }).waitFor({ timeout: 30_000 });
    const chat = await sonnet.chat();
    await chat.newChat(vsc).catch(() => undefined);
    await chat.prompt.click();
    await type(chat, 'Fix @prob');
    await pickerOption(chat, '@problems').waitFor();
    await chat.prompt.press('Enter');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Fixed.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Fixed.');
    const { content } = lastMessage();
    assert.match(content, /Attached @problems: the workspace's errors and warnings:\n```text\n1 problem in the workspace:\nbad\.json:1:\d+ error: Value expected/);
    await chat.lastUserTurn.locator('.mention-label', { hasText: '@problems' }).waitFor();
  });

  it('attaches a file dropped on the view at the caret, with a drop target while dragging', async () => {
    const vsc = sonnet.vsc();
    const chat = await sonnet.chat();
    await chat.newChat(vsc).catch(() => undefined);
    await chat.prompt.click();
    await type(chat, 'Read ');
    const uri = pathToFileURL(path.join(vsc.server.workspace, 'notes', 'my notes.md')).href;
    await chat.frame.locator('#prompt').evaluate((prompt, uri) => {
      const data = new DataTransfer();
      data.setData('text/uri-list', `# dragged from the Explorer\r\n${uri}`);
      prompt.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: data }));
      prompt.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, uri);
    await chat.frame.locator('.drop-target', { hasText: 'Hold Shift to drop' }).waitFor();
    await chat.frame.locator('#prompt').evaluate((prompt, uri) => {
      const data = new DataTransfer();
      data.setData('text/uri-list', uri);
      prompt.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, uri);
    await chat.frame.locator('.drop-target').waitFor({ state: 'hidden' });
    await chat.frame.waitForFunction(() => (document.querySelector('#prompt') as HTMLTextAreaElement).value === 'Read @"notes/my notes.md" ');
    await type(chat, 'now');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Milk.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Milk.');
    assert.ok(lastMessage().content.includes(`Attached \`notes/my notes.md\` (the whole file):\n\`\`\`md\n${NOTES}\`\`\``), lastMessage().content);
  });

  it('reads the mentions an edit of a prompt adds, keeping what the prompt had attached', async () => {
    const vsc = sonnet.vsc();
    const chat = await sonnet.chat();
    await chat.newChat(vsc).catch(() => undefined);
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'One.' }] }));
    await chat.send('Compare @src/calc.py');
    await chat.waitForAnswer('One.');
    await chat.lastUserTurn.getByRole('button', { name: 'Edit prompt and resend' }).click();
    await chat.frame.locator('.editing-banner').waitFor();
    assert.equal(await chat.prompt.inputValue(), 'Compare @src/calc.py');
    await chat.prompt.press('End');
    await type(chat, ' with @oth');
    await pickerOption(chat, 'other.py').waitFor();
    await chat.prompt.press('Enter');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Two.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Two.');
    const { content } = lastMessage();
    assert.ok(content.includes('Attached `src/other.py` (the whole file):\n```py\nx = 1\n```'), content);
    assert.ok(content.includes(CALC_PY) && content.endsWith('Compare @src/calc.py with @src/other.py '), content);
  });

  it('sends the last command of the active terminal and its output for @terminal', async () => {
    const vsc = sonnet.vsc();
    // The view first: the session that follows terminals starts with it.
    const chat = await sonnet.chat();
    await chat.newChat(vsc).catch(() => undefined);
    await vsc.runCommand('Terminal: Create New Terminal');
    const terminal = vsc.page.locator('.terminal-wrapper.active .xterm');
    await terminal.waitFor();
    // Shell integration marks the prompt with a decoration once it is up; the command goes after that.
    await vsc.page.locator('.terminal-wrapper.active .terminal-command-decoration').first().waitFor({ state: 'attached', timeout: 30_000 });
    await terminal.click();
    // Output that comes after the command started: what shell integration hands an extension (a
    // command done before VS Code tells the extension it started is attached as "(no output captured)").
    await vsc.page.keyboard.type('sleep 2; echo mention-$((6*7))');
    await vsc.page.keyboard.press('Enter');
    // Once the command has ended, its decoration and the next prompt's are both there.
    await vsc.page.waitForFunction(() => document.querySelectorAll('.terminal-wrapper.active .terminal-command-decoration').length >= 2);

    await chat.prompt.click();
    await type(chat, 'What did @term');
    await pickerOption(chat, '@terminal').waitFor();
    await chat.prompt.press('Enter');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It printed 42.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('It printed 42.');
    const { content } = lastMessage();
    assert.match(content, /^Attached @terminal: the last command in the terminal ".*" \(exit code 0\) and its output:\n```text\n\$ sleep 2; echo mention-\$\(\(6\*7\)\)\n(.*\n)*mention-42\n/);
  });

  it('looks right in the four themes (screenshots of the picker and the chips)', async () => {
    const vsc = sonnet.vsc();
    for (const theme of THEMES) {
      await vsc.setColorTheme(theme);
      const chat = await sonnet.chat();
      await chat.prompt.fill('');
      await chat.prompt.click();
      await type(chat, 'See @src/other.py and @problems, then @');
      await pickerOption(chat, 'calc.py').waitFor();
      await vsc.page.locator('.monaco-workbench .part.sidebar').screenshot({ path: path.join(RESULTS_DIR, 'mentions', `${theme.replace(/\s+/g, '-')}.png`) });
      await chat.prompt.press('Escape');
    }
  });
});

describe('@changes', function () {
  this.timeout(120_000);
  // A repository with a committed file changed since: made before VS Code opens it.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-changes-'));
  before(() => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: workspace });
    fs.writeFileSync(path.join(workspace, 'calc.py'), CALC_PY);
    git('init', '-q');
    git('add', 'calc.py');
    git('commit', '-qm', 'calc');
    fs.writeFileSync(path.join(workspace, 'calc.py'), CALC_PY.replace('a + b', 'a + b + 1'));
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  // The harness turns Git off for speed; this test needs it.
  const sonnet = useSonnet({ workspace, settings: { 'git.enabled': true, 'git.autoRepositoryDetection': true } });

  it("sends the uncommitted diff, through VS Code's Git extension", async () => {
    const chat = await sonnet.chat();
    await chat.prompt.click();
    await chat.prompt.pressSequentially('Review @chan');
    await chat.frame.locator('#mention-picker [role="option"]', { hasText: '@changes' }).waitFor();
    await chat.prompt.press('Enter');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Looks fine.' }] }));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Looks fine.');
    const messages = sonnet.mock().messageRequests.at(-1)!.body.messages;
    const { content } = messages[messages.length - 1] as { content: string };
    assert.match(content, /^Attached @changes: the uncommitted changes \(git diff; untracked files are not included\):\n```diff\n# .*: not staged\ndiff --git a\/calc\.py b\/calc\.py\n[\s\S]*- {4}return a \+ b\n\+ {4}return a \+ b \+ 1\n/);
  });
});
