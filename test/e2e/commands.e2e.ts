// The commands that bring up the Chat view put the keyboard where the user goes next: a follow-up
// typed at once after Ask Sonnet or Explain Selection lands in the input, Focus Chat Input comes back
// to it from the editor, and Show History opens the view's history panel. Real VS Code (code-server),
// the packaged extension, the mock provider.

import assert from 'node:assert/strict';
import { sseReply } from '../fixtures/transcripts';
import { ChatView, useSonnet } from './sonnet';

const CALC_PY = `def add(a, b):
    return a + b
`;

describe('Commands that show the Chat view', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({ files: { 'src/calc.py': CALC_PY } });

  /** The Chat view's page, found without clicking anything, so the keyboard stays where it is. */
  async function chatPage(): Promise<ChatView> {
    return new ChatView(await sonnet.vsc().frameWith('#prompt'));
  }

  /** Waits until the input holds `text`: what was typed landed there. */
  async function inputHolds(chat: ChatView, text: string): Promise<void> {
    await chat.frame.waitForFunction((expected) => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === expected, text, { timeout: 10_000 });
  }

  afterEach(async () => {
    const chat = await chatPage();
    // The new chat's state brings the host's copy of the draft: cleared only once it has arrived.
    await chat.newChat(sonnet.vsc());
    await chat.prompt.fill('');
  });

  // First of the file: the view has never been shown, so its page is still loading when asked to focus.
  it('puts the keyboard in the input after Ask Sonnet, so a follow-up typed as the question shows lands there', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It waits.' }] }));
    const vsc = sonnet.vsc();
    await vsc.runCommand('Sonnet: Ask Sonnet');
    await vsc.answerInput('What does debounce do?', { prompt: 'The answer streams into the Chat view' });
    // Typed as soon as the view shows the question, without a click.
    const chat = await chatPage();
    await chat.lastUserTurn.filter({ hasText: 'What does debounce do?' }).waitFor();
    await vsc.page.keyboard.type('And throttle?');
    await inputHolds(chat, 'And throttle?');
    await chat.waitForAnswer('It waits.');
  });

  it('puts the keyboard in the input after Explain Selection', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It adds.' }] }));
    const vsc = sonnet.vsc();
    await vsc.openFile('src/calc.py');
    await vsc.selectLines(1, 2);
    await vsc.page.keyboard.press('Control+Alt+E');
    const chat = await chatPage();
    await chat.lastUserTurn.filter({ hasText: 'calc.py' }).waitFor();
    await vsc.page.keyboard.type('Why?');
    await inputHolds(chat, 'Why?');
    await chat.waitForAnswer('It adds.');
  });

  it('comes back to the input from the editor with Ctrl+Alt+J (Focus Chat Input)', async () => {
    const vsc = sonnet.vsc();
    await vsc.openFile('src/calc.py');
    await vsc.activeEditor.click();
    await vsc.page.keyboard.press('Control+Alt+J');
    const chat = await chatPage();
    await chat.frame.locator('#prompt:focus').waitFor();
    await vsc.page.keyboard.type('Hello');
    await inputHolds(chat, 'Hello');
    assert.doesNotMatch(await vsc.activeEditor.innerText(), /Hello/, 'nothing was typed into the editor');
  });

  it('opens the history panel from Sonnet: Show History and from the title bar; the page has no button of its own', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Saved answer.' }] }));
    let chat = await sonnet.chat();
    await chat.send('A question to keep');
    await chat.waitForAnswer('Saved answer.');
    assert.equal(await chat.frame.locator('#history-button').count(), 0);

    await sonnet.vsc().runCommand('Sonnet: Show History');
    chat = await chatPage();
    const row = chat.frame.locator('.history-item', { hasText: 'A question to keep' });
    await row.locator('.history-open[aria-current="true"]').waitFor();
    assert.equal(await chat.frame.locator('#conversation').isVisible(), false);
    // The keyboard is in the list: Escape goes back to the conversation and its input.
    await chat.frame.locator('#history .history-open:focus, #history button:focus').first().waitFor();
    await sonnet.vsc().page.keyboard.press('Escape');
    await chat.frame.locator('#conversation').waitFor({ state: 'visible' });
    await chat.frame.locator('#prompt:focus').waitFor();

    await sonnet.vsc().page.locator('.part.sidebar .title-actions a.action-label[aria-label="Show History"], .part.sidebar .actions-container a.action-label[aria-label="Show History"]').first().click();
    await row.waitFor();
    assert.equal(await chat.frame.locator('#conversation').isVisible(), false);
    await row.locator('.history-open').click();
    await chat.frame.locator('#conversation').waitFor({ state: 'visible' });
  });
});
