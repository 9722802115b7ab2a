/**
 * What may run without a click, as a tool call asks it: the conversation's "Accept all edits in this
 * chat", and the limit on tool rounds in a row that ran something without asking
 * (`sonnet.tools.maxAutoApprovedRounds`), after which the next call asks.
 */
export interface AutoApproval {
  /** The user chose "Accept all edits in this chat" on an edit's card. */
  readonly editsInChat: boolean;
  acceptEditsInChat(): void;
  /** False once the limit of rounds in a row that ran something without asking is reached. */
  mayAutoApprove(): boolean;
  /** A call of this round runs without asking. */
  autoApproved(): void;
  /** The user answered a card: the count starts again. */
  asked(): void;
  /** Why a call that a setting, a choice or a rule would allow asks all the same. */
  readonly limitNote: string;
}

/** Outside a conversation (VS Code's own agent, tests of one tool): no per-chat choice and no limit. */
export const NO_AUTO_APPROVAL_LIMIT: AutoApproval = {
  editsInChat: false,
  acceptEditsInChat: () => {},
  mayAutoApprove: () => true,
  autoApproved: () => {},
  asked: () => {},
  limitNote: '',
};

export function roundLimitNote(rounds: number): string {
  return `${rounds} tool rounds in a row ran without asking (sonnet.tools.maxAutoApprovedRounds), so this one asks.`;
}
