import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../src/api/client';
import type { ImageBlock, MessageParam, ToolResultBlock } from '../../src/api/types';
import { ChatController } from '../../src/chat/chatController';
import { contextMeterOf } from '../../src/chat/contextMeter';
import { DEFAULT_TOKENS_PER_CHAR, imageBlocksIn, imageTokensOf, tokensPerChar } from '../../src/chat/contextWindow';
import { Conversation } from '../../src/chat/conversation';
import { MAX_IMAGES_PER_REQUEST } from '../../src/chat/imageLimit';
import { checkPageImage } from '../../src/chat/promptImages';
import { fitRequest } from '../../src/chat/requestBuilder';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { clearOldToolResults } from '../../src/chat/toolResultClearing';
import { MockProvider } from '../fixtures/mockProvider';
import { pngHeader } from '../fixtures/pngHeader';
import { requestProblem } from '../fixtures/requestRules';
import { sseReply } from '../fixtures/transcripts';

/** A PNG block of `width` × `height` (1568 × 1568 and larger are 1,600 tokens); `seed` makes each one different. */
function png(width: number, height: number, seed = 0): ImageBlock {
  return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngHeader(width, height, 8 + seed).toString('base64') } };
}

const imagesIn = (messages: readonly MessageParam[]) => imageBlocksIn(messages).length;

/** A conversation of `turns` earlier turns, each a prompt of `perTurn` images of 1,600 tokens and a short answer. */
function conversationOfImages(turns: number, perTurn: number): Conversation {
  const conversation = new Conversation();
  for (let t = 0; t < turns; t++) {
    const images = Array.from({ length: perTurn }, (_, i) => png(1568, 1568, t * perTurn + i));
    conversation.messages.push({ role: 'user', content: [...images, { type: 'text', text: `look ${t}` }] }, { role: 'assistant', content: [{ type: 'text', text: `seen ${t}` }] });
  }
  return conversation;
}

/** One turn that read `count` images with read_file, each result a line of text and the image. */
function turnReadingImages(count: number, textChars: number): MessageParam[] {
  const turn: MessageParam[] = [{ role: 'user', content: 'look at all screenshots in docs/' }];
  for (let i = 0; i < count; i++) {
    turn.push({ role: 'assistant', content: [{ type: 'tool_use', id: `r${i}`, name: 'read_file', input: { path: `docs/${i}.png` } }] });
    turn.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `r${i}`, content: [{ type: 'text', text: `Image docs/${i}.png ${'t'.repeat(textChars)}` }, png(1568, 1568, i)] }] });
  }
  return turn;
}

const describeCall = (call: { input: unknown }) => (call.input as { path: string }).path;

describe('images in the estimate that decides compaction and clearing', () => {
  it('counts the images of the history in the estimate compaction is decided by', () => {
    // 80 images of 1,600 tokens: 128,000 tokens, past a threshold of 100,000, with nothing left out.
    const conversation = conversationOfImages(4, 20);
    const fitted = fitRequest(conversation, DEFAULT_CONFIG, [{ role: 'user', content: 'and now?' }], [], { thresholdTokens: 100_000 });
    assert.equal(fitted.contextNote, undefined);
    assert.ok(fitted.wholeTokens >= 128_000, String(fitted.wholeTokens));
    assert.equal(fitted.wholeTokens, fitted.estimatedTokens);
  });

  it('clears a long turn\'s oldest image results when images alone would overflow the window, and says so', () => {
    // 90 results of 1,600 tokens of image and about 460 of text: over 185,000 tokens, more than the window takes.
    const current = turnReadingImages(90, 1600);
    const fitted = fitRequest(new Conversation(), DEFAULT_CONFIG, current, [], { describeCall });
    assert.match(fitted.contextNote ?? '', /earlier tool results of this turn were cleared/);
    assert.ok(fitted.estimatedTokens <= 200_000 - DEFAULT_CONFIG.maxTokens - 10_000, String(fitted.estimatedTokens));
    const results = fitted.request.messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((b): b is ToolResultBlock => b.type === 'tool_result')));
    assert.equal(results.length, 90, 'every call keeps its result');
    assert.equal(results[0].content, '[result of read_file docs/0.png (with its image) cleared to save context: ask again if needed]');
    assert.ok(Array.isArray(results.at(-1)!.content), 'the latest results are sent whole');
    // Only as many as it takes: each saves about 2,040 tokens (not its base64's length), so the request stays near the budget.
    const budget = 200_000 - DEFAULT_CONFIG.maxTokens - 10_000;
    assert.ok(fitted.estimatedTokens > budget - 2100, `${fitted.estimatedTokens} of ${budget}, ${fitted.wholeTokens} before clearing`);
    assert.ok(fitted.wholeTokens > budget, String(fitted.wholeTokens));
    assert.equal(requestProblem(fitted.request), undefined);
  });

  it('clears image results down to the threshold when there is nothing older to compact', () => {
    const current = turnReadingImages(40, 10);
    const fitted = fitRequest(new Conversation(), DEFAULT_CONFIG, current, [], { thresholdTokens: 30_000, describeCall });
    assert.match(fitted.contextNote ?? '', /cleared/);
    assert.ok(fitted.estimatedTokens <= 30_000 && fitted.estimatedTokens > 28_000, String(fitted.estimatedTokens));
  });

  it('measures what clearing saves in tokens: the text by the density, the images by their pixels', () => {
    const turn = turnReadingImages(4, 350);
    const saved: number[] = [];
    const cleared = clearOldToolResults(turn, { keepLatest: 3, describe: describeCall, tokensPerChar: DEFAULT_TOKENS_PER_CHAR, enough: (tokens) => (saved.push(tokens), false) });
    assert.equal(cleared.cleared, 1);
    // 1,600 for the image and about 100 for the text, less the stub's.
    assert.ok(cleared.savedTokens > 1600 && cleared.savedTokens < 1700, String(cleared.savedTokens));
    assert.equal(imageTokensOf(cleared.messages), 3 * 1600);
  });
});

describe('the density measured from a request with images', () => {
  it('takes the images\' tokens out of what the provider counted, so the text\'s density stays as it is', async () => {
    const mock = await MockProvider.start();
    try {
      let conversation: Conversation | undefined;
      const chat = new ChatController({
        sink: { post: () => {}, refresh: () => {} },
        readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 }),
        resolveApiKey: async () => 'sk-test-123456',
        createClient: (options) => new MessagesClient(options),
        onConversationChange: (changed) => (conversation = changed),
      });
      const images = Array.from({ length: 20 }, (_, i) => {
        const checked = checkPageImage(`big${i}.png`, 'image/png', pngHeader(1568, 1500 + i).toString('base64'));
        assert.ok(checked.ok);
        return checked.image;
      });
      // 14,000 characters of text at 3.5 a token, and 20 images of 1,600 tokens, as the provider would count them.
      mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'seen' }], inputTokens: 4000 + 20 * 1600 }));
      assert.ok(chat.submit('x'.repeat(14_000), [], images));
      await chat.whenIdle();
      assert.ok(conversation?.calibration, 'a request this long calibrates');
      assert.ok(tokensPerChar(conversation.calibration) < 0.3, JSON.stringify(conversation.calibration));
    } finally {
      await mock.close();
    }
  });
});

describe('at most 100 images a request', () => {
  it('replaces the oldest images over 100 by a note, in prompts and in tool results, calls still answered', () => {
    const conversation = new Conversation();
    const small = (seed: number) => png(200, 200, seed);
    conversation.messages.push(
      { role: 'user', content: [small(0), { type: 'text', text: 'first' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'read_file', input: { path: 'a.png' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'Image a.png' }, small(1)] }] },
      { role: 'assistant', content: [{ type: 'text', text: 'seen' }] },
    );
    const current: MessageParam[] = [{ role: 'user', content: Array.from({ length: 100 }, (_, i) => small(i + 2)) }];
    const fitted = fitRequest(conversation, DEFAULT_CONFIG, current, []);
    const sent = fitted.request.messages;
    assert.equal(imagesIn(sent), MAX_IMAGES_PER_REQUEST);
    assert.deepEqual(sent[0].content, [{ type: 'text', text: '[an image of 200×200 left out: a request holds at most 100 images]' }, { type: 'text', text: 'first' }]);
    assert.deepEqual((sent[2].content as ToolResultBlock[])[0].content, [{ type: 'text', text: 'Image a.png' }, { type: 'text', text: '[an image of 200×200 left out: a request holds at most 100 images]' }]);
    assert.equal(imagesIn(sent.slice(3)), 100, 'the newest are kept');
    assert.equal(fitted.contextNote, '2 earlier images were left out of the request: it holds at most 100.');
    assert.equal(requestProblem(fitted.request), undefined);
    assert.equal(imagesIn(conversation.messages), 2, 'the conversation keeps its images');
  });

  it('counts in the context meter only the images that are sent', () => {
    // 120 images of 1,600 tokens: the 100 sent are 160,000.
    const meter = contextMeterOf(conversationOfImages(6, 20), DEFAULT_CONFIG, []);
    assert.equal(meter.next.images, 100 * 1600);
  });

  it('keeps a conversation going after five messages of 20 images each', async () => {
    const mock = await MockProvider.start();
    try {
      const chat = new ChatController({
        sink: { post: () => {}, refresh: () => {} },
        readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 }),
        resolveApiKey: async () => 'sk-test-123456',
        createClient: (options) => new MessagesClient(options),
      });
      for (let message = 0; message < 6; message++) {
        mock.enqueue(sseReply({ blocks: [{ type: 'text', text: `seen ${message}` }] }));
        const images = Array.from({ length: 20 }, (_, i) => {
          const checked = checkPageImage(`shot${message}-${i}.png`, 'image/png', pngHeader(200, 100 + message * 20 + i).toString('base64'));
          assert.ok(checked.ok);
          return checked.image;
        });
        assert.ok(chat.submit(`message ${message}`, [], images));
        await chat.whenIdle();
        assert.equal(chat.snapshot().turns[message].answer.status, 'done', `message ${message}`);
      }
      const last = mock.messageRequests.at(-1)!.body;
      assert.equal(imagesIn(last.messages), 100);
      assert.match(JSON.stringify(last.messages[0]), /an image of 200×100 left out/);
    } finally {
      await mock.close();
    }
  });
});
