import { randomUUID } from 'node:crypto';
import type { ContentBlock, ContentBlockParam, Message, MessageParam } from '../api/types';
import type { BlockView, TurnView } from '../shared/protocol';
import type { Prompt } from './prompts';

/** One exchange as the chat keeps it: the prompt (with the content sent) and the answer shown. */
export interface Turn extends TurnView {
  prompt: TurnView['prompt'] & { content: string };
  /** True once the exchange is part of `messages`, i.e. the model will see it in later requests. */
  committed: boolean;
}

/**
 * One conversation, as two views of the same exchanges: `turns` for display (every prompt, including
 * ones that failed), and `messages`, the history sent to the model, which only ever holds complete
 * user/assistant pairs so that it always alternates as the Messages API requires.
 *
 * Plain data and no I/O, so it can be saved and restored as JSON later.
 */
export class Conversation {
  readonly id = randomUUID();
  readonly turns: Turn[] = [];
  readonly messages: MessageParam[] = [];
  private nextTurn = 1;

  addTurn(prompt: Prompt): Turn {
    const { text, content, reference } = prompt;
    const turn: Turn = {
      id: `${this.id}:${this.nextTurn++}`,
      prompt: reference ? { text, content, reference } : { text, content },
      answer: { status: 'streaming', blocks: [] },
      committed: false,
    };
    this.turns.push(turn);
    return turn;
  }

  get lastTurn(): Turn | undefined {
    return this.turns[this.turns.length - 1];
  }

  findTurn(id: string): Turn | undefined {
    return this.turns.find((turn) => turn.id === id);
  }

  /** The history plus this turn's prompt: the `messages` of its request. */
  requestMessages(turn: Turn): MessageParam[] {
    return [...this.messages, { role: 'user', content: turn.prompt.content }];
  }

  /**
   * Adds the exchange to the history. A turn with nothing worth sending back stays out of it: an
   * empty assistant message would be rejected, and the prompt alone would break the alternation.
   */
  commit(turn: Turn, content: ContentBlockParam[]): void {
    if (turn.committed || content.length === 0) return;
    this.messages.push({ role: 'user', content: turn.prompt.content }, { role: 'assistant', content });
    turn.committed = true;
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
  const { text, reference } = turn.prompt;
  return {
    id: turn.id,
    prompt: reference ? { text, reference } : { text },
    answer: { ...turn.answer, blocks: turn.answer.blocks.map((block) => ({ ...block })) },
  };
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
      return { kind: 'toolUse', name: block.name };
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
 * What a finished answer contributes to the history. Tool calls are left out until the chat runs
 * tools (a `tool_use` without its `tool_result` would make the next request invalid), and so are empty
 * text blocks, which the API rejects. An answer with no text left contributes nothing.
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
