// The API key as a new user meets it: no key, asked for one, stored in secret storage, sent only in
// the Authorization header, and found nowhere else (settings, the Chat view's page, logs).

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

const FIRST_KEY = 'sk-first-key-0123456789abcdefghij';
const SECOND_KEY = 'sk-second-key-abcdefghij0123456789';

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('API key', function () {
  this.timeout(60_000);
  const sonnet = useSonnet({ apiKey: null });

  it('asks for a key on the first question, stores it, and sends it as a Bearer token', async () => {
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Hello with a key.' }] }));
    const chat = await sonnet.chat();
    await chat.send('Hello?');
    await sonnet.vsc().answerInput(FIRST_KEY, { prompt: 'API key' });
    await chat.waitForAnswer('Hello with a key.');
    assert.equal(sonnet.mock().messageRequests[0].headers.authorization, `Bearer ${FIRST_KEY}`);

    // Stored: the next question does not ask again.
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Still here.' }] }));
    await chat.send('Again?');
    await chat.waitForAnswer('Still here.');
    assert.equal(sonnet.mock().messageRequests[1].headers.authorization, `Bearer ${FIRST_KEY}`);
  });

  it('keeps the question and offers "Set API Key" when the user declines to give one', async () => {
    await sonnet.vsc().runCommand('Sonnet: Clear API Key');
    await sonnet.vsc().notification('the API key was removed');
    const chat = await sonnet.chat();
    await chat.send('Can you hear me?');
    await sonnet.vsc().quickInputBox.waitFor();
    await sonnet.vsc().page.keyboard.press('Escape');

    await chat.errorCard.waitFor();
    assert.match(await chat.errorCard.innerText(), /No API key/);
    assert.match(await chat.lastUserTurn.innerText(), /Can you hear me\?/);
    assert.equal(sonnet.mock().messageRequests.length, 0, 'nothing was sent without a key');

    // The card's button asks for the key, then sends the same question again.
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'Loud and clear.' }] }));
    await chat.errorCard.locator('button[data-action="setApiKey"]').click();
    await sonnet.vsc().answerInput(SECOND_KEY, { prompt: 'API key' });
    await chat.waitForAnswer('Loud and clear.');
    const [request] = sonnet.mock().messageRequests;
    assert.equal(request.headers.authorization, `Bearer ${SECOND_KEY}`);
    assert.equal(request.body.messages.at(-1).content, 'Can you hear me?');
  });

  it('"Set API Key" replaces the key used for the next request', async () => {
    await sonnet.vsc().runCommand('Sonnet: Set API Key');
    await sonnet.vsc().answerInput(FIRST_KEY, { prompt: 'API key' });
    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'New key works.' }] }));
    const chat = await sonnet.chat();
    await chat.send('Which key?');
    await chat.waitForAnswer('New key works.');
    assert.equal(sonnet.mock().messageRequests[0].headers.authorization, `Bearer ${FIRST_KEY}`);
  });

  it('never writes a key into settings, the Chat view or the logs', async () => {
    const vsc = sonnet.vsc();
    const frames = vsc.page.frames().filter((frame) => frame !== vsc.page.mainFrame() && !frame.isDetached());
    for (const frame of frames) {
      const html = await frame.evaluate(() => document.documentElement.outerHTML).catch(() => '');
      for (const key of [FIRST_KEY, SECOND_KEY]) assert.ok(!html.includes(key), `a webview's DOM holds a key (${frame.url().slice(0, 80)})`);
    }
    const settings = await fsp.readFile(vsc.settingsFile, 'utf8');
    for (const key of [FIRST_KEY, SECOND_KEY]) assert.ok(!settings.includes(key), 'settings.json holds a key');
    // The extension host's logs and output channels, and whatever else VS Code wrote as text.
    for (const file of await filesUnder(vsc.server.logsDir)) {
      const text = await fsp.readFile(file, 'utf8');
      for (const key of [FIRST_KEY, SECOND_KEY]) assert.ok(!text.includes(key), `${path.basename(file)} holds a key`);
    }
    // The page's own browser storage.
    const chat = await sonnet.chat();
    const state = await chat.frame.evaluate(() => JSON.stringify(window.localStorage) + document.cookie);
    for (const key of [FIRST_KEY, SECOND_KEY]) assert.ok(!state.includes(key), 'the webview storage holds a key');
  });
});
