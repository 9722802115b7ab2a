import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { fakeVscode, provideVscodeModule } from '../fixtures/fakeVscode';

/** The bridges between abort signals and VS Code's tokens leave no listener behind once disposed. */
describe('cancellation bridges', () => {
  const vscode = fakeVscode();
  provideVscodeModule(vscode.api);
  // Loaded only now: the module imports `vscode`, which exists from the line above.
  const load = () => import('../../src/tools/vscode/cancellation');

  it('a token per tool call on one signal leaves no abort listener behind (no MaxListenersExceededWarning)', async () => {
    const { tokenFor } = await load();
    const turn = new AbortController();
    for (let call = 0; call < 20; call++) tokenFor(turn.signal).dispose();
    assert.equal(getEventListeners(turn.signal, 'abort').length, 0);
  });

  it('the token follows the signal while it is in use, and starts cancelled for an aborted one', async () => {
    const { tokenFor } = await load();
    const turn = new AbortController();
    const bridge = tokenFor(turn.signal);
    assert.equal(bridge.token.isCancellationRequested, false);
    turn.abort();
    assert.equal(bridge.token.isCancellationRequested, true);
    bridge.dispose();
    assert.equal(tokenFor(turn.signal).token.isCancellationRequested, true);
  });

  it('a signal per token stops listening to the token once disposed', async () => {
    const { signalFor } = await load();
    const source = new vscode.api.CancellationTokenSource();
    for (let call = 0; call < 20; call++) signalFor(source.token).dispose();
    assert.equal(source.listenerCount, 0);
    const bridge = signalFor(source.token);
    source.cancel();
    assert.equal(bridge.signal.aborted, true);
  });
});
