import * as assert from 'node:assert/strict';
import { beforeDeadline, deadlineFor, withDeadline } from '../../src/tools/deadline';

describe("a search's one deadline", () => {
  it('says whether the user stopped or the time ran out, whichever came first', async () => {
    const abort = new AbortController();
    const stops = await Promise.all([
      withDeadline(abort.signal, 30, (deadline) => new Promise((resolve) => deadline.signal.addEventListener('abort', () => resolve(deadline.stop)))),
      withDeadline(abort.signal, 60_000, (deadline) => {
        const stopped = new Promise((resolve) => deadline.signal.addEventListener('abort', () => resolve(deadline.stop)));
        setTimeout(() => abort.abort(), 60);
        return stopped;
      }),
    ]);
    assert.deepEqual(stops, ['timedOut', 'aborted']);
  });

  it('leaves behind a call that ignores cancellation once the deadline passes', async () => {
    const abort = new AbortController();
    const deadline = deadlineFor(abort.signal, 60_000);
    try {
      const never = new Promise<string>(() => undefined);
      const waiting = beforeDeadline(never, deadline);
      abort.abort();
      assert.equal(await waiting, undefined);
    } finally {
      deadline.dispose();
    }
    assert.equal(await withDeadline(new AbortController().signal, 60_000, (fresh) => beforeDeadline(Promise.resolve('read'), fresh)), 'read');
  });
});
