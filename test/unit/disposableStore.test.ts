import * as assert from 'node:assert/strict';
import { DisposableStore, type Disposable } from '../../src/shared/disposableStore';

const toDisposable = (dispose: () => void): Disposable => ({ dispose });

describe('DisposableStore', () => {
  it('disposes what it holds once, newest first, and what is added after at once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('first')));
    store.add(toDisposable(() => order.push('second')));
    store.dispose();
    store.dispose();
    assert.deepEqual(order, ['second', 'first']);
    store.add(toDisposable(() => order.push('late')));
    assert.deepEqual(order, ['second', 'first', 'late']);
  });

  it('clear() empties it for reuse; a failing disposal still lets the others run, then throws', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('a')));
    store.add(toDisposable(() => {
      throw new Error('boom');
    }));
    assert.throws(() => store.clear(), /boom/);
    assert.deepEqual(order, ['a']);
    store.add(toDisposable(() => order.push('b')));
    store.clear();
    assert.deepEqual(order, ['a', 'b']);
  });
});
