/**
 * Our tools and other sources' behind one `ToolRunner`. Before each request (`prepare`) the sources
 * list their tools, each for a bounded time: one that is slow is left out of that request (its
 * listing goes on, for the next) so that the first token does not wait on it. Names are made valid
 * and unique (`toolNames.ts`) and mapped back to the source's own when called.
 *
 * Modes: neither VS Code's tools nor MCP's say reliably whether a tool changes anything, so every
 * external tool counts as one that may (`changesFiles`): Ask and Plan do not offer them, Agent does,
 * each call with approval unless allow-listed; a checkpoint is taken before the first one runs.
 */
import type { ToolDefinition, ToolUseBlock } from '../api/types';
import { describeError, SILENT_LOG, type Logger } from '../api/log';
import type { ApprovalBroker } from './approvals';
import { NO_AUTO_APPROVAL_LIMIT } from './autoApproval';
import { beforeDeadline, withDeadline } from './deadline';
import type { ExternalTool, ExternalToolSource } from './externalTools';
import { capText } from './format';
import { ToolNames } from './toolNames';
import { done, failed, refused, type ToolOutcome, type ToolRunContext, type ToolRunner } from './types';

export interface CompositeToolsOptions {
  own: ToolRunner;
  /** Every name our own tools may have (on or off): no external tool gets one. */
  ownNames: readonly string[];
  sources: readonly ExternalToolSource[];
  approvals: ApprovalBroker;
  /** How long a request waits for a source's list of tools. */
  listWaitMs: number;
  /** How long an external call may run before it is cancelled; read at each call. */
  callTimeoutMs: () => number;
  /** The setting that sets `callTimeoutMs`, for the message of a call that took too long. */
  timeoutSetting: string;
  log?: Logger;
}

export class CompositeTools implements ToolRunner {
  private readonly names: ToolNames;
  /**
   * The external tools offered in the last request, by API name: the calls of its answer may use
   * them; one no longer offered (turned off, its server gone) is not run.
   */
  private offered = new Map<string, ExternalTool>();
  /** A listing still under way, by source: the next request waits on it rather than starting another. */
  private readonly listing = new Map<ExternalToolSource, Promise<ExternalTool[]>>();
  private readonly log: Logger;

  constructor(private readonly options: CompositeToolsOptions) {
    this.names = new ToolNames(options.ownNames);
    this.log = options.log ?? SILENT_LOG;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    const lists = await Promise.all(this.options.sources.map((source) => this.listWithin(source, signal)));
    const offered = new Map<string, ExternalTool>();
    // A source that lists a tool twice has it offered once.
    for (const tool of lists.flat()) offered.set(this.names.nameFor(tool.key, tool.wantedName), tool);
    this.offered = offered;
  }

  /** The source's tools, or none when it fails or does not answer within `listWaitMs`. */
  private async listWithin(source: ExternalToolSource, signal: AbortSignal): Promise<ExternalTool[]> {
    let listing = this.listing.get(source);
    if (!listing) {
      listing = source.list(signal).finally(() => this.listing.delete(source));
      this.listing.set(source, listing);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.listWaitMs)));
    try {
      const listed = await Promise.race([listing, late]);
      if (listed !== 'late') return listed;
      this.log.warn(`${source.label} did not list their tools within ${this.options.listWaitMs} ms; this request goes without them.`);
      return [];
    } catch (error) {
      this.log.warn(`${source.label} could not list their tools, so this request goes without them: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  definitions(): ToolDefinition[] {
    const external = [...this.offered].map(([name, tool]): ToolDefinition => {
      const from = `(A tool of ${tool.origin}; each call may need the user's approval.)`;
      return { name, description: tool.description ? `${tool.description}\n\n${from}` : from, input_schema: tool.inputSchema };
    });
    return [...this.options.own.definitions(), ...external];
  }

  describe(name: string, input: unknown): { summary: string; changesFiles: boolean } {
    const tool = this.offered.get(name);
    return tool ? { summary: `from ${tool.origin}`, changesFiles: true } : this.options.own.describe(name, input);
  }

  async run(call: ToolUseBlock, context: ToolRunContext): Promise<ToolOutcome> {
    const tool = this.offered.get(call.name);
    if (!tool) return this.options.own.run(call, context);
    const autoApproval = context.autoApproval ?? NO_AUTO_APPROVAL_LIMIT;
    const allowed = tool.allowed();
    if (allowed && autoApproval.mayAutoApprove()) {
      autoApproval.autoApproved();
    } else {
      const question = `Allow ${call.name} of ${tool.origin} to run with this input? It may do anything its source allows.${allowed ? ` ${autoApproval.limitNote}` : ''}`;
      context.setStatus('awaitingApproval', question, tool.alwaysAllowLabel);
      const choice = await this.options.approvals.waitForChoice(call.id, context.signal);
      if (choice.answer !== 'cancelled') autoApproval.asked();
      if (choice.answer !== 'approved') return refused(choice.answer);
      if (choice.always) await tool.allowAlways().catch((error: unknown) => this.log.warn(`Could not allow-list ${tool.alwaysAllowLabel}: ${describeError(error)}`));
      context.setStatus('running');
    }
    return this.invoke(call.name, tool, call.input, context.signal);
  }

  /** The call within the time limit; Stop aborts it too. Whatever goes wrong is a result the model reads. */
  private invoke(name: string, tool: ExternalTool, input: unknown, signal: AbortSignal): Promise<ToolOutcome> {
    const timeoutMs = this.options.callTimeoutMs();
    return withDeadline(signal, timeoutMs, async (deadline) => {
      const called = tool.call(input, deadline.signal).then(
        (result): ToolOutcome => {
          const text = capText(result.text === '' ? '(The tool returned nothing.)' : result.text);
          if (result.isError) return failed(text);
          return result.images.length > 0 ? { ...done(text), images: result.images } : done(text);
        },
        (error: unknown) => failed(`${name} (${tool.origin}) failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      const outcome = await beforeDeadline(called, deadline);
      if (outcome) return outcome;
      if (deadline.stop === 'aborted') return { content: 'Cancelled: the user stopped the turn before this tool finished.', status: 'cancelled' };
      return failed(`${name} (${tool.origin}) did not finish within ${timeoutMs / 1000} s (setting ${this.options.timeoutSetting}), so it was cancelled.`);
    });
  }
}
