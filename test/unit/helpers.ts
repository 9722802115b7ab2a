import * as assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src/api/errors';
import { MessagesClient, type ClientOptions } from '../../src/api/client';
import type { MessageRequest } from '../../src/api/types';
import type { ApprovalBroker } from '../../src/tools/approvals';
import type { ToolRegistry } from '../../src/tools/registry';
import type { ToolOutcome } from '../../src/tools/types';
import { MockProvider } from '../fixtures/mockProvider';

export const TEST_KEY = 'sk-test-0123456789abcdef';

export const REQUEST: MessageRequest = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
};

/** A client for the mock with waits short enough for tests and jitter that does not vary. */
export function clientFor(mock: MockProvider, options: Partial<ClientOptions> = {}): MessagesClient {
  return new MessagesClient({
    baseUrl: mock.url,
    apiKey: TEST_KEY,
    timeoutMs: 2_000,
    maxRetries: 2,
    backoff: { initialDelayMs: 5, maxDelayMs: 20, random: () => 0 },
    ...options,
  });
}

/** One mock provider for a whole `describe`, emptied between tests. */
export function useMockProvider(): () => MockProvider {
  let mock: MockProvider | undefined;
  before(async () => {
    mock = await MockProvider.start();
  });
  afterEach(() => mock?.reset());
  after(async () => {
    await mock?.close();
  });
  return () => mock!;
}

/** Asserts that the promise rejects with an `ApiError` and returns it. */
export async function rejectsWithApiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/**
 * Counts the timers that the client's own code (`src/api/`) has set and not yet cleared or fired,
 * to prove that a request leaves none behind. Node's HTTP stack and mocha keep timers of their own,
 * so a count of all timers would prove nothing.
 */
export function trackClientTimers(): { live(): Promise<number>; dispose(): void } {
  const timers = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout' && setByClientCode(new Error().stack ?? '')) timers.add(id);
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
  const live = async () => {
    // Node reports cleared timers to destroy hooks in a batch after the current turn of the loop.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    return timers.size;
  };
  return { live, dispose: () => hook.disable() };
}

/** The frame that called `setTimeout` itself (not one further up, such as the code that called fetch). */
function setByClientCode(stack: string): boolean {
  const frames = stack.split('\n');
  const at = frames.findIndex((frame) => /at (setTimeout|setInterval) /.test(frame));
  return at >= 0 && /[\\/]src[\\/]api[\\/]/.test(frames[at + 1] ?? '');
}

/** Waits for the event loop to settle, so closed sockets have been reaped. */
export async function settle(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A fresh folder on disk for each test of the suite, removed after it; call the result for its path. */
export function useTempFolder(prefix: string): () => string {
  let folder = '';
  beforeEach(async () => {
    folder = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fsp.rm(folder, { recursive: true, force: true }));
  return () => folder;
}

/**
 * Runs one tool call as the chat does; the user answers every question with `approve`, and
 * `meanwhile` runs as each is asked, before the answer.
 */
export async function callAnswering(
  tools: { registry: ToolRegistry; approvals: ApprovalBroker },
  name: string,
  input: unknown,
  approve: boolean,
  meanwhile: () => void = () => {},
): Promise<{ outcome: ToolOutcome; questions: string[] }> {
  const questions: string[] = [];
  const outcome = await tools.registry.run(
    { type: 'tool_use', id: 'toolu_call', name, input },
    {
      signal: new AbortController().signal,
      setStatus: (status, question) => {
        if (status !== 'awaitingApproval') return;
        questions.push(question ?? '');
        meanwhile();
        // The registry waits for the answer right after saying it waits.
        queueMicrotask(() => tools.approvals.answer('toolu_call', approve));
      },
    },
  );
  return { outcome, questions };
}
