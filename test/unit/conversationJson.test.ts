import * as assert from 'node:assert/strict';
import { Conversation } from '../../src/chat/conversation';
import { CONVERSATION_FORMAT_VERSION, parseSavedConversation, shortenTitle, summaryOf, toSavedConversation } from '../../src/chat/conversationJson';
import { plainPrompt } from '../../src/chat/prompts';
import { sampleConversation } from '../fixtures/conversations';
import { pngHeader } from '../fixtures/pngHeader';

function roundTrip(conversation: Conversation) {
  const parsed = parseSavedConversation(JSON.stringify(toSavedConversation(conversation, 1234)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.detail);
  return parsed;
}

describe('conversation JSON', () => {
  it('round-trips turns, the model-facing messages (blocks kept as they are), title and calibration', () => {
    const original = sampleConversation();
    const { conversation, updatedAt } = roundTrip(original);
    assert.equal(updatedAt, 1234);
    assert.equal(conversation.id, original.id);
    assert.equal(conversation.createdAt, original.createdAt);
    assert.equal(conversation.title, 'My chat');
    assert.deepEqual(conversation.calibration, original.calibration);
    assert.deepEqual(conversation.messages, original.messages);
    assert.deepEqual(conversation.turns, original.turns);
  });

  it("keeps the conversation's choice of extended thinking, and its absence", () => {
    for (const thinking of [true, false, undefined]) {
      const original = sampleConversation();
      original.thinking = thinking;
      assert.equal(roundTrip(original).conversation.thinking, thinking);
    }
    const saved = { ...toSavedConversation(sampleConversation(), 1), thinking: 'yes' };
    const parsed = parseSavedConversation(JSON.stringify(saved));
    assert.ok(!parsed.ok && /thinking is not true or false/.test(parsed.detail));
  });

  it('continues a restored conversation: new turns get new ids and join the history', () => {
    const { conversation } = roundTrip(sampleConversation());
    const turn = conversation.addTurn(plainPrompt('third'));
    assert.equal(new Set(conversation.turns.map((t) => t.id)).size, 3);
    conversation.commit(turn, [{ role: 'assistant', content: [{ type: 'text', text: 'third answer' }] }]);
    assert.equal(conversation.messages.length, 6);
    assert.deepEqual(conversation.messages.at(-2), { role: 'user', content: 'third' });
  });

  it('brings back an answer that was streaming when saved as stopped, and its pending tool calls as cancelled', () => {
    const conversation = new Conversation();
    const turn = conversation.addTurn(plainPrompt('hi'));
    turn.answer.blocks.push({ kind: 'text', text: 'Hel' }, { kind: 'toolUse', call: { id: 't', name: 'edit', summary: '', input: '{}', status: 'awaitingApproval', changesFiles: true } });
    const restored = roundTrip(conversation).conversation.turns[0];
    assert.equal(restored.answer.status, 'stopped');
    assert.match(restored.answer.note ?? '', /closed before this answer finished/);
    assert.equal((restored.answer.blocks[1] as { call: { status: string } }).call.status, 'cancelled');
  });

  it('says what is wrong with a file of the wrong shape, and recognises one from a later version', () => {
    const saved = toSavedConversation(sampleConversation(), 1) as unknown as Record<string, any>;
    const cases: [unknown, RegExp][] = [
      [{ ...saved, turns: 'x' }, /turns is not a list/],
      [{ ...saved, id: '../../etc/passwd' }, /id is not a conversation id/],
      [{ ...saved, messages: [{ role: 'system', content: 'x' }] }, /messages\[0\]\.role/],
      [{ ...saved, messages: [{ role: 'user', content: [{ text: 'no type' }] }] }, /messages\[0\]\.content\[0\]\.type/],
      [{ ...saved, turns: [{ ...saved.turns[0], answer: { ...saved.turns[0].answer, blocks: [{ kind: 'script' }] } }] }, /turns\[0\]\.answer\.blocks\[0\]/],
      [{ ...saved, turns: [{ ...saved.turns[0], answer: { ...saved.turns[0].answer, error: { title: 't', message: 'm', actions: ['rm -rf'] } } }] }, /actions\[0\]/],
      [{ ...saved, version: 0 }, /unknown format version/],
      [[], /the file is not an object/],
    ];
    for (const [value, expected] of cases) {
      const parsed = parseSavedConversation(JSON.stringify(value));
      assert.ok(!parsed.ok && parsed.problem === 'corrupt', JSON.stringify(value).slice(0, 80));
      assert.match(parsed.detail, expected);
    }
    const truncated = parseSavedConversation('{"version": 1, "id": ');
    assert.ok(!truncated.ok && truncated.problem === 'corrupt');
    assert.match(truncated.detail, /not JSON/);
    const newer = parseSavedConversation(JSON.stringify({ ...saved, version: CONVERSATION_FORMAT_VERSION + 1 }));
    assert.ok(!newer.ok && newer.problem === 'newer');
  });

  it('titles a conversation by its first prompt, on one shortened line', () => {
    const conversation = new Conversation();
    assert.equal(summaryOf(conversation, 1).title, 'New chat');
    conversation.addTurn(plainPrompt('  How do I\n\ndebounce `fn`?  '));
    assert.deepEqual(summaryOf(conversation, 7), { id: conversation.id, title: 'How do I debounce fn?', updatedAt: 7, turnCount: 1 });
    const long = shortenTitle('word '.repeat(40)) ?? '';
    assert.ok(long.length <= 80 && long.endsWith('…') && !long.includes(' …'), long);
    assert.equal(shortenTitle(' \n '), undefined);
  });
});

describe('conversation JSON: compactions', () => {
  function compacted() {
    const conversation = sampleConversation();
    conversation.turns[0].compaction = { coveredMessages: 0, coveredTurns: 0, summary: 'nothing yet', usage: { inputTokens: 10, outputTokens: 5, credits: 0.01, creditsSource: 'computed' } };
    conversation.lastRequestTokens = 1234;
    return conversation;
  }

  it('keeps a compaction and the last request\'s tokens, so a reopened conversation sends the same context', () => {
    const conversation = compacted();
    const parsed = parseSavedConversation(JSON.stringify(toSavedConversation(conversation, 1)));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.conversation.turns[0].compaction, conversation.turns[0].compaction);
    assert.equal(parsed.conversation.lastRequestTokens, 1234);
    assert.deepEqual(parsed.conversation.sentHistory(), conversation.sentHistory());
  });

  it('still loads a file of format 1, which has no compactions', () => {
    const saved = { ...toSavedConversation(sampleConversation(), 1), version: 1 };
    const parsed = parseSavedConversation(JSON.stringify(saved));
    assert.ok(parsed.ok);
    assert.equal(parsed.conversation.latestCompaction(), undefined);
    assert.equal(parsed.conversation.turns.length, sampleConversation().turns.length);
  });

  it('is written as format 1 unless it holds a compaction, the last request\'s tokens or an image, so an earlier version still opens it', () => {
    assert.equal(toSavedConversation(sampleConversation(), 1).version, 1);
    const withTokens = sampleConversation();
    withTokens.lastRequestTokens = 10;
    assert.equal(toSavedConversation(withTokens, 1).version, CONVERSATION_FORMAT_VERSION);
    const withCompaction = compacted();
    withCompaction.lastRequestTokens = undefined;
    assert.equal(toSavedConversation(withCompaction, 1).version, CONVERSATION_FORMAT_VERSION);
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: pngHeader(2, 2).toString('base64') } };
    const withPromptImage = sampleConversation();
    withPromptImage.turns[0].prompt.images = [{ file: `${'a'.repeat(64)}.png`, name: 'a.png', width: 2, height: 2, mediaType: 'image/png', data: image.source.data }];
    assert.equal(toSavedConversation(withPromptImage, 1).version, CONVERSATION_FORMAT_VERSION);
    const withToolImage = sampleConversation();
    withToolImage.messages.push(
      { role: 'user', content: 'read it' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'i', name: 'read_file', input: { path: 'a.png' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'i', content: [{ type: 'text', text: 'Image' }, image] }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a dot' }] },
    );
    assert.equal(toSavedConversation(withToolImage, 1).version, CONVERSATION_FORMAT_VERSION);
    assert.ok(roundTrip(withToolImage).conversation.messages.length > 0, 'format 2 still loads');
  });

  it('refuses a compaction that would cut a turn in two', () => {
    const saved = toSavedConversation(compacted(), 1) as unknown as Record<string, any>;
    saved.turns[0].compaction.coveredMessages = 1;
    const parsed = parseSavedConversation(JSON.stringify(saved));
    assert.ok(!parsed.ok && parsed.problem === 'corrupt');
    assert.match(parsed.detail, /compaction\.coveredMessages does not end at a turn/);
  });
});
