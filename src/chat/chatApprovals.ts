/**
 * A conversation's say over what runs without a click: "Accept all edits in this chat" (for this
 * conversation while it is open; never saved), and the count of tool rounds in a row that ran an
 * edit or a command without asking, so that the next one past `sonnet.tools.maxAutoApprovedRounds`
 * asks. Answering any card starts the count again.
 */
import { roundLimitNote, type AutoApproval } from '../tools/autoApproval';
import type { ToolRunner } from '../tools/types';

export class ChatApprovals {
  editsInChat = false;
  private roundsInARow = 0;
  /** The round that last ran something without asking, by turn and round number. */
  private lastRound: string | undefined;

  /** What the calls of one tool round get; `changed` reports a new per-chat choice. */
  forRound(round: string, maxRounds: number, changed: () => void): AutoApproval {
    return new RoundApproval(this, round, maxRounds, changed);
  }

  /** The calls of a round that already ran something go on; a new round must be within the limit. */
  mayAutoApprove(round: string, maxRounds: number): boolean {
    return this.lastRound === round || this.roundsInARow < maxRounds;
  }

  autoApproved(round: string): void {
    if (this.lastRound === round) return;
    this.lastRound = round;
    this.roundsInARow++;
  }

  asked(): void {
    this.roundsInARow = 0;
    this.lastRound = undefined;
  }
}

class RoundApproval implements AutoApproval {
  readonly limitNote: string;

  constructor(
    private readonly chat: ChatApprovals,
    private readonly round: string,
    private readonly maxRounds: number,
    private readonly changed: () => void,
  ) {
    this.limitNote = roundLimitNote(maxRounds);
  }

  get editsInChat(): boolean {
    return this.chat.editsInChat;
  }

  acceptEditsInChat(): void {
    this.chat.editsInChat = true;
    this.changed();
  }

  mayAutoApprove(): boolean {
    return this.chat.mayAutoApprove(this.round, this.maxRounds);
  }

  autoApproved(): void {
    this.chat.autoApproved(this.round);
  }

  asked(): void {
    this.chat.asked();
  }
}

/** A turn's tools, each call told what its conversation lets run without a click. */
export function withChatApprovals(tools: ToolRunner, approvals: ChatApprovals, turnId: string, maxRounds: number, changed: () => void): ToolRunner {
  return {
    definitions: () => tools.definitions(),
    describe: (name, input) => tools.describe(name, input),
    ...(tools.prepare ? { prepare: (signal: AbortSignal) => tools.prepare!(signal) } : {}),
    run: (call, context) => tools.run(call, { ...context, autoApproval: approvals.forRound(`${turnId}:${context.round ?? 0}`, maxRounds, changed) }),
  };
}
