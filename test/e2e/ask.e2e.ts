// What a user does first: ask from the palette, explain a selection from the editor's menu, type in
// the Chat view, stop an answer. Real VS Code (code-server), the packaged extension, the mock provider.

import assert from 'node:assert/strict';
import path from 'node:path';
import { sseReply, transcript } from '../fixtures/transcripts';
import { RESULTS_DIR } from './harness';
import { useSonnet } from './sonnet';

const CALC_PY = `def add(a, b):
    return a + b


def sub(a, b):
    return a - b
`;

/** Plain prose, so the rendered text equals the streamed text whatever the markdown renderer does. */
const ANSWER =
  'A debounced function waits until calls have stopped for a while before it runs. ' +
  'Each call restarts a timer, and only the last call in a burst goes through. ' +
  'That keeps a search box from sending a request for every key the user presses.';

describe('Ask Sonnet, Explain Selection and the Chat view', function () {
  this.timeout(60_000);
  const sonnet = useSonnet({ files: { 'src/calc.py': CALC_PY } });

  afterEach(async () => {
    // Each test starts from an empty conversation.
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('streams the answer to "Ask Sonnet" into the Chat view', async () => {
    // About 40 pieces, 150 ms apart: slow enough to watch the text grow. They start once the view
    // shows the question: on a loaded machine the view can take longer to open than the stream lasts.
    let viewReady!: () => void;
    const startAfter = new Promise<void>((resolve) => (viewReady = resolve));
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: ANSWER }], deltaSize: 6 }, { chunkSize: 200, delayMs: 150, startAfter }));
    await sonnet.vsc().runCommand('Sonnet: Ask Sonnet');
    await sonnet.vsc().answerInput('What does debounce do?', { prompt: 'The answer streams into the Chat view' });

    const chat = await sonnet.chat();
    await chat.lastUserTurn.filter({ hasText: 'What does debounce do?' }).waitFor();
    viewReady();
    const lengthsSeen = new Set<number>();
    while ((await chat.lastAnswer.getAttribute('aria-busy')) === 'true') {
      lengthsSeen.add((await chat.answerText()).length);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const partial = [...lengthsSeen].filter((length) => length > 0 && length < ANSWER.length);
    assert.ok(partial.length >= 3, `the answer should grow while it streams; lengths seen: ${[...lengthsSeen].join(', ')}`);
    assert.equal(await chat.answerText(), ANSWER);

    const request = sonnet.mock().messageRequests[0];
    assert.equal(request.body.stream, true);
    assert.equal(request.body.model, 'claude-sonnet-4-6');
    assert.deepEqual(request.body.messages, [{ role: 'user', content: 'What does debounce do?' }]);

    // The README's picture of the product.
    await sonnet.vsc().page.screenshot({ path: path.join(RESULTS_DIR, 'screenshots', 'chat-view.png') });
  });

  it('explains a selection chosen from the editor context menu', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It adds its two arguments.' }] }));
    await sonnet.vsc().openFile('src/calc.py');
    await sonnet.vsc().selectLines(1, 2);
    await sonnet.vsc().contextMenu('Explain Selection');

    const chat = await sonnet.chat();
    assert.equal(await chat.waitForAnswer('It adds its two arguments.'), 'It adds its two arguments.');
    // The bubble names the code; the request carries it, with its language and place.
    assert.match(await chat.lastUserTurn.innerText(), /src\/calc\.py.*lines 1–2/);
    assert.doesNotMatch(await chat.lastUserTurn.innerText(), /return a \+ b/);
    const [request] = sonnet.mock().messageRequests;
    const content = request.body.messages.at(-1).content as string;
    assert.match(content, /def add\(a, b\):\n {4}return a \+ b/);
    assert.match(content, /language: python/);
    assert.match(content, /src\/calc\.py/);
    assert.doesNotMatch(content, /def sub/);
  });

  it('sends what is typed in the Chat view with Enter, and keeps the conversation going', async () => {
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'First answer.' }] }),
      sseReply({ blocks: [{ type: 'text', text: 'Second answer.' }] }),
    );
    const chat = await sonnet.chat();
    await chat.send('First question');
    await chat.waitForAnswer('First answer.');
    assert.equal(await chat.prompt.inputValue(), '', 'the input is cleared once sent');
    await chat.send('Second question');
    await chat.waitForAnswer('Second answer.');

    const second = sonnet.mock().messageRequests[1];
    assert.deepEqual(
      second.body.messages.map((m: { role: string; content: unknown }) => [m.role, JSON.stringify(m.content)]),
      [
        ['user', JSON.stringify('First question')],
        ['assistant', JSON.stringify([{ type: 'text', text: 'First answer.' }])],
        ['user', JSON.stringify('Second question')],
      ],
    );
  });

  it('stops a slow answer, closing the connection and keeping what arrived', async () => {
    const long = 'word '.repeat(400).trim();
    const body = transcript({ blocks: [{ type: 'text', text: long }], deltaSize: 5 });
    // About 10 s in all, so Stop lands in the middle.
    sonnet.mock().enqueue({ kind: 'sse', body, chunkSize: Math.ceil(body.length / 100), delayMs: 100 });
    const chat = await sonnet.chat();
    await chat.send('Write a lot');
    await chat.lastAnswer.locator('.answer', { hasText: 'word word word' }).waitFor();
    await chat.frame.locator('#stop').click();

    const [request] = sonnet.mock().messageRequests;
    await request.finished;
    assert.equal(request.clientClosedEarly, true, 'the mock saw the client hang up');
    await chat.waitForAnswerToSettle();
    const kept = await chat.answerText();
    assert.match(kept, /^word( word)*/);
    assert.ok(kept.length < long.length, 'only part of the answer had arrived');
    await chat.lastAnswer.getByText('Stopped.').waitFor();
    assert.equal(await chat.frame.locator('#send').isVisible(), true, 'the input is ready for the next question');
  });
});
