import * as assert from 'node:assert/strict';
import type { UsageView } from '../../src/shared/protocol';
import { PromptRecall, recallDirection, type RecallContext } from '../../src/webview/promptRecall';
import { relativeTime } from '../../src/webview/relativeTime';
import { sumUsage } from '../../src/shared/usageSum';
import { totalText, usageText } from '../../src/webview/usage';

const usage = (credits: number, creditsSource: UsageView['creditsSource'] = 'provider'): UsageView => ({
  inputTokens: 1200,
  outputTokens: 34,
  credits,
  creditsSource,
});

describe('usage in the Chat view', () => {
  it("writes one answer's tokens and credits, marking computed credits as approximate", () => {
    assert.equal(usageText(usage(0.5)), '1,200 in · 34 out · 0.50 credits');
    assert.equal(usageText(usage(0.5, 'computed')), '1,200 in · 34 out · ≈0.50 credits');
  });

  it("sums a conversation's answers; computed if any answer's credits were", () => {
    assert.equal(sumUsage([]), undefined);
    assert.deepEqual(sumUsage([usage(0.25), usage(0.5)]), { inputTokens: 2400, outputTokens: 68, credits: 0.75, creditsSource: 'provider' });
    const mixed = sumUsage([usage(0.25), usage(0.5, 'computed'), usage(1)]);
    assert.equal(mixed?.creditsSource, 'computed');
    assert.equal(mixed?.credits, 1.75);
    assert.equal(totalText(mixed), 'This chat: ≈1.75');
  });
});

describe('relativeTime', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  const ago = (ms: number) => relativeTime(now - ms, now, 'en-US');
  const MIN = 60_000;

  it('says how long ago, in the largest unit that fits', () => {
    assert.equal(ago(0), 'just now');
    assert.equal(ago(59_000), 'just now');
    assert.equal(ago(MIN), '1 min ago');
    assert.equal(ago(59 * MIN), '59 min ago');
    assert.equal(ago(60 * MIN), '1 h ago');
    assert.equal(ago(23 * 60 * MIN), '23 h ago');
    assert.equal(ago(24 * 60 * MIN), 'yesterday');
    assert.equal(ago(2 * 24 * 60 * MIN), '2 days ago');
    assert.equal(ago(6 * 24 * 60 * MIN), '6 days ago');
  });

  it('gives the date beyond a week, and "just now" for a time in the future', () => {
    assert.equal(relativeTime(Date.UTC(2026, 0, 2, 12), now, 'en-US'), 'Jan 2, 2026');
    assert.equal(ago(-5 * MIN), 'just now');
  });
});

describe('PromptRecall', () => {
  it('goes back through sent prompts with previous() and forward to the draft with next()', () => {
    const recall = new PromptRecall(['one', 'two']);
    recall.remember('three');
    assert.equal(recall.previous('my draft'), 'three');
    assert.equal(recall.recalling, true);
    assert.equal(recall.previous('three'), 'two');
    assert.equal(recall.previous('two'), 'one');
    assert.equal(recall.previous('one'), undefined, 'nothing older than the oldest');
    assert.equal(recall.next(), 'two');
    assert.equal(recall.next(), 'three');
    assert.equal(recall.next(), 'my draft', 'past the newest comes back what the user had typed');
    assert.equal(recall.recalling, false);
    assert.equal(recall.next(), undefined);
  });

  it('has nothing to recall before anything was sent', () => {
    const recall = new PromptRecall();
    assert.equal(recall.previous(''), undefined);
    assert.equal(recall.recalling, false);
  });

  it('keeps a repeated prompt once, ignores blank ones, and keeps the last 50', () => {
    const recall = new PromptRecall();
    for (const text of ['a', 'a', '  ', 'b']) recall.remember(text);
    assert.deepEqual(recall.entries, ['a', 'b']);
    const many = new PromptRecall(Array.from({ length: 60 }, (_, i) => `p${i}`));
    many.remember('last');
    assert.equal(many.entries.length, 50);
    assert.equal(many.entries[0], 'p11');
    assert.equal(many.entries[49], 'last');
  });

  it('starts again from the newest after the user edits or sends', () => {
    const recall = new PromptRecall(['one', 'two']);
    recall.previous('');
    recall.previous('two');
    recall.reset();
    assert.equal(recall.previous('edited'), 'two');
    recall.remember('edited');
    assert.equal(recall.previous(''), 'edited');
  });
});

describe('recallDirection', () => {
  const at = (value: string, caret: number, recalling = false, end = caret): RecallContext => ({
    value,
    selectionStart: caret,
    selectionEnd: end,
    recalling,
  });

  it('recalls with Up in an empty box or with the caret at the very start', () => {
    assert.equal(recallDirection('ArrowUp', at('', 0)), 'previous');
    assert.equal(recallDirection('ArrowUp', at('some text', 0)), 'previous');
  });

  it('leaves Up and Down to the caret while the user edits their own text', () => {
    assert.equal(recallDirection('ArrowUp', at('some text', 4)), undefined);
    assert.equal(recallDirection('ArrowUp', at('line 1\nline 2', 10)), undefined);
    assert.equal(recallDirection('ArrowDown', at('some text', 9)), undefined);
    assert.equal(recallDirection('ArrowUp', at('some text', 0, false, 4)), undefined, 'a selection is being made');
    assert.equal(recallDirection('Enter', at('', 0)), undefined);
  });

  it('while recalling, moves between prompts from their first and last lines only', () => {
    assert.equal(recallDirection('ArrowUp', at('line 1\nline 2', 3, true)), 'previous');
    assert.equal(recallDirection('ArrowUp', at('line 1\nline 2', 10, true)), undefined);
    assert.equal(recallDirection('ArrowDown', at('line 1\nline 2', 10, true)), 'next');
    assert.equal(recallDirection('ArrowDown', at('line 1\nline 2', 3, true)), undefined);
  });
});
