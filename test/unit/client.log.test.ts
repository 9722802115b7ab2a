import * as assert from 'node:assert/strict';
import type { Logger } from '../../src/api/log';
import { providerError, sseReply } from '../fixtures/transcripts';
import { clientFor, REQUEST, rejectsWithApiError, TEST_KEY, useMockProvider } from './helpers';

/** Every line logged, with its level; `logLevel` as VS Code numbers it (1 Trace, 3 Info). */
function recordingLog(logLevel = 1): Logger & { lines: Array<{ level: string; text: string }> } {
  const lines: Array<{ level: string; text: string }> = [];
  const at = (level: string) => (message: string | Error, ...args: unknown[]) =>
    lines.push({ level, text: [message instanceof Error ? `${message.stack}` : message, ...args.map(String)].join(' ') });
  return { lines, logLevel, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('MessagesClient log', () => {
  const mock = useMockProvider();
  const PROMPT = 'What does the function frobnicateWidgets do?';
  const request = { ...REQUEST, messages: [{ role: 'user' as const, content: PROMPT }] };

  it('logs each request, its response and request id, a retry with its wait, and the outcome; never the key', async () => {
    mock().enqueue(providerError('rate_limit_exceeded'), sseReply({ blocks: [{ type: 'text', text: 'Answer text here' }] }, { headers: { 'request-id': 'req_01abc' } }));
    const log = recordingLog();
    await clientFor(mock(), { log }).createMessage(request);
    const visible = log.lines.filter((line) => line.level !== 'trace').map((line) => `${line.level} ${line.text}`);

    assert.match(visible[0], new RegExp(`^info POST /messages \\(${REQUEST.model}, 1 message, \\d+ bytes\\)$`));
    assert.ok(visible.some((line) => /^error Request failed after \d+ ms: 429 rate_limit_exceeded/.test(line)), visible.join('\n'));
    assert.ok(visible.some((line) => /^warn Retry 1 of 2 in \d+ ms$/.test(line)), visible.join('\n'));
    assert.ok(visible.some((line) => /^info POST \/messages .*, attempt 2$/.test(line)), visible.join('\n'));
    assert.ok(visible.some((line) => /^info Response 200, first byte after \d+ ms \(text\/event-stream.*\), request id req_01abc$/.test(line)), visible.join('\n'));
    assert.ok(visible.some((line) => /^info Answer complete in \d+ ms: end_turn, \d+ in \/ \d+ out tokens/.test(line)), visible.join('\n'));

    const all = log.lines.map((line) => line.text).join('\n');
    assert.ok(!all.includes(TEST_KEY), 'the key is never logged, at any level');
    assert.ok(!visible.join('\n').includes(PROMPT), 'message contents only at trace level');
    assert.ok(log.lines.some((line) => line.level === 'trace' && line.text.includes(PROMPT)), 'the request body at trace level');
  });

  it('builds no trace line at all when the user does not trace (a body may be megabytes)', async () => {
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'ok' }] }));
    const log = recordingLog(3);
    await clientFor(mock(), { log }).createMessage(request);
    assert.deepEqual(log.lines.filter((line) => line.level === 'trace'), []);
    assert.ok(log.lines.some((line) => line.level === 'info'));
  });

  it('logs a final failure with its stack, and a stop as a stop', async () => {
    mock().enqueue(providerError('invalid_api_key'));
    const log = recordingLog();
    await rejectsWithApiError(clientFor(mock(), { log }).createMessage(request));
    const failure = log.lines.find((line) => line.level === 'error');
    assert.match(failure?.text ?? '', /401 invalid_api_key/);
    assert.match(failure?.text ?? '', /\n\s+at /, 'with the stack');
    assert.ok(!log.lines.some((line) => line.level === 'warn'), 'no retry of a rejected key');
  });
});
