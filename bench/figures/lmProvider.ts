/**
 * The language model provider's overhead: a conversation another extension sends through
 * `vscode.lm` (plain parts, tools with names to clean), mapped to a Messages API request and streamed
 * back as parts, against our client sent the same request directly. First token and whole answer,
 * rounds interleaved, in plain Node: what VS Code adds between the two extension hosts' sides is the
 * same for every provider and is not ours to measure.
 */
import { MessagesClient } from '../../src/api/client';
import { SILENT_LOG } from '../../src/api/log';
import { streamLmResponse } from '../../src/lm/lmResponse';
import { buildLmRequest, type PlainMessage, type PlainTool } from '../../src/lm/requestMapping';
import type { BenchContext, Figure } from '../lib/figure';
import { formatDifference, formatMs, formatRatio, verdict } from '../lib/report';
import { interleave, median } from '../lib/stats';
import { MODELS } from '../mock/scenarios';

const API_KEY = 'sk-bench-0123456789abcdef';
const GOAL_MS = 1;

/** What an agent like Cline sends after a few tool rounds: prompts, calls, results, its tools. */
function conversation(rounds: number): { messages: PlainMessage[]; tools: PlainTool[] } {
  const bytes = new TextEncoder();
  const messages: PlainMessage[] = [{ role: 'user', parts: [{ kind: 'text', text: `You are a coding agent. ${'Follow the rules. '.repeat(100)}\n\nFix the failing test.` }] }];
  for (let round = 0; round < rounds; round++) {
    messages.push({ role: 'assistant', parts: [{ kind: 'text', text: `Reading file ${round}.` }, { kind: 'toolCall', callId: `call_${round}`, name: 'workspace.read file', input: { path: `src/file${round}.ts` } }] });
    messages.push({ role: 'user', parts: [{ kind: 'toolResult', callId: `call_${round}`, content: [{ kind: 'text', text: `export const value${round} = 1;\n`.repeat(120) }, { kind: 'data', mimeType: 'application/json', data: bytes.encode(JSON.stringify({ lines: 120 })) }] }] });
  }
  const tools = ['workspace.read file', 'workspace.write file', 'terminal.run', 'search/text', 'mcp_github.create_issue'].map((name) => ({
    name,
    description: `The ${name} tool.`,
    inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  }));
  return { messages, tools };
}

export const lmProvider: Figure = {
  name: 'lmProvider',
  async run(context: BenchContext) {
    const { mock, smoke } = context;
    const input = { ...conversation(smoke ? 2 : 12), toolMode: 'auto' as const, model: MODELS.firstToken, maxTokens: 8192 };
    const direct = buildLmRequest(input).request;
    const client = new MessagesClient({ baseUrl: mock.url, apiKey: API_KEY, timeoutMs: 60_000, maxRetries: 0 });
    const samples = { provider: { first: [] as number[], total: [] as number[] }, client: { first: [] as number[], total: [] as number[] } };

    const variants = {
      provider: async () => {
        let first = 0;
        const start = performance.now();
        // The mapping is part of the path: it runs per request.
        const built = buildLmRequest(input);
        const parts: unknown[] = [];
        await streamLmResponse(client, built, { text: (text) => (parts.push(text), (first ||= performance.now())), toolCall: (...call) => parts.push(call) }, new AbortController().signal, SILENT_LOG);
        samples.provider.first.push(first - start);
        samples.provider.total.push(performance.now() - start);
      },
      client: async () => {
        let first = 0;
        const start = performance.now();
        await client.createMessage(direct, { handlers: { onTextDelta: () => (first ||= performance.now()) } });
        samples.client.first.push(first - start);
        samples.client.total.push(performance.now() - start);
      },
    };
    const rounds = smoke ? { rounds: 3, warmup: 1 } : { rounds: 40, warmup: 5 };
    context.log(`language model provider: ${rounds.rounds} rounds`);
    await interleave(variants, rounds);
    const measured = (values: number[]) => median(values.slice(-rounds.rounds));
    const row = (figure: string, ours: number, reference: number) => ({
      figure,
      ours: formatMs(ours),
      reference: `client directly ${formatMs(reference)}`,
      ratio: `${formatRatio(ours / reference)} (${formatDifference(ours - reference)})`,
      goal: `≤ ${GOAL_MS} ms above`,
      pass: verdict(smoke, ours - reference <= GOAL_MS),
    });
    const medians = {
      provider: { first: measured(samples.provider.first), total: measured(samples.provider.total) },
      client: { first: measured(samples.client.first), total: measured(samples.client.total) },
    };
    return {
      name: this.name,
      rows: [
        row('vscode.lm provider path: first token', medians.provider.first, medians.client.first),
        row('vscode.lm provider path: whole answer', medians.provider.total, medians.client.total),
      ],
      details: { rounds, requestBytes: JSON.stringify(direct).length, medianMs: medians, samplesMs: samples },
    };
  },
};
