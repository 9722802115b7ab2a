import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { nodeHistoryFiles } from '../../src/history/nodeHistoryFiles';
import { fileMemory, stateMemory, type KeyValueState } from '../../src/history/openConversationMemory';
import { useTempFolder } from './helpers';

describe('the conversation a window reopens', () => {
  const tempFolder = useTempFolder('sonnet-open-');
  let folder: string;
  beforeEach(() => (folder = tempFolder()));

  it('is on disk as soon as it is remembered, for the next window to read', async () => {
    const storage = path.join(folder, 'workspace-storage');
    await fileMemory(nodeHistoryFiles(storage)).remember('c-1');
    assert.equal(await fileMemory(nodeHistoryFiles(storage)).recall(), 'c-1');
  });

  it('keeps the last of several remembered in quick succession', async () => {
    const memory = fileMemory(nodeHistoryFiles(folder));
    void memory.remember('a');
    void memory.remember('b');
    assert.equal(await memory.recall(), 'b', 'a recall waits for the writes before it');
    await memory.remember('c');
    assert.equal(await fileMemory(nodeHistoryFiles(folder)).recall(), 'c');
  });

  it('reads as none when missing, torn or not ours', async () => {
    assert.equal(await fileMemory(nodeHistoryFiles(path.join(folder, 'never-written'))).recall(), undefined);
    for (const text of ['', '{"id":', '[1,2]', '{"id":42}', 'null']) {
      await fsp.writeFile(path.join(folder, 'open-conversation.json'), text);
      assert.equal(await fileMemory(nodeHistoryFiles(folder)).recall(), undefined, JSON.stringify(text));
    }
  });

  it('does not fail the chat when the folder cannot be written', async () => {
    const blocked = path.join(folder, 'a-file');
    await fsp.writeFile(blocked, 'not a folder');
    const memory = fileMemory(nodeHistoryFiles(blocked));
    await memory.remember('c-1');
    assert.equal(await memory.recall(), undefined);
  });

  it('tries a failed write again when the same conversation is remembered next', async () => {
    const files = nodeHistoryFiles(folder);
    let failures = 1;
    const flaky = { ...files, write: async (name: string, text: string) => (failures-- > 0 ? Promise.reject(new Error('EIO')) : files.write(name, text)) };
    const memory = fileMemory(flaky);
    await memory.remember('c-1');
    assert.equal(await memory.recall(), undefined);
    await memory.remember('c-1');
    assert.equal(await memory.recall(), 'c-1');
    assert.deepEqual(await fsp.readdir(folder), ['open-conversation.json'], 'no temporary file is left behind');
  });

  it('uses the window state without a folder, writing only when the conversation changes', async () => {
    const values = new Map<string, unknown>();
    let writes = 0;
    const state: KeyValueState = {
      get: (key) => values.get(key),
      update: async (key, value) => {
        writes++;
        values.set(key, value);
      },
    };
    const memory = stateMemory(state);
    assert.equal(await memory.recall(), undefined);
    await memory.remember('c-1');
    await memory.remember('c-1');
    await memory.remember('c-2');
    assert.equal(writes, 2);
    assert.equal(await stateMemory(state).recall(), 'c-2');
    values.set('sonnet.openConversation', 7);
    assert.equal(await stateMemory(state).recall(), undefined);
  });
});
