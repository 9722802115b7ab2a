// Conversations are saved as they happen: one survives a window reload, can be reopened from the
// history list and continued (the model sees its earlier turns), renamed and deleted.

import assert from 'node:assert/strict';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet, type ChatView } from './sonnet';

function reply(text: string) {
  return sseReply({ blocks: [{ type: 'text', text }] });
}

/** The `messages` of the last request the mock received, as role and text. */
function lastRequestMessages(messages: { role: string; content: unknown }[]): string[] {
  return messages.map(({ role, content }) => {
    const text = typeof content === 'string' ? content : (content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('');
    return `${role}: ${text}`;
  });
}

describe('Conversation history', function () {
  this.timeout(90_000);
  const sonnet = useSonnet();

  async function openHistory(chat: ChatView) {
    await sonnet.vsc().runCommand('Sonnet: Show History');
    await chat.frame.locator('#history-list').waitFor({ state: 'visible' });
    return chat.frame.locator('#history-list');
  }

  it('keeps a conversation through a window reload, and it goes on from there', async () => {
    let chat = await sonnet.chat();
    sonnet.mock().enqueue(reply('Noted: pineapple.'));
    await chat.send('Remember the word pineapple.');
    await chat.waitForAnswer('Noted: pineapple.');

    await sonnet.vsc().reload();
    // The reloaded window may bring the activity back checked but with its side bar closed, where
    // clicking the activity would not open it; the view's own focus command always does.
    await sonnet.vsc().runCommand('Sonnet Chat: Focus on Chat View');
    chat = await sonnet.chat();
    await chat.frame.locator('.turn.user', { hasText: 'Remember the word pineapple.' }).waitFor();
    assert.match(await chat.answerText(), /Noted: pineapple\./);

    sonnet.mock().enqueue(reply('The word was pineapple.'));
    await chat.send('Which word?');
    await chat.waitForAnswer('The word was pineapple.');
    assert.deepEqual(lastRequestMessages(sonnet.mock().messageRequests.at(-1)!.body.messages), [
      'user: Remember the word pineapple.',
      'assistant: Noted: pineapple.',
      'user: Which word?',
    ]);
  });

  it('keeps what had arrived of an answer still streaming when the window reloads', async () => {
    let chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    // The first sentence, then the stream stalls, as if the reload came mid-answer.
    const reply = sseReply({ blocks: [{ type: 'text', text: 'Half of an answer. The rest never comes.' }], deltaSize: 19 });
    const body = reply.body as string;
    sonnet.mock().enqueue({ ...reply, stallAfterBytes: body.lastIndexOf('event:', body.indexOf('The rest')) });
    await chat.send('Start an answer.');
    await chat.lastAnswer.locator('.answer', { hasText: 'Half of an answer.' }).waitFor();
    // At once: the first text is saved as it arrives, not at the next of the periodic saves.
    await sonnet.vsc().reload();
    await sonnet.vsc().runCommand('Sonnet Chat: Focus on Chat View');
    chat = await sonnet.chat();
    await chat.frame.locator('.turn.user', { hasText: 'Start an answer.' }).waitFor();
    const restored = await chat.answerText();
    assert.match(restored, /Half of an answer\./);
    assert.doesNotMatch(restored, /The rest/);
  });

  it('reopens a conversation from the history list, and the model sees its earlier turns', async () => {
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    sonnet.mock().enqueue(reply('Kiwis are rich in vitamin C.'));
    await chat.send('Tell me about kiwis.');
    await chat.waitForAnswer('Kiwis are rich');
    await chat.newChat(sonnet.vsc());

    const list = await openHistory(chat);
    const kiwis = list.locator('.history-item', { hasText: 'Tell me about kiwis.' });
    assert.match(await kiwis.innerText(), /1 turn/);
    assert.equal(await list.locator('.history-item', { hasText: 'Remember the word pineapple.' }).count(), 1);
    await kiwis.locator('.history-open').click();
    await chat.frame.locator('.turn.user', { hasText: 'Tell me about kiwis.' }).waitFor();

    sonnet.mock().enqueue(reply('Mangoes too.'));
    await chat.send('And mangoes?');
    await chat.waitForAnswer('Mangoes too.');
    assert.deepEqual(lastRequestMessages(sonnet.mock().messageRequests.at(-1)!.body.messages), [
      'user: Tell me about kiwis.',
      'assistant: Kiwis are rich in vitamin C.',
      'user: And mangoes?',
    ]);
  });

  it('shows the latest turns of a long conversation, and the earlier ones when asked', async () => {
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    // Two of these answers are more text than the view shows at once (80K characters).
    const long = (part: number) => sseReply({ deltaSize: 4096, blocks: [{ type: 'text', text: `Part ${part}. ${'All work and no play. '.repeat(2_000)}` }] });
    for (const part of [1, 2, 3]) {
      sonnet.mock().enqueue(long(part));
      await chat.send(`Part ${part}, please.`);
      await chat.waitForAnswer(`Part ${part}.`);
    }
    const prompts = chat.frame.locator('.turn.user .prompt');
    assert.deepEqual(await prompts.allInnerTexts(), ['Part 2, please.', 'Part 3, please.']);
    const control = chat.frame.locator('.earlier-turns');
    assert.match(await control.innerText(), /1 turn not shown/);

    await control.getByRole('button', { name: 'Show earlier turns' }).press('Enter');
    await prompts.first().filter({ hasText: 'Part 1, please.' }).waitFor();
    assert.deepEqual(await prompts.allInnerTexts(), ['Part 1, please.', 'Part 2, please.', 'Part 3, please.']);
    await control.waitFor({ state: 'hidden' });
  });

  it('renames a conversation and deletes it after asking', async () => {
    const chat = await sonnet.chat();
    const list = await openHistory(chat);
    const pineapple = list.locator('.history-item', { hasText: 'Remember the word pineapple.' });
    await pineapple.locator('[data-history-action="rename"]').click();
    await sonnet.vsc().answerInput('Fruit memory test', { prompt: 'Rename Conversation' });
    const renamed = list.locator('.history-item', { hasText: 'Fruit memory test' });
    await renamed.waitFor();

    await renamed.locator('[data-history-action="delete"]').click();
    const dialog = sonnet.vsc().page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Delete "Fruit memory test"?' }).waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await renamed.waitFor({ state: 'detached' });
    assert.equal(await list.locator('.history-item', { hasText: 'Tell me about kiwis.' }).count(), 1);
  });
});
