// The conversation controls in a real VS Code (code-server), the packaged extension and the mock
// provider: a message sent while an answer streams is queued and sent after it (or cancelled, or Stop
// and Send); Edit and resend; Regenerate; Copy the answer; Jump to Latest; a tool result's Show All.
// The last test saves the view with each control in the four default themes, to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { RESULTS_DIR, type VSCode } from './harness';
import { useSonnet, type ChatView, type Sonnet } from './sonnet';

/** The Chat view once its script runs (the input box is in the page before: keys typed then are lost). */
async function openChat(sonnet: Sonnet): Promise<ChatView> {
  const chat = await sonnet.chat();
  await chat.frame.locator('.jump-to-latest-anchor').waitFor({ state: 'attached' });
  return chat;
}

const answer = (text: string) => sseReply({ blocks: [{ type: 'text', text }] });
/** An answer that streams for a few seconds. */
const slowAnswer = (text = 'Streaming slowly. '.repeat(60)) => sseReply({ blocks: [{ type: 'text', text }], deltaSize: 6 }, { chunkSize: 80, delayMs: 40 });

/** The last message's text as the model got it. */
function lastPrompt(request: RecordedRequest): string {
  const content = request.body.messages.at(-1).content;
  return typeof content === 'string' ? content : content.map((block: { text?: string }) => block.text ?? '').join('');
}

/** Waits until the conversation is taller than its box, so scrolling up leaves the end out of view. */
async function overflows(chat: ChatView): Promise<void> {
  await chat.frame.waitForFunction(() => {
    const el = document.querySelector('#conversation')!;
    return el.scrollHeight > el.clientHeight + 200;
  });
}

/**
 * Waits until the extension has written `text` into its file `name` in the workspace's storage: the
 * host has the draft, whatever the browser does with the page's own state in a reload.
 */
async function hostKeeps(vsc: VSCode, name: string, text: string): Promise<void> {
  const storage = path.join(vsc.server.userDataDir, 'User', 'workspaceStorage');
  const holds = () =>
    fs.existsSync(storage) &&
    fs
      .readdirSync(storage, { recursive: true, encoding: 'utf8' })
      .some((file) => path.basename(file) === name && fs.readFileSync(path.join(storage, file), 'utf8').includes(text));
  const deadline = Date.now() + 10_000;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`${name} never held ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const HUNDRED_LINES = Array.from({ length: 100 }, (_, i) => `line ${i + 1} of the long file`).join('\n') + '\n';

describe('Conversation controls', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'notes/long.txt': HUNDRED_LINES } });

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  async function chatWithTwoTurns(): Promise<ChatView> {
    sonnet.mock().enqueue(answer('First answer.'), answer('Second answer.'));
    const chat = await openChat(sonnet);
    await chat.send('first question');
    await chat.waitForAnswer('First answer.');
    await chat.send('second question');
    await chat.waitForAnswer('Second answer.');
    return chat;
  }

  /** Sends a first prompt, and `text` while its answer streams; the mock answers it with `reply`. */
  async function queueWhileStreaming(text: string, reply: string) {
    sonnet.mock().enqueue(slowAnswer(), answer(reply));
    const chat = await openChat(sonnet);
    await chat.send('start streaming');
    await chat.lastAnswer.locator('.answer', { hasText: 'Streaming slowly.' }).waitFor();
    await chat.send(text);
    const queued = chat.frame.locator('.queued-message');
    await queued.waitFor();
    return { chat, queued };
  }

  it('queues a message sent while an answer streams, and sends it when the answer is done', async () => {
    const { chat, queued } = await queueWhileStreaming('sent while streaming', 'Answer to the queued one.');
    assert.match(await queued.innerText(), /Queued: sent when this answer ends[\s\S]*sent while streaming/);
    assert.equal(await chat.prompt.inputValue(), '', 'the text left the input box for the queue');
    assert.equal(await chat.frame.locator('#announcer').innerText(), 'Message queued: sent when this answer ends.');
    assert.equal(await chat.frame.locator('.turn.user').count(), 1, 'not sent yet');

    await chat.waitForAnswer('Answer to the queued one.');
    assert.equal(await chat.lastUserTurn.locator('.prompt').innerText(), 'sent while streaming');
    assert.equal(await queued.isHidden(), true);
    const requests = sonnet.mock().messageRequests;
    assert.equal(requests.length, 2);
    assert.equal(lastPrompt(requests[1]), 'sent while streaming');
    assert.equal(requests[1].body.messages[0].content, 'start streaming', 'sent after the first turn, in the same conversation');
  });

  it('× puts the queued text back into the input box; Stop and Send stops the answer and sends it', async () => {
    const { chat, queued } = await queueWhileStreaming('changed my mind', 'Answer after Stop and Send.');
    await queued.getByRole('button', { name: 'Cancel queued message (back into the input box)' }).click();
    await queued.waitFor({ state: 'hidden' });
    assert.equal(await chat.prompt.inputValue(), 'changed my mind');

    await chat.prompt.press('Enter');
    await queued.waitFor();
    const stopAndSend = queued.getByRole('button', { name: 'Stop and Send' });
    await stopAndSend.focus();
    await stopAndSend.press('Enter');
    await chat.waitForAnswer('Answer after Stop and Send.');
    const answers = chat.frame.locator('.turn.assistant');
    assert.equal(await answers.count(), 2);
    assert.match(await answers.first().innerText(), /Stopped\./);
    assert.equal(lastPrompt(sonnet.mock().messageRequests[1]), 'changed my mind');
  });

  it('a queued message survives a window reload, back in the input box', async () => {
    // An answer that stalls after its first words, so it is still streaming when the window reloads.
    const reply = sseReply({ blocks: [{ type: 'text', text: 'Half of an answer. The rest never comes.' }], deltaSize: 19 });
    const body = reply.body as string;
    sonnet.mock().enqueue({ ...reply, stallAfterBytes: body.lastIndexOf('event:', body.indexOf('The rest')) });
    let chat = await openChat(sonnet);
    await chat.send('start an answer');
    await chat.lastAnswer.locator('.answer', { hasText: 'Half of an answer.' }).waitFor();
    await chat.send('do not lose me');
    await chat.frame.locator('.queued-message').waitFor();

    await sonnet.vsc().reload();
    await sonnet.vsc().runCommand('Sonnet Chat: Focus on Chat View');
    chat = await openChat(sonnet);
    await chat.frame.locator('.turn.user', { hasText: 'start an answer' }).waitFor();
    await chat.frame.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'do not lose me');
    assert.equal(await chat.frame.locator('.queued-message').isHidden(), true);
    assert.equal(sonnet.mock().messageRequests.length, 1, 'not sent behind the user\'s back');
    await chat.prompt.fill('');
  });

  it('a queued message with its attachment survives a reload beside what was typed since', async () => {
    const vsc = sonnet.vsc();
    const reply = sseReply({ blocks: [{ type: 'text', text: 'Half of an answer. The rest never comes.' }], deltaSize: 19 });
    const body = reply.body as string;
    sonnet.mock().enqueue({ ...reply, stallAfterBytes: body.lastIndexOf('event:', body.indexOf('The rest')) });
    await vsc.openFile('notes/long.txt');
    let chat = await openChat(sonnet);
    await chat.send('start an answer');
    await chat.lastAnswer.locator('.answer', { hasText: 'Half of an answer.' }).waitFor();
    await chat.frame.locator('#attach-file').click();
    await chat.frame.locator('.attachment-chip', { hasText: 'notes/long.txt' }).waitFor();
    await chat.send('queued A');
    await chat.frame.locator('.queued-message', { hasText: 'With notes/long.txt' }).waitFor();
    // Typed after queueing: in the page's state, and the host's copy of the draft.
    await chat.prompt.fill('typed B');
    await hostKeeps(vsc, 'draft.json', 'typed B');

    await vsc.reload();
    await vsc.runCommand('Sonnet Chat: Focus on Chat View');
    chat = await openChat(sonnet);
    await chat.frame.locator('.turn.user', { hasText: 'start an answer' }).waitFor();
    await chat.frame.locator('.attachment-chip', { hasText: 'notes/long.txt' }).waitFor();
    await chat.frame.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'queued A\n\ntyped B');
    await hostKeeps(vsc, 'draft.json', 'queued A');
    assert.equal(sonnet.mock().messageRequests.length, 1, 'not sent behind the user\'s back');
    // Chips are kept by the host in memory, as any chip is: removed here, not through the next reload.
    await chat.frame.getByRole('button', { name: 'Remove notes/long.txt' }).click();

    // In the draft now: another reload shows it once, not twice, and not lost.
    await vsc.reload();
    await vsc.runCommand('Sonnet Chat: Focus on Chat View');
    chat = await openChat(sonnet);
    await chat.frame.locator('.turn.user', { hasText: 'start an answer' }).waitFor();
    await chat.frame.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'queued A\n\ntyped B');
    await chat.prompt.fill('');
  });

  it('an edit in progress survives hiding the view and a reload, banner and draft included', async () => {
    const vsc = sonnet.vsc();
    let chat = await chatWithTwoTurns();
    await chat.prompt.fill('my draft');
    await chat.frame.locator('.turn.user').first().getByRole('button', { name: 'Edit prompt and resend' }).click();
    const banner = () => chat.frame.locator('.editing-banner');
    await banner().waitFor();
    await chat.prompt.fill('first question, reworded');
    await hostKeeps(vsc, 'draft.json', 'first question, reworded');

    await vsc.runCommand('View: Show Explorer');
    await vsc.runCommand('Sonnet Chat: Focus on Chat View');
    chat = await openChat(sonnet);
    await banner().waitFor();
    assert.equal(await chat.prompt.inputValue(), 'first question, reworded');

    await vsc.reload();
    await vsc.runCommand('Sonnet Chat: Focus on Chat View');
    chat = await openChat(sonnet);
    await chat.frame.locator('.turn.user', { hasText: 'second question' }).waitFor();
    await banner().waitFor();
    assert.equal(await chat.prompt.inputValue(), 'first question, reworded');

    sonnet.mock().enqueue(answer('Answer to the edited question.'));
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Answer to the edited question.');
    assert.deepEqual(await chat.frame.locator('.turn.user .prompt').allInnerTexts(), ['first question, reworded']);
    assert.equal(await chat.prompt.inputValue(), 'my draft', 'the draft from before the edit is back');
    assert.equal(await banner().isHidden(), true);
    await chat.prompt.fill('');
  });

  it('an edit the host cannot send comes back into the input box, saying why', async () => {
    const chat = await chatWithTwoTurns();
    await chat.prompt.fill('my draft');
    await chat.frame.locator('.turn.user').first().getByRole('button', { name: 'Edit prompt and resend' }).click();
    await chat.frame.locator('.editing-banner').waitFor();
    await chat.prompt.fill('an edit of a turn that goes away');
    // The conversation is replaced under the edit: its turn is no longer there to replace.
    await sonnet.vsc().runCommand('Sonnet: New Chat');
    await chat.frame.locator('.turn').first().waitFor({ state: 'detached' });
    await chat.prompt.press('Enter');
    await chat.frame.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('#prompt')?.value === 'an edit of a turn that goes away\n\nmy draft');
    assert.match(await chat.frame.locator('#announcer').innerText(), /Not sent: that prompt is no longer in this conversation/);
    assert.equal(await chat.frame.locator('.editing-banner').isHidden(), true);
    assert.equal(sonnet.mock().messageRequests.length, 2, 'nothing sent');
    await chat.prompt.fill('');
  });

  it('edits an earlier prompt in the input box: Escape cancels; sent, it replaces that turn and the later ones', async () => {
    const chat = await chatWithTwoTurns();
    await chat.prompt.fill('my draft');
    const firstPrompt = chat.frame.locator('.turn.user').first();
    const edit = firstPrompt.getByRole('button', { name: 'Edit prompt and resend' });
    await edit.click();
    const banner = chat.frame.locator('.editing-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /Editing prompt — later turns will be replaced/);
    assert.equal(await chat.prompt.inputValue(), 'first question');
    await chat.prompt.press('Escape');
    await banner.waitFor({ state: 'hidden' });
    assert.equal(await chat.prompt.inputValue(), 'my draft', 'the draft is back');

    sonnet.mock().enqueue(answer('Answer to the edited question.'));
    await edit.click();
    await chat.prompt.fill('first question, reworded');
    await chat.prompt.press('Enter');
    await chat.waitForAnswer('Answer to the edited question.');
    const prompts = await chat.frame.locator('.turn.user .prompt').allInnerTexts();
    assert.deepEqual(prompts, ['first question, reworded']);
    assert.equal(await chat.prompt.inputValue(), 'my draft');
    const sent = sonnet.mock().messageRequests[2].body.messages;
    assert.deepEqual(sent.map((m: { role: string }) => m.role), ['user'], 'the replaced turns are out of the history');
    assert.equal(lastPrompt(sonnet.mock().messageRequests[2]), 'first question, reworded');

    // The conversation as it was is kept in the history (the page has no history button: the view's title bar and this command open it).
    await sonnet.vsc().runCommand('Sonnet: Show History');
    // Next to the conversation as it is now, newest first (the other tests here keep earlier versions too).
    await chat.frame.locator('#history-list li').nth(1).filter({ hasText: 'first question (earlier version)' }).waitFor();
    await chat.frame.locator('#history-back').click();
    await chat.prompt.fill('');
  });

  it('regenerates the last answer, and not while an answer streams', async () => {
    const chat = await chatWithTwoTurns();
    const regenerate = chat.frame.getByRole('button', { name: 'Regenerate answer' });
    assert.equal(await regenerate.count(), 1, 'only the last answer offers it');
    sonnet.mock().enqueue(slowAnswer('A second try, streaming. '.repeat(40)));
    await regenerate.focus();
    await regenerate.press('Enter');
    await chat.lastAnswer.locator('.answer', { hasText: 'A second try' }).waitFor();
    assert.equal(await chat.frame.locator('.turn.user .prompt').count(), 2);
    assert.ok(await chat.frame.locator('.turn.user').first().getByRole('button', { name: 'Edit prompt and resend' }).isDisabled(), 'no edit while it streams');
    await chat.waitForAnswerToSettle();
    assert.ok(!(await chat.answerText()).includes('Second answer.'), 'the old answer is replaced');
    assert.equal(lastPrompt(sonnet.mock().messageRequests[2]), 'second question');
    assert.equal(sonnet.mock().messageRequests[2].body.messages.length, 3);
  });

  it('copies the whole answer as markdown from its toolbar, and says so', async () => {
    const vsc = sonnet.vsc();
    await vsc.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const markdown = '## Plan\n\nUse a **constant**:\n\n```ts\nconst a = 1;\n```';
    sonnet.mock().enqueue(answer(markdown));
    const chat = await openChat(sonnet);
    await chat.send('plan?');
    await chat.waitForAnswer('Use a constant');
    const copy = chat.lastAnswer.locator('.answer-toolbar').getByRole('button', { name: 'Copy answer as Markdown' });
    await copy.focus();
    await copy.press('Enter');
    await vsc.page.waitForFunction(async (expected) => (await navigator.clipboard.readText()) === expected, markdown, { timeout: 10_000 });
    assert.equal(await chat.frame.locator('#announcer').innerText(), 'Copied');
  });

  it('offers Jump to Latest while the reader is scrolled up and text arrives below', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of a long answer that streams in.`).join('\n\n');
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: paragraphs }], deltaSize: 8 }, { chunkSize: 80, delayMs: 40 }));
    const chat = await openChat(sonnet);
    await chat.send('write a lot');
    const conversation = chat.frame.locator('#conversation');
    await overflows(chat);
    const jump = chat.frame.getByRole('button', { name: 'Jump to Latest' });
    assert.equal(await jump.isHidden(), true, 'not while the reader follows the end');
    await conversation.evaluate((el) => el.scrollTo({ top: 0 }));
    await jump.waitFor();
    await jump.focus();
    await jump.press('Enter');
    await jump.waitFor({ state: 'hidden' });
    assert.ok(await conversation.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48), 'at the end');

    await conversation.evaluate((el) => el.scrollTo({ top: 0 }));
    await jump.waitFor();
    await conversation.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await jump.waitFor({ state: 'hidden' });
    await chat.waitForAnswerToSettle();
  });

  it('shows what read_file returned, cut to 40 lines with Show All', async () => {
    sonnet.mock().onMessages((request) =>
      request.body.messages.length > 1
        ? answer('The file has 100 lines.')
        : sseReply({ blocks: [{ type: 'tool_use', id: 'toolu_long', name: 'read_file', input: { path: 'notes/long.txt' } }], stopReason: 'tool_use' }),
    );
    const chat = await openChat(sonnet);
    await chat.send('read the long file');
    await chat.waitForAnswer('The file has 100 lines.');
    const card = chat.lastAnswer.locator('.tool-call[data-status="done"]');
    await card.locator('summary').click();
    const result = card.locator('.tool-result');
    const shown = await result.innerText();
    assert.match(shown, /^notes\/long\.txt, lines 1–100 of 100:\n {2}1 \| line 1 of the long file\n/);
    assert.equal(shown.trim().split('\n').length, 40);
    assert.match(await card.locator('.tool-label').last().innerText(), /^Result: notes\/long\.txt, lines 1–100 of 100$/);
    const showAll = card.getByRole('button', { name: 'Show all 101 lines of the read_file result' });
    await showAll.click();
    const whole = await result.innerText();
    assert.equal(whole.trim().split('\n').length, 101);
    assert.match(whole, /100 \| line 100 of the long file$/);
    const sent = sonnet.mock().messageRequests[1].body.messages.at(-1).content[0].content as string;
    assert.equal(whole.trim(), sent.trim(), 'the card shows what the model got');
  });

  it('saves the controls in the four default themes (to look at)', async () => {
    const vsc = sonnet.vsc();
    const chat = await chatWithTwoTurns();
    sonnet.mock().enqueue(slowAnswer('Streaming while the screenshot is taken. '.repeat(80)));
    await chat.send('a third question');
    await chat.lastAnswer.locator('.answer', { hasText: 'Streaming while' }).waitFor();
    await chat.send('queued for later');
    await chat.frame.locator('.queued-message').waitFor();
    await overflows(chat);
    await chat.frame.locator('#conversation').evaluate((el) => el.scrollTo({ top: 0 }));
    await chat.frame.getByRole('button', { name: 'Jump to Latest' }).waitFor();
    // Each theme as the view's page has it, by the class VS Code gives the page's body.
    const themes: [string, string][] = [
      ['Light Modern', 'body.vscode-light'],
      ['Dark Modern', 'body.vscode-dark'],
      ['Dark High Contrast', 'body.vscode-high-contrast:not(.vscode-high-contrast-light)'],
      ['Light High Contrast', 'body.vscode-high-contrast-light'],
    ];
    const shootThemes = async (name: string) => {
      for (const [theme, body] of themes) {
        await vsc.runCommand('Preferences: Color Theme');
        await vsc.answerInput(theme);
        await chat.frame.locator(body).waitFor({ state: 'attached' });
        await vsc.screenshot(path.join(RESULTS_DIR, 'screenshots', `controls-${name}-${theme.replace(/ /g, '-')}.png`));
      }
    };
    await shootThemes('streaming');

    // Then the answer's toolbar (Regenerate on the last one) and the prompt being edited.
    await chat.frame.locator('.queued-message').getByRole('button', { name: 'Cancel queued message (back into the input box)' }).click();
    await vsc.runCommand('Sonnet: Stop');
    await chat.waitForAnswerToSettle();
    await chat.frame.getByRole('button', { name: 'Jump to Latest' }).click();
    await chat.lastAnswer.getByRole('button', { name: 'Regenerate answer' }).waitFor();
    await chat.frame.locator('.turn.user').last().getByRole('button', { name: 'Edit prompt and resend' }).click();
    await chat.frame.locator('.editing-banner').waitFor();
    // Clicking Edit scrolled its prompt into view: back to the end, where the toolbar is.
    await chat.frame.locator('#conversation').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await shootThemes('editing');
    await chat.prompt.press('Escape');
    await chat.prompt.fill('');
    await vsc.runCommand('Preferences: Color Theme');
    await vsc.answerInput('Light Modern');
  });
});
