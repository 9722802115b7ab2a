import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import { ChatController, type ChatUpdate } from '../../src/chat/chatController';
import { checkPageImage, type PromptImage } from '../../src/chat/promptImages';
import { PromptQueue } from '../../src/chat/promptQueue';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { MockProvider } from '../fixtures/mockProvider';
import { pngHeader } from '../fixtures/pngHeader';
import { sseReply } from '../fixtures/transcripts';

function images(count: number, from = 0): PromptImage[] {
  return Array.from({ length: count }, (_, i) => {
    const checked = checkPageImage(`${from + i}.png`, 'image/png', pngHeader(10 + from + i, 10).toString('base64'));
    assert.ok(checked.ok);
    return checked.image;
  });
}

describe('a message queued with images: nothing past the limit is dropped', () => {
  it('refuses to add a message whose images would take the queued one past 20, and keeps the queue as it was', () => {
    const queue = new PromptQueue();
    assert.equal(queue.add('first', [], images(15)), undefined);
    const refused = queue.add('second', [], images(6, 15));
    assert.match(refused ?? '', /has 15 images; with these it would have 21, and a message takes at most 20/);
    assert.equal(queue.peek()?.text, 'first');
    assert.equal(queue.peek()?.images?.length, 15);
    // The same images again are not more images.
    assert.equal(queue.add('again', [], images(5, 10)), undefined);
    assert.equal(queue.peek()?.images?.length, 15);
    assert.equal(queue.add('more', [], images(5, 15)), undefined);
    assert.equal(queue.peek()?.images?.length, 20);
  });

  it('the controller tells the view, which gets the text back; the images stay with the caller', async () => {
    const mock = await MockProvider.start();
    try {
      const posted: ChatUpdate[] = [];
      const chat = new ChatController({
        sink: { post: (update) => posted.push(update), refresh: () => {} },
        readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 }),
        resolveApiKey: async () => 'sk-test-123456',
        createClient: (options) => new MessagesClient(options),
      });
      mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'slow '.repeat(50) }], deltaSize: 5 }, { chunkSize: 20, delayMs: 5 }), sseReply({ blocks: [{ type: 'text', text: 'seen' }] }));
      assert.ok(chat.submit('busy'));
      assert.ok(chat.submit('look', [], images(12)));
      assert.equal(chat.submit('and these', [], images(12, 12)), false);
      const refusal = posted.find((update) => update.type === 'sendRefused');
      assert.ok(refusal && refusal.type === 'sendRefused');
      assert.equal(refusal.text, 'and these');
      assert.equal(chat.snapshot().queued?.attachments.length, 12);
      await chat.whenIdle();
      const sent = mock.messageRequests.at(-1)!.body.messages.at(-1);
      assert.equal(sent.content.filter((block: { type: string }) => block.type === 'image').length, 12);
    } finally {
      await mock.close();
    }
  });
});
