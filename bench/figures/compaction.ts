/**
 * Compaction (issue 15): a conversation that grows well past the context window (big tool results,
 * long prompts) through the real mock provider. Ours: what the request right after the last
 * compaction sends, in estimated tokens; the reference: the whole conversation, every original turn, estimated the same way.
 */
import { MessagesClient } from '../../src/api/client';
import { ChatController } from '../../src/chat/chatController';
import { thresholdTokens } from '../../src/chat/compaction';
import { DEFAULT_TOKENS_PER_CHAR } from '../../src/chat/contextWindow';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import { ApprovalBroker } from '../../src/tools/approvals';
import { ToolRegistry } from '../../src/tools/registry';
import { normalizeToolSettings } from '../../src/tools/settings';
import { done } from '../../src/tools/types';
import { checkContext } from '../../test/fixtures/contextChecks';
import { MockProvider, type RecordedRequest } from '../../test/fixtures/mockProvider';
import { sseReply } from '../../test/fixtures/transcripts';
import type { BenchContext, Figure } from '../lib/figure';
import { formatRatio } from '../lib/report';

const FILE_CHARS = 60_000;
const READS_PER_TURN = 3;

function reader(request: RecordedRequest) {
  const messages: Array<{ role: string; content: unknown }> = request.body.messages;
  let prompt = messages.length - 1;
  while (prompt > 0 && typeof messages[prompt].content !== 'string') prompt--;
  const rounds = messages.slice(prompt).filter((m) => m.role === 'assistant').length;
  if (rounds < READS_PER_TURN) return sseReply({ blocks: [{ type: 'tool_use', id: `toolu_${messages.length}`, name: 'read_file', input: { path: `big${messages.length}.ts` } }], stopReason: 'tool_use' });
  return sseReply({ blocks: [{ type: 'text', text: `Read ${rounds} files.` }] });
}

export const compaction: Figure = {
  name: 'compaction',
  async run(context: BenchContext) {
    const turns = context.smoke ? 4 : 12;
    const mock = await MockProvider.start();
    try {
      const checks = checkContext(mock, reader);
      const tools = new ToolRegistry(
        [{ name: 'read_file', run: async (input: { path: string }) => done(`// ${input.path}\n${'const value = 1;\n'.repeat(FILE_CHARS / 17)}`) }],
        () => normalizeToolSettings({}),
        new ApprovalBroker(),
      );
      const controller = new ChatController({
        sink: { post: () => undefined, refresh: () => undefined },
        readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock.url, maxRetries: 0 }),
        resolveApiKey: async () => 'sk-bench-0123456789abcdef',
        createClient: (options) => new MessagesClient(options),
        tools,
      });
      for (let i = 1; i <= turns; i++) {
        controller.send(plainPrompt(`Turn ${i}: read more files. ${'Context I give you. '.repeat(1000)}`));
        await controller.whenIdle();
      }
      const full = Math.ceil(JSON.stringify(controller.current.messages).length * DEFAULT_TOKENS_PER_CHAR);
      const turnRequests = checks.requests.filter((request) => request.kind === 'turn');
      // What compaction leaves: the request right after the last summary.
      const lastSummary = checks.requests.map((request) => request.kind).lastIndexOf('summary');
      const sent = checks.requests[lastSummary + 1]?.estimatedTokens ?? 0;
      const largest = Math.max(...turnRequests.map((request) => request.estimatedTokens));
      const threshold = thresholdTokens(DEFAULT_CONFIG.compactionThreshold)!;
      context.log(`compaction: ${turns} turns, ${full} tokens in all, last request ${sent}, largest ${largest}, ${checks.summaries} summaries`);
      return {
        name: this.name,
        rows: [
          {
            figure: `compaction: sent after it, ${turns} turns`,
            ours: `${sent.toLocaleString('en-US')} tokens`,
            reference: `whole conversation ${full.toLocaleString('en-US')} tokens`,
            ratio: formatRatio(sent / full),
            goal: '≤ threshold (160K)',
            pass: context.smoke ? null : sent <= threshold,
          },
          {
            figure: 'compaction: largest request, problems',
            ours: `${largest.toLocaleString('en-US')} tokens, ${checks.problems.length} problems`,
            reference: `window budget ${(200_000 - DEFAULT_CONFIG.maxTokens - 10_000).toLocaleString('en-US')}`,
            ratio: formatRatio(largest / (200_000 - DEFAULT_CONFIG.maxTokens - 10_000)),
            goal: '≤ budget, no problems',
            pass: context.smoke ? null : checks.problems.length === 0,
          },
        ],
        details: { turns, full, sent, largest, summaries: checks.summaries, problems: checks.problems },
      };
    } finally {
      await mock.close();
    }
  },
};
