import * as assert from 'node:assert/strict';
import type { HostToWebview } from '../../src/shared/protocol';
import { DeltaCoalescer } from '../../src/shared/deltaCoalescer';

const INTERVAL_MS = 5;
const afterInterval = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 4));
const text = (value: string): HostToWebview => ({ type: 'textDelta', turnId: 't', index: 0, text: value });

describe('DeltaCoalescer', () => {
  it('sends the first delta of a burst at once, so the first word is not held back', () => {
    const sent: HostToWebview[] = [];
    const coalescer = new DeltaCoalescer((message) => sent.push(message), INTERVAL_MS);
    coalescer.post(text('Hel'));
    assert.deepEqual(sent, [text('Hel')]);
    coalescer.discard();
  });

  it('merges the deltas that follow within the interval into one message when it ends', async () => {
    const sent: HostToWebview[] = [];
    const coalescer = new DeltaCoalescer((message) => sent.push(message), INTERVAL_MS);
    for (const piece of ['a', 'b', 'c', 'd']) coalescer.post(text(piece));
    assert.deepEqual(sent, [text('a')]);
    await afterInterval();
    assert.deepEqual(sent, [text('a'), text('bcd')]);
  });

  it('after a quiet interval, sends the next delta at once again', async () => {
    const sent: HostToWebview[] = [];
    const coalescer = new DeltaCoalescer((message) => sent.push(message), INTERVAL_MS);
    coalescer.post(text('a'));
    await afterInterval();
    await afterInterval();
    coalescer.post(text('b'));
    assert.deepEqual(sent, [text('a'), text('b')]);
    coalescer.discard();
  });

  it('drops the pending delta on discard (the snapshot that follows holds it)', async () => {
    const sent: HostToWebview[] = [];
    const coalescer = new DeltaCoalescer((message) => sent.push(message), INTERVAL_MS);
    coalescer.post(text('a'));
    coalescer.post(text('b'));
    coalescer.discard();
    await afterInterval();
    assert.deepEqual(sent, [text('a')]);
  });
});
