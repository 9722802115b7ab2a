import * as assert from 'node:assert/strict';
import { parseWebviewMessage, type TurnView, type UsageView } from '../../src/shared/protocol';
import { fittingTurnCount, latestTurns, turnSize } from '../../src/shared/turnWindow';

const WINDOW = { turns: 3, chars: 100 };

function usage(credits: number, creditsSource: UsageView['creditsSource'] = 'provider'): UsageView {
  return { inputTokens: 10, outputTokens: 5, credits, creditsSource };
}

function turn(id: string, answer: string, credits?: number): TurnView {
  return { id, prompt: { text: 'Why?' }, answer: { status: 'done', blocks: [{ kind: 'text', text: answer }], ...(credits === undefined ? {} : { usage: usage(credits) }) } };
}

describe('the turn window (which turns the Chat view shows)', () => {
  it('counts the text a turn shows: prompt, answer and reasoning, not tool calls', () => {
    const view: TurnView = {
      id: 't',
      prompt: { text: 'abc' },
      answer: {
        status: 'done',
        blocks: [
          { kind: 'thinking', text: '12345' },
          { kind: 'text', text: '1234567' },
          { kind: 'toolUse', call: { id: 'c', name: 'read_file', summary: 'a.ts', input: '{}', status: 'done', changesFiles: false } },
          { kind: 'redactedThinking' },
        ],
      },
    };
    assert.equal(turnSize(view), 15);
  });

  it('shows the latest turns up to the number of turns or of characters, whichever comes first', () => {
    assert.equal(fittingTurnCount([], WINDOW), 0);
    assert.equal(fittingTurnCount([10, 10], WINDOW), 2);
    assert.equal(fittingTurnCount([10, 10, 10, 10, 10], WINDOW), 3);
    assert.equal(fittingTurnCount([60, 30, 30, 30], WINDOW), 3);
    assert.equal(fittingTurnCount([30, 30, 50], WINDOW), 2);
    assert.equal(fittingTurnCount([50, 50], WINDOW), 2, 'exactly full');
  });

  it('always shows the last turn, however long', () => {
    assert.equal(fittingTurnCount([10, 10, 500], WINDOW), 1);
    assert.equal(fittingTurnCount([500], WINDOW), 1);
  });

  it('sends a short conversation whole, with nothing before it', () => {
    const turns = [turn('a', 'x'), turn('b', 'y')];
    assert.deepEqual(latestTurns(turns, WINDOW), { turns });
  });

  it('sends the latest turns of a long one, with the count and usage of those before', () => {
    const turns = [turn('a', 'x'.repeat(60), 0.5), turn('b', 'x'.repeat(60)), turn('c', 'x'.repeat(60), 0.25), turn('d', 'x', 1)];
    const { turns: shown, earlier } = latestTurns(turns, WINDOW);
    assert.deepEqual(
      shown.map((t) => t.id),
      ['c', 'd'],
    );
    assert.deepEqual(earlier, { count: 2, usage: usage(0.5) });
  });

  it('leaves the usage out when none of the earlier turns has one', () => {
    const turns = [turn('a', 'x'.repeat(200)), turn('b', 'x'.repeat(200))];
    assert.deepEqual(latestTurns(turns, WINDOW).earlier, { count: 1 });
  });

  it('accepts a request for the earlier turns from the view, and nothing malformed', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'showEarlierTurns', before: 'c:3', extra: true }), { type: 'showEarlierTurns', before: 'c:3' });
    assert.equal(parseWebviewMessage({ type: 'showEarlierTurns' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'showEarlierTurns', before: 3 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'showEarlierTurns', before: 'x'.repeat(5000) }), undefined);
  });
});
