import type { ToolDefinition, ToolUseBlock } from '../api/types';
import type { ApprovalAnswer, ApprovalBroker, ApprovalChoice } from './approvals';
import { NO_AUTO_APPROVAL_LIMIT, type AutoApproval } from './autoApproval';
import { summarizeCall, toolDefinition, TOOL_SPECS, type ToolInput, type ToolName, type ToolSpec } from './definitions';
import { validate } from './schema';
import type { ToolSettings } from './settings';
import { failed, refused, ToolError, type ChangeRecorder, type ToolOutcome, type ToolRunContext, type ToolRunner } from './types';

export interface ToolHandlerContext {
  signal: AbortSignal;
  /** The `tool_use` id: what an Accept or Reject of this call answers. */
  callId: string;
  /** Asks the user to allow the call (Accept / Reject on its tool card); `cancelled` when the turn stops. */
  confirm(question: string): Promise<ApprovalAnswer>;
  /** `confirm`, offering "Always allow" with the rule `alwaysAllow` names (a command's prefix), when given. */
  ask(question: string, alwaysAllow?: string): Promise<ApprovalChoice>;
  /** Keeps a file's bytes before the call changes it (see `ToolRunContext.beforeChange`). */
  beforeChange?: ChangeRecorder;
  /** `confirm` for an edit, offering "Accept all edits in this chat" (`always`). */
  askEdit(question: string): Promise<ApprovalChoice>;
  autoApproval: AutoApproval;
}

/**
 * One tool's implementation. The input it gets has passed its schema, and its type is the schema's
 * (`ToolInput`); the members are function-typed properties so that a handler taking other input fails
 * to compile rather than being accepted bivariantly.
 */
export interface ToolHandler<N extends ToolName = ToolName> {
  name: N;
  run: (input: ToolInput<N>, context: ToolHandlerContext) => Promise<ToolOutcome>;
  /** The question to ask before the call runs, when it needs the user's consent (a file that may hold secrets). */
  consentNeeded?: (input: ToolInput<N>) => Promise<string | undefined>;
}

/** A handler of any one of the tools. */
export type AnyToolHandler = { [N in ToolName]: ToolHandler<N> }[ToolName];

/** A handler as the registry calls it, once the input has passed the handler's own schema. */
interface CheckedHandler {
  name: ToolName;
  run: (input: unknown, context: ToolHandlerContext) => Promise<ToolOutcome>;
  consentNeeded?: (input: unknown) => Promise<string | undefined>;
}

/**
 * The tools as the loop sees them: the enabled ones offered, every call checked (known tool, turned
 * on, input matching its schema) before its handler runs, and any failure turned into a tool error
 * the model can act on rather than an exception.
 */
export class ToolRegistry implements ToolRunner {
  private readonly handlers: ReadonlyMap<string, CheckedHandler>;

  constructor(
    handlers: readonly AnyToolHandler[],
    private readonly settings: () => ToolSettings,
    private readonly approvals: ApprovalBroker,
  ) {
    // Each handler is called only with input that its tool's schema accepted (see `check`).
    this.handlers = new Map(handlers.map((handler) => [handler.name, handler as unknown as CheckedHandler]));
  }

  private enabledSpecs(): ToolSpec[] {
    const { enabled } = this.settings();
    return TOOL_SPECS.filter((spec) => enabled.has(spec.name) && this.handlers.has(spec.name));
  }

  definitions(): ToolDefinition[] {
    return this.enabledSpecs().map(toolDefinition);
  }

  describe(name: string, input: unknown): { summary: string; changesFiles: boolean } {
    return { summary: summarizeCall(name, input), changesFiles: TOOL_SPECS.some((spec) => spec.name === name && spec.changesFiles) };
  }

  async run(call: ToolUseBlock, context: ToolRunContext): Promise<ToolOutcome> {
    const checked = this.check(call.name, call.input);
    if ('status' in checked) return checked;
    const autoApproval = context.autoApproval ?? NO_AUTO_APPROVAL_LIMIT;
    const wait = async (question: string, alwaysAllow?: string, acceptAllEdits?: boolean) => {
      context.setStatus('awaitingApproval', question, alwaysAllow, acceptAllEdits);
      const choice = await this.approvals.waitForChoice(call.id, context.signal);
      if (choice.answer !== 'cancelled') autoApproval.asked();
      if (choice.answer === 'approved') context.setStatus('running');
      return choice;
    };
    const ask = (question: string, alwaysAllow?: string) => wait(question, alwaysAllow);
    const askEdit = (question: string) => wait(question, undefined, true);
    const confirm = async (question: string) => (await ask(question)).answer;
    const question = await checked.handler.consentNeeded?.(call.input);
    if (question !== undefined) {
      const answer = await confirm(question);
      if (answer !== 'approved') return refused(answer);
    }
    return this.execute(checked.handler, call.input, { signal: context.signal, callId: call.id, confirm, ask, askEdit, autoApproval, ...(context.beforeChange ? { beforeChange: context.beforeChange } : {}) });
  }

  /** The consent a call needs, for callers that ask the user themselves (VS Code's own agent). */
  async consentQuestion(name: string, input: unknown): Promise<string | undefined> {
    const checked = this.check(name, input);
    return 'handler' in checked ? checked.handler.consentNeeded?.(input) : undefined;
  }

  /** Runs a call whose consent the caller has already obtained (see `consentQuestion`). */
  async runConsented(name: string, input: unknown, signal: AbortSignal): Promise<ToolOutcome> {
    const checked = this.check(name, input);
    if ('status' in checked) return checked;
    const approved = async () => ({ answer: 'approved', always: false }) as const;
    return this.execute(checked.handler, input, { signal, callId: '', confirm: async () => 'approved', ask: approved, askEdit: approved, autoApproval: NO_AUTO_APPROVAL_LIMIT });
  }

  /** The handler for a call that may run: a known tool, turned on, with valid input; or why not. */
  private check(name: string, input: unknown): { handler: CheckedHandler } | ToolOutcome {
    const spec = this.enabledSpecs().find((candidate) => candidate.name === name);
    if (!spec) {
      const known = TOOL_SPECS.some((candidate) => candidate.name === name);
      const offered = this.enabledSpecs().map((candidate) => candidate.name).join(', ') || 'none';
      return failed(
        known
          ? `The tool ${name} is turned off in the settings (sonnet.tools.enabled). Tools you can use: ${offered}.`
          : `There is no tool named ${JSON.stringify(name)}. Tools you can use: ${offered}.`,
      );
    }
    const problems = validate(spec.inputSchema, input);
    if (problems.length > 0) return failed(`Invalid input for ${spec.name}: ${problems.join(' ')}`);
    return { handler: this.handlers.get(spec.name)! };
  }

  private async execute(handler: CheckedHandler, input: unknown, context: ToolHandlerContext): Promise<ToolOutcome> {
    try {
      return await handler.run(input, context);
    } catch (error) {
      if (error instanceof ToolError) return failed(error.message);
      const detail = error instanceof Error ? error.message : String(error);
      return failed(`${handler.name} failed: ${detail}`);
    }
  }
}
