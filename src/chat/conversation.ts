import { randomUUID } from 'node:crypto';
import type { ContentBlock, ContentBlockParam, Message, MessageParam } from '../api/types';
import type { TurnCheckpoint } from '../checkpoints/workspaceCheckpoints';
import type { ChatMode } from '../shared/chatModes';
import type { BlockView, CompactionView, TurnView } from '../shared/protocol';
import { ChatApprovals } from './chatApprovals';
import { compactedHistory, type CompactionRecord } from './compaction';
import { splitIntoTurns, type TokenCalibration } from './contextWindow';
import { editableText } from './promptEdit';
import { imageView, userContent, type PromptImage } from './promptImages';
import type { Prompt } from './prompts';

/** One exchange as the chat keeps it: the prompt (with the content sent) and the answer shown. */
export interface Turn extends TurnView {
  prompt: Omit<TurnView['prompt'], 'images'> & { content: string; images?: PromptImage[] };
  /** True once the exchange is part of `messages`, i.e. the model will see it in later requests. */
  committed: boolean;
  /** The workspace as it was before the turn's first changing tool ran, to restore it. */
  checkpoint?: TurnCheckpoint;
  /** The conversation was compacted at this turn: before one of its requests, or after it on demand. */
  compaction?: CompactionRecord;
}

/**
 * One conversation, as two views of the same exchanges: `turns` for display (every prompt, including
 * ones that failed), and `messages`, the history sent to the model, which only ever holds complete
 * turns (a prompt, any tool calls with their results, and an assistant message last) so that it always
 * alternates as the Messages API requires.
 *
 * Plain data and no I/O; `conversationJson.ts` saves and restores it.
 */
export class Conversation {
  readonly turns: Turn[] = [];
  readonly messages: MessageParam[] = [];
  /** The name the user gave it; the history shows the first prompt while there is none. */
  title: string | undefined;
  /** What a long request of this conversation really cost in tokens, to estimate the next ones by. */
  calibration: TokenCalibration | undefined;
  /**
   * Extended thinking, as chosen for this conversation (the view's toggle) or fixed by its first turn;
   * until then the default for new chats applies (`SonnetConfig.thinking`).
   */
  thinking: boolean | undefined;
  /** The mode chosen with the view's picker or fixed by the first turn; until then `SonnetConfig.defaultMode` applies. */
  mode: ChatMode | undefined;
  /** What the provider counted for the conversation's last request (input, cache read and creation). */
  lastRequestTokens: number | undefined;
  /** Whether an automatic compaction may run (see `armedAfter` in compaction.ts); not saved. */
  compactionArmed = true;
  /** What runs without a click in this conversation while it is open; never saved. */
  readonly approvals = new ChatApprovals();
  /** The highest turn number given so far: turns replaced by an edit leave their numbers unused. */
  private lastTurnNumber = 0;

  /** A new conversation, or (given its id and creation time) one restored from the history. */
  constructor(
    readonly id: string = randomUUID(),
    readonly createdAt: number = Date.now(),
  ) {}

  addTurn(prompt: Prompt): Turn {
    const { text, content, reference, images } = prompt;
    // A restored conversation's turns are numbered 1 to n; numbers are never given twice.
    this.lastTurnNumber = Math.max(this.lastTurnNumber, this.turns.length) + 1;
    const turn: Turn = {
      id: `${this.id}:${this.lastTurnNumber}`,
      prompt: { text, content, ...(reference ? { reference } : {}), ...(images?.length ? { images: [...images] } : {}) },
      answer: { status: 'streaming', blocks: [] },
      committed: false,
    };
    this.turns.push(turn);
    return turn;
  }

  /** The latest compaction, whose summary stands for the messages it covers in what is sent. */
  latestCompaction(): CompactionRecord | undefined {
    for (let i = this.turns.length - 1; i >= 0; i--) if (this.turns[i].compaction) return this.turns[i].compaction;
    return undefined;
  }

  /** The history as sent to the model: every original turn is kept in `messages`, the compacted ones summarized here. */
  sentHistory(): MessageParam[] {
    return compactedHistory(this.messages, this.latestCompaction());
  }

  get lastTurn(): Turn | undefined {
    return this.turns[this.turns.length - 1];
  }

  findTurn(id: string): Turn | undefined {
    return this.turns.find((turn) => turn.id === id);
  }

  /**
   * Adds the exchange to the history: the prompt, then the answer's messages (with tools, assistant
   * and tool-result messages in turn, ending with the assistant's). A turn with nothing worth sending
   * back stays out of it: an empty assistant message would be rejected, and the prompt alone would
   * break the alternation.
   */
  commit(turn: Turn, answer: MessageParam[]): void {
    if (turn.committed || answer.length === 0 || answer[answer.length - 1].role !== 'assistant') return;
    this.messages.push({ role: 'user', content: userContent(turn.prompt.content, turn.prompt.images) }, ...answer);
    turn.committed = true;
  }

  /**
   * Removes `turn` and every later one, from the display and from the history: what an edited or
   * regenerated prompt replaces. The history keeps the messages of the committed turns before it.
   */
  removeFrom(turn: Turn): void {
    const index = this.turns.indexOf(turn);
    if (index < 0) return;
    const committedBefore = this.turns.slice(0, index).filter((earlier) => earlier.committed).length;
    const kept = splitIntoTurns(this.messages).slice(0, committedBefore).flat();
    this.turns.splice(index);
    this.messages.splice(0, this.messages.length, ...kept);
  }

  /** Back to streaming, with the previous attempt's answer cleared. */
  restart(turn: Turn): void {
    turn.answer = { status: 'streaming', blocks: [] };
  }

  view(): TurnView[] {
    return this.turns.map(toTurnView);
  }
}

/** What the webview may see of a turn: not the content sent (it holds the whole selected code). */
export function toTurnView(turn: Turn): TurnView {
  const { text, reference, images } = turn.prompt;
  const editText = editableText(turn.prompt);
  return {
    id: turn.id,
    prompt: { text, ...(reference ? { reference } : {}), ...(editText === undefined ? {} : { editText }), ...(images?.length ? { images: images.map(imageView) } : {}) },
    answer: { ...turn.answer, blocks: turn.answer.blocks.map((block) => ({ ...block })) },
    ...(turn.contextNote ? { contextNote: turn.contextNote } : {}),
    ...(isRestorable(turn) ? { restorable: true } : {}),
    ...(turn.mode ? { mode: turn.mode } : {}),
    ...(turn.compaction ? { compaction: compactionView(turn.compaction) } : {}),
  };
}

export function compactionView({ summary, coveredTurns, usage, beforeAnswer }: CompactionRecord): CompactionView {
  return { summary, coveredTurns, ...(usage ? { usage } : {}), ...(beforeAnswer ? { beforeAnswer } : {}) };
}

/** Whether the turn kept a checkpoint (a snapshot, or the edit tools' own record) and a change of it was applied. */
export function isRestorable(turn: Turn): boolean {
  const { checkpoint } = turn;
  if (!checkpoint || (checkpoint.folders.length === 0 && checkpoint.edits === undefined)) return false;
  return turn.answer.blocks.some((block) => block.kind === 'toolUse' && block.call.changesFiles && block.call.status === 'done');
}

export function blockView(block: ContentBlock): BlockView {
  switch (block.type) {
    case 'text':
      return { kind: 'text', text: block.text ?? '' };
    case 'thinking':
      return { kind: 'thinking', text: block.thinking ?? '' };
    case 'redacted_thinking':
      return { kind: 'redactedThinking' };
    case 'tool_use':
      // Its input streams in; the tool loop fills in the rest of the card as the call goes on.
      return { kind: 'toolUse', call: { id: block.id, name: block.name, summary: '', input: '', status: 'running', changesFiles: false } };
    default:
      return { kind: 'other', type: String((block as { type?: unknown }).type) };
  }
}

/** Appends streamed text to the block at `index`, if it is of the expected kind. */
export function appendToBlock(turn: Turn, index: number, kind: 'text' | 'thinking', text: string): boolean {
  const block = turn.answer.blocks[index];
  if (!block || block.kind !== kind) return false;
  block.text += text;
  return true;
}

/**
 * What the last answer of a turn contributes to the history. Tool calls in it were not run (the
 * answer did not end with `tool_use`, or the round limit was reached), and a `tool_use` without its
 * `tool_result` would make the next request invalid, so they are left out; so are empty text blocks,
 * which the API rejects. An answer with no text left contributes nothing.
 */
export function historyOfCompleteAnswer(message: Message): ContentBlockParam[] {
  const kept = message.content.filter((block) => block.type !== 'tool_use' && !(block.type === 'text' && block.text === ''));
  return kept.some((block) => block.type === 'text') ? kept : [];
}

/**
 * What a stopped answer contributes: its text only. A thinking block cut mid-stream has no valid
 * signature, and the provider would reject it.
 */
export function historyOfStoppedAnswer(message: Message | undefined): ContentBlockParam[] {
  if (!message) return [];
  return message.content.filter((block) => block.type === 'text' && block.text.trim() !== '').map((block) => ({ ...block }));
}
