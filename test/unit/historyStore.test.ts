import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Conversation } from '../../src/chat/conversation';
import { plainPrompt } from '../../src/chat/prompts';
import { HistoryStore, type HistoryFiles } from '../../src/history/historyStore';
import { nodeHistoryFiles } from '../../src/history/nodeHistoryFiles';
import { sampleConversation } from '../fixtures/conversations';
import { useTempFolder } from './helpers';

/**
 * The history's folder in memory. A write lands piece by piece (half, then the rest) and can be made
 * to fail after its first half, or to wait until the test lets it finish, to stage torn and
 * out-of-order writes.
 */
class MemoryFiles implements HistoryFiles {
  readonly contents = new Map<string, string>();
  failWrites: ((name: string) => boolean) | undefined;
  stallWrites: ((name: string) => Promise<void>) | undefined;

  async read(name: string) {
    return this.contents.get(name);
  }
  async write(name: string, text: string) {
    this.contents.set(name, text.slice(0, text.length / 2));
    if (this.failWrites?.(name)) throw new Error('disk full');
    await this.stallWrites?.(name);
    this.contents.set(name, text);
  }
  async rename(from: string, to: string) {
    const text = this.contents.get(from);
    if (text === undefined) throw new Error(`no ${from}`);
    this.contents.delete(from);
    this.contents.set(to, text);
  }
  async remove(name: string) {
    this.contents.delete(name);
  }
  async list() {
    return [...this.contents.keys()];
  }
}

function conversationWith(...prompts: string[]): Conversation {
  const conversation = new Conversation();
  for (const prompt of prompts) {
    const turn = conversation.addTurn(plainPrompt(prompt));
    turn.answer = { status: 'done', blocks: [{ kind: 'text', text: `answer to ${prompt}` }] };
    conversation.commit(turn, [{ role: 'assistant', content: [{ type: 'text', text: `answer to ${prompt}` }] }]);
  }
  return conversation;
}

function setup() {
  const files = new MemoryFiles();
  let clock = 1000;
  const store = new HistoryStore(files, () => ++clock);
  return { files, store };
}

async function loaded(store: HistoryStore, id: string): Promise<Conversation> {
  const result = await store.load(id);
  assert.ok(result.ok, result.ok ? '' : `${result.problem}: ${result.detail}`);
  return result.conversation;
}

describe('HistoryStore', () => {
  it('saves and loads a conversation, and lists conversations newest first', async () => {
    const { store } = setup();
    const original = sampleConversation();
    const other = conversationWith('hello');
    await store.save(original);
    await store.save(other);
    const restored = await loaded(store, original.id);
    assert.deepEqual(restored.messages, original.messages);
    assert.deepEqual(restored.turns, original.turns);
    const list = await store.list();
    assert.deepEqual(list.map((s) => [s.id, s.title, s.turnCount]), [[other.id, 'hello', 1], [original.id, 'My chat', 2]]);
    assert.ok(list[0].updatedAt > list[1].updatedAt);
  });

  it('does not save a conversation before its first prompt', async () => {
    const { store, files } = setup();
    assert.equal(await store.save(new Conversation()), undefined);
    assert.equal(files.contents.size, 0);
  });

  it('skips a corrupt file, keeps it aside, and still lists the others', async () => {
    const { store, files } = setup();
    const good = conversationWith('good');
    const bad = conversationWith('bad');
    const newer = conversationWith('from the future');
    await store.save(good);
    // Another window (or an older index) has not listed these yet, so listing reads them.
    files.contents.set(`conversation-${bad.id}.json`, '{"version": 1, "id": "');
    files.contents.set(`conversation-${newer.id}.json`, JSON.stringify({ version: 99, id: newer.id }));
    const list = await store.list();
    assert.deepEqual(list.map((s) => s.id), [good.id]);
    const aside = [...files.contents.keys()].filter((name) => name.includes('.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(files.contents.get(aside[0]), '{"version": 1, "id": "');
    assert.ok(files.contents.has(`conversation-${newer.id}.json`), 'a later version’s file is left where it is');
    assert.deepEqual((await loaded(store, good.id)).messages, good.messages);
  });

  it('lists the others when one file cannot be read or set aside', async () => {
    const { store, files } = setup();
    const good = conversationWith('good');
    await store.save(good);
    const locked = conversationWith('locked');
    const stuck = conversationWith('stuck');
    files.contents.set(`conversation-${locked.id}.json`, JSON.stringify({ version: 1 }));
    files.contents.set(`conversation-${stuck.id}.json`, '{');
    const read = files.read.bind(files);
    files.read = async (name) => (name.includes(locked.id) ? Promise.reject(new Error('EACCES: permission denied')) : read(name));
    files.rename = async () => Promise.reject(new Error('EROFS: read-only file system'));
    assert.deepEqual((await store.list()).map((s) => s.id), [good.id]);
  });

  it('reports a listed conversation whose file turns out corrupt, and drops it from the list', async () => {
    const { store, files } = setup();
    const conversation = conversationWith('one');
    await store.save(conversation);
    files.contents.set(`conversation-${conversation.id}.json`, JSON.stringify({ version: 1, id: conversation.id, turns: 3 }));
    const result = await store.load(conversation.id);
    assert.ok(!result.ok && result.problem === 'corrupt');
    assert.match(result.detail, /createdAt/);
    assert.ok(result.keptAs && files.contents.has(result.keptAs));
    assert.deepEqual(await store.list(), []);
  });

  it('keeps the saved version and the other conversations when a write fails', async () => {
    const { store, files } = setup();
    const conversation = conversationWith('first');
    const other = conversationWith('other');
    await store.save(conversation);
    await store.save(other);
    const before = new Map(files.contents);
    conversation.addTurn(plainPrompt('second'));
    files.failWrites = (name) => name.startsWith(`conversation-${conversation.id}`);
    await assert.rejects(store.save(conversation), /disk full/);
    assert.deepEqual(files.contents, before, 'nothing changed, no temporary file left');
    assert.equal((await loaded(store, conversation.id)).turns.length, 1);
    files.failWrites = undefined;
    await store.save(conversation);
    assert.equal((await loaded(store, conversation.id)).turns.length, 2);
  });

  it('lets the last of concurrent saves of one conversation win, with no torn file', async () => {
    const { store, files } = setup();
    const conversation = conversationWith('0');
    // Each write waits a different time, so out of order they would finish with an older version.
    let delay = 20;
    files.stallWrites = () => new Promise((resolve) => setTimeout(resolve, (delay = (delay * 7) % 23)));
    const saves = [];
    for (let round = 1; round <= 8; round++) {
      conversation.addTurn(plainPrompt(String(round)));
      saves.push(store.save(conversation));
    }
    await Promise.all(saves);
    assert.equal((await loaded(store, conversation.id)).turns.length, 9);
    assert.deepEqual([...files.contents.keys()].sort(), [`conversation-${conversation.id}.json`, 'index.json']);
    assert.equal((await store.list())[0].turnCount, 9);
  });

  it('deletes a conversation, and a turn finishing afterwards does not bring it back', async () => {
    const { store, files } = setup();
    const kept = conversationWith('kept');
    const deleted = conversationWith('deleted');
    await store.save(kept);
    await store.save(deleted);
    await store.delete(deleted.id);
    await store.save(deleted);
    assert.deepEqual((await store.list()).map((s) => s.id), [kept.id]);
    assert.ok(!files.contents.has(`conversation-${deleted.id}.json`));
    const result = await store.load(deleted.id);
    assert.ok(!result.ok && result.problem === 'missing');
  });

  it('renames a conversation, keeping its place in the list', async () => {
    const { store } = setup();
    const older = conversationWith('older');
    const newer = conversationWith('newer');
    await store.save(older);
    await store.save(newer);
    const before = await store.list();
    const result = await store.rename(older.id, '  Debounce\nnotes ');
    assert.ok(result.ok);
    const after = await store.list();
    assert.deepEqual(after.map((s) => s.id), before.map((s) => s.id));
    assert.equal(after[1].title, 'Debounce notes');
    assert.equal(after[1].updatedAt, before[1].updatedAt);
    assert.equal((await loaded(store, older.id)).title, 'Debounce notes');
    await store.rename(older.id, '   ');
    assert.equal((await store.list())[1].title, 'older', 'an empty title falls back to the first prompt');
  });

  it('rebuilds a corrupt or stale index from the conversation files', async () => {
    const { store, files } = setup();
    const a = conversationWith('a');
    const b = conversationWith('b');
    await store.save(a);
    await store.save(b);
    files.contents.set('index.json', 'not json');
    assert.deepEqual((await store.list()).map((s) => s.id).sort(), [a.id, b.id].sort());
    // Another window rewrote the index without `b`, and listed one that is gone.
    files.contents.set('index.json', JSON.stringify({ version: 1, conversations: [{ id: a.id, title: 'a', updatedAt: 1, turnCount: 1 }, { id: 'gone', title: 'x', updatedAt: 2, turnCount: 1 }] }));
    assert.deepEqual((await store.list()).map((s) => s.id).sort(), [a.id, b.id].sort());
    assert.ok(!JSON.parse(files.contents.get('index.json')!).conversations.some((s: { id: string }) => s.id === 'gone'));
  });

  describe('on disk', () => {
    const tempFolder = useTempFolder('sonnet-history-');
    let folder: string;
    beforeEach(() => (folder = tempFolder()));

    it('creates its folder, and keeps the last of many concurrent saves whole', async () => {
      const store = new HistoryStore(nodeHistoryFiles(path.join(folder, 'history')));
      const conversation = conversationWith('start');
      const saves = [];
      for (let round = 0; round < 25; round++) {
        conversation.addTurn(plainPrompt('x'.repeat(10_000)));
        saves.push(store.save(conversation));
      }
      await Promise.all(saves);
      const names = await fsp.readdir(path.join(folder, 'history'));
      assert.deepEqual(names.sort(), [`conversation-${conversation.id}.json`, 'index.json']);
      const restored = await new HistoryStore(nodeHistoryFiles(path.join(folder, 'history'))).load(conversation.id);
      assert.ok(restored.ok && restored.conversation.turns.length === 26);
    });

    it('refuses ids that are not conversation ids, which could name files outside its folder', async () => {
      const store = new HistoryStore(nodeHistoryFiles(path.join(folder, 'history')));
      await store.save(conversationWith('kept'));
      const outside = path.join(folder, 'outside.json');
      await fsp.writeFile(outside, '{}');
      for (const id of ['x/../../outside', '../outside', '']) {
        const loaded = await store.load(id);
        assert.ok(!loaded.ok && loaded.problem === 'missing', id);
        const renamed = await store.rename(id, 'x');
        assert.ok(!renamed.ok && renamed.problem === 'missing', id);
        await store.delete(id);
      }
      assert.equal(await fsp.readFile(outside, 'utf8'), '{}');
      assert.deepEqual((await fsp.readdir(folder)).sort(), ['history', 'outside.json']);
    });

    it('lists nothing, without creating anything, when no conversation was ever saved', async () => {
      const store = new HistoryStore(nodeHistoryFiles(path.join(folder, 'history')));
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await fsp.readdir(folder), []);
    });
  });
});
