/**
 * Time to first token: from the prompt handed to the chat until its first text delta is handed to the
 * view, against a bare fetch that only waits for the same bytes. The mock sends the first delta in its
 * first write and the rest a pause later, so both measure the same wait.
 */
import type { MessageRequest } from '../../src/api/types';
import { MessagesClient } from '../../src/api/client';
import type { HostToWebview } from '../../src/shared/protocol';
import { chatRig } from '../lib/chatRig';
import type { BenchContext, Figure } from '../lib/figure';
import { formatDifference, formatMs, formatRatio, verdict } from '../lib/report';
import { interleave, median } from '../lib/stats';
import { MODELS } from '../mock/scenarios';

const API_KEY = 'sk-bench-0123456789abcdef';
const GOAL_MS = 2;

export const firstToken: Figure = {
  name: 'first-token',
  async run(context: BenchContext) {
    const { mock, smoke } = context;
    const request: MessageRequest = { model: MODELS.firstToken, max_tokens: 8192, messages: [{ role: 'user', content: 'Hello' }] };
    const latency = { view: [] as number[], client: [] as number[], fetch: [] as number[] };

    let sentAt = 0;
    let firstDeltaAt = 0;
    const rig = chatRig(mock.url, MODELS.firstToken, (message: HostToWebview) => {
      if (message.type === 'textDelta' && firstDeltaAt === 0) firstDeltaAt = performance.now();
    });
    const client = new MessagesClient({ baseUrl: mock.url, apiKey: API_KEY, timeoutMs: 60_000, maxRetries: 0 });

    const variants = {
      view: async () => {
        firstDeltaAt = 0;
        rig.controller.newChat();
        sentAt = performance.now();
        await rig.ask('Hello');
        latency.view.push(firstDeltaAt - sentAt);
      },
      client: async () => {
        let first = 0;
        const start = performance.now();
        await client.createMessage(request, { handlers: { onTextDelta: () => (first ||= performance.now()) } });
        latency.client.push(first - start);
      },
      fetch: async () => latency.fetch.push(await bareFirstEvent(`${mock.url}/messages`, request)),
    };
    const rounds = smoke ? { rounds: 3, warmup: 1 } : { rounds: 40, warmup: 5 };
    context.log(`first token: ${rounds.rounds} rounds`);
    await interleave(variants, rounds);
    // The warm-up rounds pushed latencies too: only the measured rounds count.
    const measured = (values: number[]) => median(values.slice(-rounds.rounds));
    const view = measured(latency.view);
    const direct = measured(latency.client);
    const bare = measured(latency.fetch);
    const row = (figure: string, ours: number) => ({
      figure,
      ours: formatMs(ours),
      reference: `bare fetch ${formatMs(bare)}`,
      ratio: `${formatRatio(ours / bare)} (${formatDifference(ours - bare)})`,
      goal: `≤ ${GOAL_MS} ms above`,
      pass: verdict(smoke, ours - bare <= GOAL_MS),
    });
    return {
      name: this.name,
      rows: [row('first token → view (chat + coalescer)', view), row('first token → client onTextDelta', direct)],
      details: { rounds, medianMs: { view, client: direct, fetch: bare }, latencyMs: latency },
    };
  },
};

/** Milliseconds from sending the request until the first text delta's bytes have all arrived. */
async function bareFirstEvent(url: string, request: MessageRequest): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let received = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended before its first text delta');
    received += decoder.decode(value, { stream: true });
    const delta = received.indexOf('text_delta');
    if (delta >= 0 && received.indexOf('\n\n', delta) >= 0) break;
  }
  const elapsed = performance.now() - start;
  // Read to the end, as our client does, so both leave the connection in the pool for the next round.
  while (!(await reader.read()).done);
  return elapsed;
}
