/**
 * Stream decode: the same 20,000-delta transcript, served by the mock from another process in one
 * write so that the client is the bottleneck, decoded and assembled into a message by our client, by
 * the official SDK, and by the least any client can do (fetch + eventsource-parser + JSON.parse).
 */
import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { createParser } from 'eventsource-parser';
import { MessagesClient } from '../../src/api/client';
import type { MessageRequest } from '../../src/api/types';
import { transcriptEvents } from '../../test/fixtures/transcripts';
import type { BenchContext, Figure } from '../lib/figure';
import { formatMs, formatRatio, verdict } from '../lib/report';
import { interleave, medianOf, pairedRatio } from '../lib/stats';
import { decodeScript, FULL_SCALE, MODELS, SMOKE_SCALE } from '../mock/scenarios';

const API_KEY = 'sk-bench-0123456789abcdef';

export const streamDecode: Figure = {
  name: 'decode',
  async run(context: BenchContext) {
    const { mock, smoke } = context;
    const scale = smoke ? SMOKE_SCALE : FULL_SCALE;
    const script = decodeScript(scale.decodeDeltas);
    const events = transcriptEvents(script);
    const deltas = events.filter((event) => event.event === 'content_block_delta').length;
    const request: MessageRequest = { model: MODELS.decode, max_tokens: 8192, messages: [{ role: 'user', content: 'Write the notes.' }] };

    const ours = new MessagesClient({ baseUrl: mock.url, apiKey: API_KEY, timeoutMs: 60_000, maxRetries: 0 });
    const sdk = new Anthropic({ apiKey: API_KEY, baseURL: mock.origin, maxRetries: 0 });
    const variants = {
      ours: async () => (await ours.createMessage(request)).message,
      sdk: () => sdk.messages.stream(request as Anthropic.MessageCreateParams).finalMessage(),
      floor: () => decodeAtTheFloor(`${mock.url}/messages`, request),
    };

    // All three must do the whole work on the same bytes before their times mean anything.
    const expected = script.blocks.map((block) => (block.type === 'text' ? block.text : block.type === 'thinking' ? block.thinking : ''));
    const texts = (message: { content: Array<{ type: string; text?: string; thinking?: string }> }) =>
      message.content.map((block) => block.text ?? block.thinking ?? '');
    const [ourMessage, sdkMessage] = [await variants.ours(), await variants.sdk()];
    assert.deepEqual(texts(ourMessage), expected, 'our client assembled a different message');
    assert.deepEqual(texts(sdkMessage), expected, 'the SDK assembled a different message');
    assert.deepEqual((ourMessage.content[2] as { input: unknown }).input, (script.blocks[2] as { input: unknown }).input);
    assert.equal(await variants.floor(), events.length, 'the floor saw a different number of events');

    const rounds = smoke ? { rounds: 2, warmup: 1 } : { rounds: 15, warmup: 3 };
    context.log(`decode: ${deltas} deltas, ${rounds.rounds} rounds`);
    const samples = await interleave(variants, rounds);
    const cpu = { ours: medianOf(samples.ours, 'cpuMs'), sdk: medianOf(samples.sdk, 'cpuMs'), floor: medianOf(samples.floor, 'cpuMs') };
    const wall = { ours: medianOf(samples.ours, 'wallMs'), sdk: medianOf(samples.sdk, 'wallMs'), floor: medianOf(samples.floor, 'wallMs') };
    const speedup = pairedRatio(samples.sdk, samples.ours, 'cpuMs');
    const overFloor = pairedRatio(samples.ours, samples.floor, 'cpuMs');
    return {
      name: this.name,
      rows: [
        {
          figure: `stream decode, ${deltas.toLocaleString('en')} deltas (CPU)`,
          ours: formatMs(cpu.ours),
          reference: `SDK ${formatMs(cpu.sdk)}`,
          ratio: `${formatRatio(speedup)} faster`,
          goal: '≥ 1.5x faster than the SDK',
          pass: verdict(smoke, speedup >= 1.5),
        },
        {
          figure: 'stream decode vs floor (CPU)',
          ours: formatMs(cpu.ours),
          reference: `floor ${formatMs(cpu.floor)}`,
          ratio: formatRatio(overFloor),
          goal: '≤ 1.3x the floor',
          pass: verdict(smoke, overFloor <= 1.3),
        },
      ],
      details: { deltas, events: events.length, rounds, medianCpuMs: cpu, medianWallMs: wall, samples },
    };
  },
};

/** The least work a client can do: read the body, split it into events, parse each one's JSON. */
async function decodeAtTheFloor(url: string, request: MessageRequest): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  let events = 0;
  const parser = createParser({
    onEvent: (event) => {
      JSON.parse(event.data);
      events++;
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
  return events;
}
