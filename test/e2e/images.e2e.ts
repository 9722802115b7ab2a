// Images in the chat: a screenshot pasted into the composer is scaled by the page and sent as an image
// block (the mock provider decodes it); a large noisy one is re-encoded under the API's limit; a file
// that is not an image says so; the image shows in the transcript, survives reopening the conversation
// from the history and goes again with the next turn; read_file of a workspace PNG returns the image.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { imageInfo, MAX_IMAGE_EDGE } from '../../src/shared/imageInfo';
import { RESULTS_DIR } from './harness';
import { useSonnet, type ChatView } from './sonnet';

const MAX_IMAGE_BYTES = 3_750_000;
const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'] as const;

/** Pastes into the composer a PNG drawn on a canvas in the page (`noise`: random pixels, which PNG cannot compress). */
async function pasteCanvasPng(frame: Frame, width: number, height: number, name: string, noise = false): Promise<void> {
  await frame.evaluate(
    async ({ width, height, name, noise }) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d')!;
      if (noise) {
        const pixels = context.createImageData(width, height);
        for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
        context.putImageData(pixels, 0, 0);
      } else {
        const gradient = context.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, '#1e88e5');
        gradient.addColorStop(1, '#fdd835');
        context.fillStyle = gradient;
        context.fillRect(0, 0, width, height);
        context.fillStyle = '#000';
        context.font = `${Math.round(height / 8)}px sans-serif`;
        context.fillText('Screenshot', width / 10, height / 2);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], name, { type: 'image/png' }));
      document.querySelector('#prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    },
    { width, height, name, noise },
  );
}

/** The image blocks of the request's last user message that holds any, decoded. */
function imagesOf(request: RecordedRequest, message = -1) {
  const content = request.body.messages.at(message).content;
  assert.ok(Array.isArray(content), 'the prompt is sent as blocks');
  return (content as Array<{ type: string; source?: { media_type: string; data: string } }>)
    .filter((block) => block.type === 'image')
    .map((block) => {
      const bytes = Buffer.from(block.source!.data, 'base64');
      const info = imageInfo(bytes);
      assert.ok(info, 'the provider can read the image');
      assert.equal(info.mediaType, block.source!.media_type);
      return { ...info, bytes: bytes.length };
    });
}

describe('Images', function () {
  this.timeout(120_000);
  const sonnet = useSonnet();
  const chips = (chat: ChatView) => chat.frame.locator('#attachments .image-chip');

  it('sends a pasted screenshot scaled to 1568 px, shows it, and keeps it with the conversation', async () => {
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    await pasteCanvasPng(chat.frame, 3000, 2000, 'screenshot.png');
    await chips(chat).filter({ hasText: 'screenshot.png' }).waitFor();
    assert.equal(await chips(chat).locator('img').getAttribute('alt'), 'screenshot.png, 1568×1045');
    await chat.frame.locator('#attachments').screenshot({ path: path.join(RESULTS_DIR, 'images', 'chip.png') });

    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'A gradient with a word.' }] }));
    await chat.send('What is in this picture?');
    await chat.waitForAnswer('A gradient');
    const [sent] = imagesOf(sonnet.mock().messageRequests.at(-1)!);
    assert.deepEqual([sent.mediaType, sent.width, sent.height], ['image/png', MAX_IMAGE_EDGE, 1045]);
    const prompt = sonnet.mock().messageRequests.at(-1)!.body.messages.at(-1).content;
    assert.equal(prompt.at(-1).text, 'What is in this picture?');
    assert.equal(await chips(chat).count(), 0);

    // The transcript shows it from its stored file.
    const shown = chat.lastUserTurn.locator('.prompt-images img');
    await shown.waitFor();
    const sentFile = (await shown.getAttribute('src'))!.split('/').at(-1)!;
    assert.match(sentFile, /^[0-9a-f]{64}\.png$/);
    await chat.frame.waitForFunction(() => document.querySelector<HTMLImageElement>('.turn.user .prompt-images img')?.naturalWidth === 1568);
    // Enter on it opens it in an editor.
    await chat.lastUserTurn.locator('.image-open').focus();
    await chat.lastUserTurn.locator('.image-open').press('Enter');
    await sonnet.vsc().page.locator(`.tabs-container .tab[data-resource-name="${sentFile}"]`).waitFor();
    for (const theme of THEMES) {
      await sonnet.vsc().setColorTheme(theme);
      await chat.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
      await sonnet.vsc().screenshot(path.join(RESULTS_DIR, 'images', `transcript-${theme.replace(/ /g, '-')}.png`));
    }

    // Reopened from the history, it is shown again and sent again with the next turn.
    await chat.newChat(sonnet.vsc());
    await sonnet.vsc().runCommand('Sonnet: Show History');
    await chat.frame.locator('.history-item', { hasText: 'What is in this picture?' }).locator('.history-open').click();
    await chat.frame.waitForFunction(() => document.querySelector<HTMLImageElement>('.turn.user .prompt-images img')?.naturalWidth === 1568);
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Still blue and yellow.' }] }));
    await chat.send('And its colours?');
    await chat.waitForAnswer('Still blue');
    const again = imagesOf(sonnet.mock().messageRequests.at(-1)!, 0);
    assert.deepEqual(again.map((image) => [image.width, image.height]), [[MAX_IMAGE_EDGE, 1045]]);
  });

  it('re-encodes an image over 3.75 MB under the limit, and refuses what is not an image', async () => {
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    await pasteCanvasPng(chat.frame, 1500, 1500, 'noise.png', true);
    await chips(chat).filter({ hasText: 'noise.png' }).waitFor({ timeout: 60_000 });

    await chat.frame.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['just some notes'], 'notes.png', { type: 'image/png' }));
      document.querySelector('#prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    });
    await chat.frame.locator('.composer-notice', { hasText: 'notes.png was not added: it is not an image.' }).waitFor();
    assert.equal(await chips(chat).count(), 1, 'the other image stays');

    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Noise.' }] }));
    await chat.send('And this?');
    await chat.waitForAnswer('Noise.');
    const [sent] = imagesOf(sonnet.mock().messageRequests.at(-1)!);
    assert.ok(sent.mediaType === 'image/webp' || sent.mediaType === 'image/jpeg', sent.mediaType);
    assert.ok(sent.bytes <= MAX_IMAGE_BYTES, `${sent.bytes} bytes`);
    assert.ok(Math.max(sent.width, sent.height) <= MAX_IMAGE_EDGE);
  });

  it('says "already attached" for the same image again, and duplicates never use up the 20 images', async () => {
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    await pasteCanvasPng(chat.frame, 200, 100, 'same.png');
    await chips(chat).filter({ hasText: 'same.png' }).waitFor();
    const notice = chat.frame.locator('.composer-notice');
    // One at a time, each answered by the host before the next: more duplicates than a message has images.
    for (let i = 0; i < 21; i++) {
      await notice.evaluate((element: HTMLElement) => {
        element.textContent = '';
        element.hidden = true;
      });
      await pasteCanvasPng(chat.frame, 200, 100, 'same.png');
      await notice.filter({ hasText: 'same.png is already attached.' }).waitFor();
    }
    await pasteCanvasPng(chat.frame, 120, 80, 'other.png');
    await chips(chat).filter({ hasText: 'other.png' }).waitFor();
    assert.equal(await chips(chat).count(), 2);
    // The chips outlive a new chat: the next test starts without them.
    for (const name of ['same.png', 'other.png']) await chips(chat).filter({ hasText: name }).locator('.chip-remove').click();
    await chips(chat).first().waitFor({ state: 'detached' });
  });

  it('attaches an image file dragged from the Explorer, and refuses one outside the workspace', async () => {
    const png = await fsp.readFile(path.join(__dirname, '..', 'fixtures', 'images', 'photo.jpg'));
    const workspace = sonnet.vsc().server.workspace;
    await fsp.writeFile(path.join(workspace, 'photo.jpg'), png);
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    const drop = (uris: string[]) =>
      chat.frame.evaluate((list) => {
        const transfer = new DataTransfer();
        transfer.setData('text/uri-list', list.join('\r\n'));
        document.querySelector('#prompt')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, uris);
    await drop([`file://${path.join(workspace, 'photo.jpg')}`]);
    await chips(chat).filter({ hasText: 'photo.jpg' }).waitFor();
    assert.equal(await chips(chat).locator('img').getAttribute('alt'), 'photo.jpg, 40×30');
    for (const theme of THEMES) {
      await sonnet.vsc().setColorTheme(theme);
      await chat.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
      await chat.frame.locator('#composer').screenshot({ path: path.join(RESULTS_DIR, 'images', `chip-${theme.replace(/ /g, '-')}.png`) });
    }
    await drop(['file:///etc/outside.png']);
    await chat.frame.locator('.composer-notice', { hasText: 'outside.png was not added: only files of the workspace can be dropped here.' }).waitFor();
    // Removed by keyboard: the chip's button, then Enter.
    await chips(chat).locator('button').focus();
    await chips(chat).locator('button').press('Enter');
    await chips(chat).waitFor({ state: 'detached' });
  });

  it('read_file of a workspace PNG gives the model the image', async () => {
    const png = await fsp.readFile(path.join(__dirname, '..', 'fixtures', 'images', 'wide.png'));
    await fsp.mkdir(path.join(sonnet.vsc().server.workspace, 'docs'), { recursive: true });
    await fsp.writeFile(path.join(sonnet.vsc().server.workspace, 'docs', 'shot.png'), png);
    sonnet.mock().onMessages((request) => {
      const last = request.body.messages.at(-1);
      const result = Array.isArray(last.content) ? last.content.find((block: { type: string }) => block.type === 'tool_result') : undefined;
      if (!result) return sseReply({ blocks: [{ type: 'tool_use', id: 'toolu_img', name: 'read_file', input: { path: 'docs/shot.png' } }], stopReason: 'tool_use' });
      const [text, image] = result.content;
      const info = imageInfo(Buffer.from(image.source.data, 'base64'));
      return sseReply({ blocks: [{ type: 'text', text: `${text.text}; decoded ${info?.width}x${info?.height}` }] });
    });
    const chat = await sonnet.chat();
    await chat.newChat(sonnet.vsc());
    await chat.send('Look at docs/shot.png');
    assert.match(await chat.waitForAnswer('decoded'), /Image docs\/shot\.png, 40x30 PNG; decoded 40x30/);
  });
});
