import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessagesClient } from '../../src/api/client';
import type { ImageBlock } from '../../src/api/types';
import { ChatController } from '../../src/chat/chatController';
import { Conversation } from '../../src/chat/conversation';
import { earlierVersion } from '../../src/chat/conversationBranch';
import { ImageTray } from '../../src/chat/imageTray';
import { checkPageImage, MAX_IMAGE_BYTES, missingImageNote, readImagesBack, type PromptImage } from '../../src/chat/promptImages';
import { parseQueuedPrompt, QueuedMessageKeeper } from '../../src/chat/queuedMessageKeeper';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { HistoryStore } from '../../src/history/historyStore';
import { nodeHistoryFiles } from '../../src/history/nodeHistoryFiles';
import { nodeImageFiles } from '../../src/history/nodeImageFiles';
import { imageOutcome } from '../../src/tools/imageResult';
import { ToolError } from '../../src/tools/types';
import { MockProvider } from '../fixtures/mockProvider';
import { pngHeader } from '../fixtures/pngHeader';
import { providerError, sseReply } from '../fixtures/transcripts';
import { useTempFolder } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');
const fixture = (name: string) => fsp.readFile(path.join(FIXTURES, name));

async function pageImage(file: string, type: string, name = file): Promise<PromptImage> {
  const checked = checkPageImage(name, type, (await fixture(file)).toString('base64'));
  assert.ok(checked.ok, checked.ok ? '' : checked.reason);
  return checked.image;
}

describe('images from the page, checked by the host', () => {
  it('takes PNG, JPEG, GIF and WebP by their bytes, with their size and a name from their content', async () => {
    for (const [file, type, width, height] of [
      ['wide.png', 'image/png', 40, 30],
      ['photo.jpg', 'image/jpeg', 40, 30],
      ['small.gif', 'image/gif', 17, 9],
      ['lossy.webp', 'image/webp', 33, 21],
    ] as const) {
      const image = await pageImage(file, type);
      assert.equal(image.mediaType, type);
      assert.deepEqual([image.width, image.height], [width, height]);
      assert.match(image.file, /^[0-9a-f]{64}\.(png|jpg|gif|webp)$/);
    }
    // The same bytes under another name are the same file.
    assert.equal((await pageImage('wide.png', 'image/png', 'a.png')).file, (await pageImage('wide.png', 'image/png', 'b.png')).file);
  });

  it('refuses a mislabelled, corrupt or non-image file, and one too large, saying why', async () => {
    const reason = (name: string, type: string, data: string) => {
      const checked = checkPageImage(name, type, data);
      assert.ok(!checked.ok, `${name} was accepted`);
      return checked.reason;
    };
    assert.match(reason('shot.jpg', 'image/jpeg', (await fixture('wide.png')).toString('base64')), /sent as image\/jpeg, but it is image\/png/);
    assert.match(reason('broken.png', 'image/png', (await fixture('truncated.png')).toString('base64')), /not a PNG, JPEG, GIF or WebP image, or it is damaged/);
    assert.match(reason('notes.txt', 'image/png', Buffer.from('just text').toString('base64')), /not a PNG/);
    assert.match(reason('x.png', 'image/png', 'not base64!'), /not base64/);
    assert.match(reason('big.png', 'image/png', pngHeader(3000, 2000).toString('base64')), /3000×2000 pixels; at most 1568/);
    assert.match(reason('heavy.png', 'image/png', pngHeader(1568, 1000, MAX_IMAGE_BYTES).toString('base64')), /3\.75 MB are sent/);
    assert.ok(checkPageImage('edge.png', 'image/png', pngHeader(1568, 1000, 1000).toString('base64')).ok);
  });

  it('takes up to 20 images a message, the same image once', async () => {
    const tray = new ImageTray();
    const images = Array.from({ length: 21 }, (_, i) => {
      const checked = checkPageImage(`${i}.png`, 'image/png', pngHeader(10 + i, 10).toString('base64'));
      assert.ok(checked.ok);
      return checked.image;
    });
    for (const image of images.slice(0, 20)) assert.deepEqual(tray.add(image), { kind: 'added' });
    assert.deepEqual(tray.add(images[0]), { kind: 'duplicate' });
    assert.deepEqual(tray.add(images[20]), { kind: 'refused', reason: 'a message takes at most 20 images.' });
    assert.equal(tray.view().length, 20);
    assert.ok(tray.remove(tray.view()[3].id));
    assert.deepEqual(tray.add(images[20]), { kind: 'added' });
    assert.equal(tray.images.at(-1), images[20]);
  });
});

describe('images sent with a prompt', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await MockProvider.start();
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

  function controller() {
    return new ChatController({
      sink: { post: () => {}, refresh: () => {} },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0, timeoutMs: 2000 }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
    });
  }

  it('go as image blocks before the text, again with later turns, and on regenerate, edit and from the queue', async () => {
    const png = await pageImage('wide.png', 'image/png');
    const jpeg = await pageImage('photo.jpg', 'image/jpeg');
    const reply = () => sseReply({ blocks: [{ type: 'text', text: 'seen' }] });
    mock.enqueue(reply(), reply(), reply(), reply(), reply());
    const chat = controller();
    assert.ok(chat.submit('what is this?', [], [png, jpeg]));
    await chat.whenIdle();
    const first = mock.messageRequests[0].body.messages[0];
    assert.deepEqual(first.content.map((block: { type: string }) => block.type), ['image', 'image', 'text']);
    assert.deepEqual(first.content[0].source, { type: 'base64', media_type: 'image/png', data: png.data });
    assert.equal(first.content[1].source.media_type, 'image/jpeg');
    assert.equal(first.content[2].text, 'what is this?');
    assert.deepEqual(chat.snapshot().turns[0].prompt.images?.map((image) => image.name), ['wide.png', 'photo.jpg']);
    assert.ok(!JSON.stringify(chat.snapshot()).includes(png.data), 'the view gets no image data');

    chat.submit('and now?');
    await chat.whenIdle();
    assert.deepEqual(mock.messageRequests[1].body.messages[0], first);

    const turnId = chat.snapshot().turns[1].id;
    assert.ok(chat.regenerate(turnId));
    await chat.whenIdle();
    assert.deepEqual(mock.messageRequests[2].body.messages[0], first);

    assert.equal(chat.editPrompt(chat.snapshot().turns[0].id, 'describe it'), undefined);
    await chat.whenIdle();
    const edited = mock.messageRequests[3].body.messages;
    assert.equal(edited.length, 1);
    assert.deepEqual(edited[0].content.slice(0, 2), first.content.slice(0, 2));
    assert.equal(edited[0].content[2].text, 'describe it');

    // Images alone are a message; queued while an answer streams, they go with it.
    mock.enqueue(sseReply({ blocks: [{ type: 'text', text: 'slow '.repeat(50) }], deltaSize: 5 }, { chunkSize: 20, delayMs: 5 }));
    chat.submit('busy');
    assert.ok(chat.submit('', [], [jpeg]));
    assert.deepEqual(chat.snapshot().queued?.attachments.map((chip) => chip.kind), ['image']);
    await chat.whenIdle();
    const queued = mock.messageRequests.at(-1)!.body.messages.at(-1);
    assert.deepEqual(queued.content, [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: jpeg.data } }]);
  });

  it('a failed turn retried sends its images again', async () => {
    const png = await pageImage('wide.png', 'image/png');
    mock.enqueue(providerError('insufficient_credits'), sseReply({ blocks: [{ type: 'text', text: 'seen' }] }));
    const chat = controller();
    chat.submit('look', [], [png]);
    await chat.whenIdle();
    assert.equal(chat.snapshot().turns[0].answer.status, 'failed');
    assert.ok(chat.retry());
    await chat.whenIdle();
    const [failed, retried] = mock.messageRequests.map((request) => request.body.messages[0].content);
    assert.deepEqual(retried, failed);
    assert.equal(retried[0].source.data, png.data);
  });

  it('a queued message keeps its images through a reload by their files, not their data', async () => {
    const png = await pageImage('wide.png', 'image/png');
    let stored = '';
    const keeper = new QueuedMessageKeeper({ recall: async () => undefined, remember: async (value) => void (stored = value) });
    await keeper.recall();
    await keeper.queueChanged({ text: 'look', attachments: [], images: [png] });
    assert.ok(!stored.includes(png.data));
    const recalled = parseQueuedPrompt(stored);
    assert.deepEqual(recalled?.images, [{ ...png, data: '' }]);
    const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonnet-queued-images-'));
    try {
      const files = nodeImageFiles(folder);
      await files.write(png.file, Buffer.from(png.data, 'base64'));
      const gone = { ...png, file: `${'0'.repeat(64)}.png`, name: 'gone.png' };
      const back = await readImagesBack([...recalled.images, gone], (file) => files.read(file));
      assert.deepEqual(back.found, [png]);
      assert.deepEqual(back.missing.map((image) => image.name), ['gone.png']);
    } finally {
      await fsp.rm(folder, { recursive: true, force: true });
    }
    // Only well-formed images come back: no name that could reach outside the history's folder.
    const hostile = JSON.stringify({ text: 'x', attachments: [], images: [{ file: '../../etc/passwd', name: 'p', width: 1, height: 1 }] });
    assert.equal(parseQueuedPrompt(hostile)?.images, undefined);
  });
});

describe('images stored beside the conversation', () => {
  const folder = useTempFolder('sonnet-images-');
  const historyFolder = () => path.join(folder(), 'history');
  const imagesFolder = () => path.join(folder(), 'history', 'images');
  const store = () => new HistoryStore(nodeHistoryFiles(historyFolder()), Date.now, nodeImageFiles(imagesFolder()));

  async function conversationWithImages(): Promise<{ conversation: Conversation; png: PromptImage; toolImage: ImageBlock }> {
    const png = await pageImage('wide.png', 'image/png');
    const conversation = new Conversation();
    // The same screenshot in two turns, and a tool result holding a picture.
    for (const text of ['first', 'second']) {
      const turn = conversation.addTurn({ text, content: text, images: [png] });
      conversation.commit(turn, [{ role: 'assistant', content: [{ type: 'text', text: 'ok' }] }]);
    }
    const toolImage: ImageBlock = { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: (await fixture('small.gif')).toString('base64') } };
    const turn = conversation.addTurn({ text: 'read it', content: 'read it' });
    conversation.commit(turn, [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.gif' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'Image a.gif, 17x9 GIF' }, toolImage] }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a gif' }] },
    ]);
    return { conversation, png, toolImage };
  }

  it('keeps each image once as a file named by its content, and the JSON refers to it', async () => {
    const { conversation, png } = await conversationWithImages();
    await store().save(conversation);
    const files = (await fsp.readdir(imagesFolder())).sort();
    assert.equal(files.length, 2);
    assert.ok(files.includes(png.file));
    assert.deepEqual(await fsp.readFile(path.join(imagesFolder(), png.file)), await fixture('wide.png'));
    const json = await fsp.readFile(path.join(historyFolder(), `conversation-${conversation.id}.json`), 'utf8');
    assert.ok(!json.includes(png.data) && !json.includes((await fixture('small.gif')).toString('base64')), 'no image data in the JSON');
    assert.ok(json.includes(png.file));
  });

  it('reads them back on open, so the next request carries them again as sent', async () => {
    const { conversation, png } = await conversationWithImages();
    await store().save(conversation);
    const loaded = await store().load(conversation.id);
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.conversation.messages, conversation.messages);
    assert.equal(loaded.conversation.turns[0].prompt.images?.[0].data, png.data);
    assert.equal(loaded.conversation.turns[0].prompt.images?.[0].missing, undefined);
  });

  it('shows a missing file as "image missing", and tells the model with a note instead of failing', async () => {
    const { conversation, png } = await conversationWithImages();
    await store().save(conversation);
    await fsp.rm(path.join(imagesFolder(), png.file));
    const loaded = await store().load(conversation.id);
    assert.ok(loaded.ok);
    const turn = loaded.conversation.turns[0];
    assert.equal(turn.prompt.images?.[0].missing, true);
    assert.deepEqual(loaded.conversation.view()[0].prompt.images?.[0], { file: png.file, name: 'wide.png', width: 40, height: 30, missing: true });
    assert.deepEqual(loaded.conversation.messages[0].content, [{ type: 'text', text: missingImageNote('wide.png') }, { type: 'text', text: 'first' }]);
    // The tool result's image, still there, comes back.
    const toolResult = loaded.conversation.messages[6].content as any[];
    assert.equal(toolResult[0].content[1].type, 'image');
  });

  it('deletes its images with the conversation, but not those an earlier version still refers to', async () => {
    const { conversation, png } = await conversationWithImages();
    const history = store();
    await history.save(conversation);
    const earlier = earlierVersion(conversation);
    earlier.messages.splice(4);
    earlier.turns.splice(2);
    await history.save(earlier);
    await history.delete(conversation.id);
    assert.deepEqual(await fsp.readdir(imagesFolder()), [png.file]);
    const kept = await history.load(earlier.id);
    assert.ok(kept.ok && kept.conversation.turns[0].prompt.images?.[0].data === png.data);
    await history.delete(earlier.id);
    assert.deepEqual(await fsp.readdir(imagesFolder()), []);
  });

  it('leaves the images the chips or a queued message still use', async () => {
    const { conversation, png } = await conversationWithImages();
    const tray = new ImageTray();
    const keeper = new QueuedMessageKeeper({ recall: async () => undefined, remember: async () => {} });
    const gif = await pageImage('small.gif', 'image/gif');
    const inUse = () => [...tray.images.map((image) => image.file), ...keeper.imageFiles()];
    const history = new HistoryStore(nodeHistoryFiles(historyFolder()), Date.now, nodeImageFiles(imagesFolder()), inUse);
    await history.save(conversation);
    // The screenshot is on a chip again, and the GIF of the tool result is in a queued message (by its file).
    tray.add(png);
    await keeper.queueChanged({ text: 'again', attachments: [], images: [{ ...gif, data: '' }] });
    await history.delete(conversation.id);
    assert.deepEqual((await fsp.readdir(imagesFolder())).sort(), [png.file, gif.file].sort());
    const { found, missing } = await readImagesBack(keeper.imageFiles().map((file) => ({ ...gif, file })), (file) => nodeImageFiles(imagesFolder()).read(file));
    assert.deepEqual([found.length, missing.length], [1, 0]);
  });

  it('a renamed conversation keeps its images', async () => {
    const { conversation, png } = await conversationWithImages();
    const history = store();
    await history.save(conversation);
    await history.rename(conversation.id, 'Screenshots');
    const loaded = await store().load(conversation.id);
    assert.ok(loaded.ok && loaded.conversation.turns[1].prompt.images?.[0].data === png.data);
  });
});

describe('read_file on an image', () => {
  it('returns the image to the model, named with its size and format', async () => {
    const bytes = await fixture('wide.png');
    const outcome = imageOutcome('docs/shot.png', bytes);
    assert.equal(outcome?.content, 'Image docs/shot.png, 40x30 PNG');
    assert.equal(outcome?.status, 'done');
    assert.deepEqual(outcome?.images, [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: bytes.toString('base64') } }]);
    assert.equal(imageOutcome('notes.txt', Buffer.from('hello')), undefined);
  });

  it('refuses an image beyond the API’s limits with an error that says so', () => {
    assert.throws(() => imageOutcome('huge.png', pngHeader(9000, 100)), (error: unknown) => error instanceof ToolError && /9000x100 PNG cannot be shown to the model: it is 9000×100 pixels; at most 8000 on its long edge/.test(error.message));
    assert.throws(() => imageOutcome('heavy.png', pngHeader(1000, 1000, 4_000_000)), (error: unknown) => error instanceof ToolError && /it is 4\.00 MB; at most 3\.75 MB are sent/.test(error.message));
  });
});
