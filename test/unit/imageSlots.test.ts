import * as assert from 'node:assert/strict';
import { ImageSlots } from '../../src/webview/imageSlots';

describe("the page's image slots", () => {
  it('a slot is freed by the host’s answer whatever it is, so duplicates never fill the message', () => {
    let chips = 0;
    const slots = new ImageSlots(() => chips);
    // The same image pasted 30 times: the host answers "already attached" and no chip comes.
    assert.ok(slots.take());
    chips = 1;
    slots.release();
    for (let i = 0; i < 30; i++) {
      assert.ok(slots.take(), `paste ${i + 2} was refused`);
      slots.release();
    }
    // Then 19 others fit, in one burst before any answer, and the 20th does not.
    for (let i = 0; i < 19; i++) assert.ok(slots.take(), `image ${i + 2} was refused`);
    assert.ok(!slots.take());
    chips = 20;
    for (let i = 0; i < 19; i++) slots.release();
    assert.ok(!slots.take(), 'twenty chips: no room');
    chips = 19;
    assert.ok(slots.take());
  });
});
