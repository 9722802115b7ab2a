// The Chat view as a reader uses it: markdown and highlighted code, the code block's buttons, links,
// the thinking section, the cost of each answer and of the chat, and up-arrow recall. Real VS Code
// (code-server), the packaged extension, the mock provider.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { answer, random } from '../fixtures/markdownCorpus';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

const NOTES_TS = `export function main(): void {
  // the code goes here
}
`;

const CODE = "const greeting: string = 'hello';\nconsole.log(greeting);";

const MARKDOWN_ANSWER = [
  '## Greeting',
  '',
  'Use a **constant** and see [the handbook](https://example.com/handbook).',
  '',
  '```ts',
  CODE,
  '```',
  '',
  '- one',
  '- two',
].join('\n');

/** Polls `condition` until it holds (the editor saves the file a moment after the command). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('The Chat view', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({ files: { 'src/notes.ts': NOTES_TS } });

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('opens links through VS Code, never inside the view', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Read [the docs](https://example.com/docs).' }] }));
    const chat = await sonnet.chat();
    await chat.send('Where are the docs?');
    await chat.waitForAnswer('Read the docs');
    await chat.lastAnswer.locator('a', { hasText: 'the docs' }).click();
    // VS Code asks before opening a site that is not trusted yet; the page stays where it is.
    const dialog = sonnet.vsc().page.locator('.monaco-dialog-box', { hasText: 'example.com' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    assert.equal(await chat.frame.locator('#prompt').count(), 1, 'the view did not navigate away');
  });

  it('renders markdown with a highlighted code block, and inserts the code at the cursor', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: MARKDOWN_ANSWER }], deltaSize: 7 }, { chunkSize: 120, delayMs: 20 }));
    const vsc = sonnet.vsc();
    await vsc.openFile('src/notes.ts');
    await vsc.goToLine(2, 3);

    const chat = await sonnet.chat();
    await chat.send('Show me a greeting');
    await chat.waitForAnswer('Use a constant');
    const answer = chat.lastAnswer.locator('.answer');
    assert.equal(await answer.locator('h2').innerText(), 'Greeting');
    assert.equal(await answer.locator('strong').innerText(), 'constant');
    assert.equal(await answer.locator('li').count(), 2);
    const block = answer.locator('.code-block[data-lang="ts"]');
    assert.equal(await block.locator('code').innerText(), `${CODE}\n`);
    assert.ok((await block.locator('.hljs-keyword').count()) > 0, 'the TypeScript is highlighted');
    assert.equal(await answer.locator('a[href^="javascript"], script, img').count(), 0);

    await block.locator('button[data-code-action="insert"]').click();
    await vsc.activeEditor.locator('.view-lines', { hasText: 'greeting' }).waitFor();
    // Insert at Cursor hands the editor the focus, as a person would then type or save there.
    await vsc.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await vsc.runCommand('File: Save');
    const file = path.join(vsc.server.workspace, 'src', 'notes.ts');
    await waitFor(async () => (await fsp.readFile(file, 'utf8')) !== NOTES_TS);
    // At the cursor, in the line's indentation: the code's second line is indented to match.
    assert.equal(
      await fsp.readFile(file, 'utf8'),
      "export function main(): void {\n  const greeting: string = 'hello';\n  console.log(greeting);// the code goes here\n}\n",
    );
  });

  it('copies a code block to the clipboard and opens it in a new editor', async () => {
    const vsc = sonnet.vsc();
    await vsc.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: `Here:\n\n\`\`\`python\nprint("copied")\n\`\`\`\n` }] }));
    const chat = await sonnet.chat();
    await chat.send('Give me Python');
    await chat.waitForAnswer('Here:');
    const block = chat.lastAnswer.locator('.code-block');

    const copy = block.locator('button[data-code-action="copy"]');
    await copy.focus();
    await copy.press('Enter');
    await vsc.page.waitForFunction(async () => (await navigator.clipboard.readText()) === 'print("copied")', undefined, { timeout: 10_000 });

    await block.locator('button[data-code-action="open"]').click();
    await vsc.activeEditor.locator('.view-lines', { hasText: 'print("copied")' }).waitFor();
    const language = vsc.page.locator('.statusbar-item[id="status.editor.mode"]');
    await language.filter({ hasText: 'Python' }).waitFor();
    await vsc.runCommand('View: Revert and Close Editor');
  });

  it('streams thinking into a section that folds when the answer starts', async () => {
    const thinking = 'The user wants a haiku. Five, seven, five syllables. '.repeat(4).trim();
    sonnet.mock().enqueue(
      sseReply(
        {
          blocks: [
            { type: 'thinking', thinking, signature: 'sig-1' },
            { type: 'text', text: 'Quiet code compiles' },
          ],
          deltaSize: 8,
        },
        { chunkSize: 60, delayMs: 60 },
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Write a haiku');
    const section = chat.lastAnswer.locator('details.thinking');
    await section.locator('.thinking-body', { hasText: 'Five, seven' }).waitFor();
    await chat.waitForAnswer('Quiet code compiles');
    assert.equal(await section.evaluate((node) => (node as HTMLDetailsElement).open), false, 'folded once the answer started');
    await section.locator('summary').press('Enter');
    assert.equal(await section.evaluate((node) => (node as HTMLDetailsElement).open), true);
    assert.equal((await section.locator('.thinking-body').innerText()).trim(), thinking);
  });

  it('turns extended thinking on for the conversation from the view, without writing the settings', async () => {
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'Thought about it.' }] }),
      sseReply({ blocks: [{ type: 'text', text: 'Quick answer.' }] }),
    );
    const chat = await sonnet.chat();
    const vsc = sonnet.vsc();
    const toggle = chat.frame.locator('#thinking-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'off by default');
    const settingsBefore = await vsc.readSettings();
    await toggle.click();
    await chat.frame.locator('#thinking-toggle[aria-pressed="true"]').waitFor();
    await chat.send('Think first');
    await chat.waitForAnswer('Thought about it.');
    assert.equal(sonnet.mock().messageRequests[0].body.thinkingFlag, true);
    assert.deepEqual(await vsc.readSettings(), settingsBefore, 'the toggle is not a setting');

    // Remembered as the default for new chats; turned off there, it is off for that chat only.
    await chat.newChat(vsc);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await toggle.click();
    await chat.frame.locator('#thinking-toggle[aria-pressed="false"]').waitFor();
    await chat.send('Answer quickly');
    await chat.waitForAnswer('Quick answer.');
    assert.equal(sonnet.mock().messageRequests[1].body.thinkingFlag, undefined);
    assert.deepEqual(await vsc.readSettings(), settingsBefore);
  });

  it("shows each answer's credits, the chat's total and the balance", async () => {
    sonnet.mock().setCredits({ kind: 'json', body: { credits: 987.65 } });
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'First.' }], credits: { where: 'message_delta', value: 0.25 } }),
      sseReply({ blocks: [{ type: 'text', text: 'Second.' }], credits: { where: 'message_stop', value: 0.5 } }),
    );
    const chat = await sonnet.chat();
    await chat.send('One');
    await chat.waitForAnswer('First.');
    assert.match(await chat.lastAnswer.locator('.usage').innerText(), /0\.25 credits/);
    await chat.send('Two');
    await chat.waitForAnswer('Second.');
    assert.match(await chat.lastAnswer.locator('.usage').innerText(), /0\.50 credits/);
    await chat.frame.locator('.conversation-total', { hasText: 'This chat: 0.75 credits' }).waitFor();
    await chat.frame.locator('#balance', { hasText: 'Balance: 988 credits' }).waitFor();
  });

  it('writes the balance the same way in the view and in the status bar', async () => {
    const chat = await sonnet.chat();
    const statusBar = sonnet.vsc().page.locator('.statusbar-item[id$="sonnet.balance"]');
    for (const [credits, written] of [[1233.75, '1,234'], [99.5, '99.50']] as const) {
      sonnet.mock().setCredits({ kind: 'json', body: { credits } });
      await chat.frame.locator('#refresh-balance').click();
      await chat.frame.locator('#balance', { hasText: `Balance: ${written} credits` }).waitFor();
      await statusBar.filter({ hasText: written }).waitFor();
      assert.equal((await statusBar.innerText()).trim(), written);
    }
  });

  it('lists saved chats in the history panel and opens an older one', async () => {
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'Alpha answer.' }] }),
      sseReply({ blocks: [{ type: 'text', text: 'Beta answer.' }] }),
    );
    const chat = await sonnet.chat();
    const showHistory = () => sonnet.vsc().runCommand('Sonnet: Show History');
    await chat.send('Alpha question');
    await chat.waitForAnswer('Alpha answer.');
    await showHistory();
    await chat.frame.locator('#history-new-chat').click();
    await chat.frame.locator('.turn').first().waitFor({ state: 'detached' });
    await chat.send('Beta question');
    await chat.waitForAnswer('Beta answer.');

    await showHistory();
    const alpha = chat.frame.locator('.history-item', { hasText: 'Alpha question' });
    const beta = chat.frame.locator('.history-item', { hasText: 'Beta question' });
    await beta.locator('.history-open[aria-current="true"]').waitFor();
    assert.match(await alpha.innerText(), /just now · 1 turn/);
    assert.equal(await chat.frame.locator('#conversation').isVisible(), false, 'the list takes the conversation’s place');

    await alpha.locator('.history-open').click();
    await chat.lastUserTurn.filter({ hasText: 'Alpha question' }).waitFor();
    assert.equal(await chat.answerText(), 'Alpha answer.');
    assert.equal(await chat.frame.locator('#history').isVisible(), false);
  });

  it('attaches the active file as a chip that can be removed, and sends it with the next message', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Seen it.' }] }));
    const vsc = sonnet.vsc();
    await vsc.openFile('src/notes.ts');
    const chat = await sonnet.chat();
    const chip = chat.frame.locator('.attachment-chip', { hasText: 'notes.ts' });

    await chat.frame.locator('#attach-file').click();
    await chip.waitFor();
    await chip.locator('button').press('Enter');
    await chip.waitFor({ state: 'detached' });
    assert.equal(await chat.frame.locator('#attachments').isVisible(), false);

    await chat.frame.locator('#attach-file').click();
    await chip.waitFor();
    await chat.send('What is in this file?');
    await chat.waitForAnswer('Seen it.');
    await chip.waitFor({ state: 'detached' });
    const [request] = sonnet.mock().messageRequests;
    assert.match(JSON.stringify(request.body.messages.at(-1).content), /the code goes here/);
  });

  it('takes typing while a 1 MB answer streams, and ends with all of the answer', async () => {
    const codeBlocks = 500;
    const text = `${answer(1_000_000, codeBlocks, random(11))}\nThe end of the long answer.\n`;
    // About 3 MB of events in 8 KB writes 20 ms apart: several seconds of streaming to type into.
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text }], deltaSize: 50 }, { chunkSize: 8 * 1024, delayMs: 20 }));
    const chat = await sonnet.chat();
    await chat.send('Write the long design notes.');
    await chat.lastAnswer.locator('.answer .code-block').first().waitFor();

    await chat.prompt.pressSequentially('typed while it streams');
    assert.equal(await chat.prompt.inputValue(), 'typed while it streams');
    assert.equal(await chat.lastAnswer.getAttribute('aria-busy'), 'true', 'the answer was still streaming while the keys were typed');

    await chat.waitForAnswerToSettle(120_000);
    const answerElement = chat.lastAnswer.locator('.answer');
    assert.equal(await answerElement.locator('.code-block').count(), codeBlocks);
    // textContent, not innerText: chunks off screen are not laid out, and innerText reads the layout.
    const shown = await answerElement.evaluate((element) => element.textContent ?? '');
    assert.ok(shown.trimEnd().endsWith('The end of the long answer.'), `the answer ends with: ${shown.slice(-80)}`);
    assert.equal(await chat.prompt.inputValue(), 'typed while it streams', 'the typed text is kept');
  });

  it('recalls the prompts sent with the up arrow', async () => {
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'A.' }] }),
      sseReply({ blocks: [{ type: 'text', text: 'B.' }] }),
    );
    const chat = await sonnet.chat();
    await chat.send('first prompt');
    await chat.waitForAnswer('A.');
    await chat.send('second prompt');
    await chat.waitForAnswer('B.');
    await chat.prompt.fill('half-typed');
    await chat.prompt.press('Control+Home');
    await chat.prompt.press('ArrowUp');
    assert.equal(await chat.prompt.inputValue(), 'second prompt');
    await chat.prompt.press('ArrowUp');
    assert.equal(await chat.prompt.inputValue(), 'first prompt');
    await chat.prompt.press('ArrowDown');
    await chat.prompt.press('End');
    await chat.prompt.press('ArrowDown');
    assert.equal(await chat.prompt.inputValue(), 'half-typed', 'the draft comes back');
  });
});
