/**
 * What the tool loop needs from tools, and what a tool gives back. The loop (`src/chat/toolLoop.ts`)
 * runs against this interface, so it is tested with a fake and run in the editor with the real tools.
 */
import type { ImageBlock, ToolDefinition, ToolUseBlock } from '../api/types';
import type { AutoApproval } from './autoApproval';

/** How a call ended, as the tool card shows it. */
export type ToolEndStatus = 'done' | 'failed' | 'rejected' | 'cancelled';

export interface ToolOutcome {
  /** The `tool_result` content the model reads. */
  content: string;
  status: ToolEndStatus;
  /** A few words on the result for the tool card, beside `content` (which it shows as the model got it). */
  summary?: string;
  /** Images the model gets after `content` in the same `tool_result` (an image file read, a tool's picture). */
  images?: ImageBlock[];
}

export interface ToolRunContext {
  /** Fires when the user stops the turn; a tool that takes a while should give up then. */
  signal: AbortSignal;
  /**
   * Tells the view the call now waits for the user's Accept or Reject (asking `question`, and offering
   * "Always allow" for the rule `alwaysAllow` when given), or runs again.
   */
  setStatus(status: 'awaitingApproval' | 'running', question?: string, alwaysAllow?: string, acceptAllEdits?: boolean): void;
  /** The tool round the call belongs to, counted from 1 within the turn. */
  round?: number;
  /** What the conversation lets run without a click; absent, nothing beyond the settings, and no limit. */
  autoApproval?: AutoApproval;
  /** Called by an edit tool just before it writes `file` (a URI), with its bytes then (none: it is new), to keep them for a restore. */
  beforeChange?: ChangeRecorder;
}

export type ChangeRecorder = (file: string, before: Uint8Array | undefined) => Promise<void>;

export interface ToolRunner {
  /** The tools offered in the next request; none means the request carries no `tools`. */
  definitions(): ToolDefinition[];
  /** What the tool card says a call acts on, and whether it changes files. */
  describe(name: string, input: unknown): { summary: string; changesFiles: boolean };
  run(call: ToolUseBlock, context: ToolRunContext): Promise<ToolOutcome>;
  /** Called before each request: sources that list their tools asynchronously (MCP servers) do it here, for a bounded time. */
  prepare?(signal: AbortSignal): Promise<void>;
}

/** A failure the model should read as is: a bad path, a file not found, text that does not match. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

export function failed(content: string, summary?: string): ToolOutcome {
  return summary === undefined ? { content, status: 'failed' } : { content, status: 'failed', summary };
}

/** The outcome of a call the user did not allow, or that the turn's Stop interrupted while it waited. */
export function refused(answer: 'rejected' | 'cancelled'): ToolOutcome {
  return answer === 'rejected'
    ? { content: 'The user rejected this tool call; nothing was done. Ask them, or try another way.', status: 'rejected' }
    : { content: 'Cancelled: the user stopped the turn before answering.', status: 'cancelled' };
}

export function done(content: string, summary?: string): ToolOutcome {
  return summary === undefined ? { content, status: 'done' } : { content, status: 'done', summary };
}

/** For a chat without tools: nothing is offered, and a call anyway gets an error. */
export const NO_TOOLS: ToolRunner = {
  definitions: () => [],
  describe: () => ({ summary: '', changesFiles: false }),
  run: async () => failed('No tools are available in this chat.'),
};
