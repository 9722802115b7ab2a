// Failures as the user sees them: each of the provider's errors shows a card that says what happened,
// with the button that fixes it, and the question stays in the conversation to be sent again.

import assert from 'node:assert/strict';
import { providerError, sseReply, transcript } from '../fixtures/transcripts';
import { useSonnet, type ChatView } from './sonnet';

describe('Errors in the Chat view', function () {
  this.timeout(60_000);
  // One automatic retry, so the cases that exhaust retries stay short.
  const sonnet = useSonnet({ settings: { 'sonnet.maxRetries': 1 } });

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  /** Sends `question` and waits for the error card; returns its title and its buttons but Show Log, which every card ends with. */
  async function failingTurn(chat: ChatView, question: string): Promise<{ title: string; actions: string[] }> {
    await chat.send(question);
    await chat.errorCard.waitFor();
    assert.match(await chat.lastUserTurn.innerText(), new RegExp(question.replace(/[?.]/g, '\\$&')), 'the question stays in the conversation');
    const actions = await chat.errorCard.locator('button[data-action]').evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.action!));
    assert.equal(actions.at(-1), 'showLog', 'every error card can open the log');
    return { title: (await chat.errorCard.locator('.error-title').innerText()).trim(), actions: actions.slice(0, -1) };
  }

  it('401: says the key was rejected and offers Set API Key', async () => {
    sonnet.mock().enqueue(providerError('invalid_api_key'));
    const chat = await sonnet.chat();
    const card = await failingTurn(chat, 'Is my key fine?');
    assert.equal(card.title, 'API key rejected');
    assert.deepEqual(card.actions, ['setApiKey']);
    assert.match(await chat.errorCard.innerText(), /Invalid API key\./);
    assert.equal(sonnet.mock().messageRequests.length, 1, 'a rejected key is not retried');
  });

  it('402: says credits ran out, offers Top Up and Retry, and Retry resends the question', async () => {
    sonnet.mock().enqueue(providerError('insufficient_credits'), sseReply({ blocks: [{ type: 'text', text: 'Thanks for topping up.' }] }));
    const chat = await sonnet.chat();
    const card = await failingTurn(chat, 'Any credits left?');
    assert.equal(card.title, 'Not enough credits');
    assert.deepEqual(card.actions, ['topUp', 'retry']);
    assert.match(await chat.errorCard.innerText(), /credit balance is too low/);

    await chat.errorCard.locator('button[data-action="retry"]').click();
    await chat.waitForAnswer('Thanks for topping up.');
    const [first, second] = sonnet.mock().messageRequests;
    assert.deepEqual(second.body.messages, first.body.messages);
    assert.equal(await chat.frame.locator('.error-card').count(), 0, 'the retried turn replaces the failed one');
  });

  it('429 with retry-after: waits as told, shows it is retrying, then answers', async () => {
    sonnet.mock().enqueue(
      providerError('rate_limit_exceeded', { 'retry-after': '2' }),
      sseReply({ blocks: [{ type: 'text', text: 'Answered after the wait.' }] }),
    );
    const chat = await sonnet.chat();
    await chat.send('Busy?');
    await chat.lastAnswer.locator('.progress', { hasText: /Retrying in 2 s/ }).waitFor();
    await chat.waitForAnswer('Answered after the wait.');
    const [first, second] = sonnet.mock().messageRequests;
    assert.ok(second, 'the request was sent again');
    assert.deepEqual(second.body, first.body);
  });

  it('429 that persists: says so and offers Retry', async () => {
    sonnet.mock().enqueue(providerError('rate_limit_exceeded', { 'retry-after': '1' }), providerError('rate_limit_exceeded', { 'retry-after': '1' }));
    const chat = await sonnet.chat();
    const card = await failingTurn(chat, 'Still busy?');
    assert.equal(card.title, 'Rate limited');
    assert.deepEqual(card.actions, ['retry']);
    assert.equal(sonnet.mock().messageRequests.length, 2, 'one automatic retry, as set');
  });

  it('503: says the upstream provider failed and offers Retry', async () => {
    sonnet.mock().enqueue(providerError('upstream_error'), providerError('upstream_error'));
    const chat = await sonnet.chat();
    const card = await failingTurn(chat, 'Upstream okay?');
    assert.equal(card.title, 'Upstream provider failed');
    assert.deepEqual(card.actions, ['retry']);
    assert.match(await chat.errorCard.innerText(), /credits are refunded/);
  });

  it('a dropped stream: keeps the partial answer, says it was cut off, offers Retry', async () => {
    const text = 'The first part of the answer arrives, and then the connection drops before the end of it.';
    const body = transcript({ blocks: [{ type: 'text', text }], deltaSize: 10 });
    const cut = body.indexOf('then the');
    sonnet.mock().enqueue({ kind: 'sse', body, dropAfterBytes: cut, chunkSize: 64, delayMs: 20 });
    const chat = await sonnet.chat();
    const card = await failingTurn(chat, 'Tell me a story.');
    assert.equal(card.title, 'Answer cut off');
    assert.deepEqual(card.actions, ['retry']);
    assert.match(await chat.answerText(), /^The first part of the answer arrives/);
  });
});
