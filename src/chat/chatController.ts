import type { ClientOptions } from '../api/client';
import { describeError, SILENT_LOG, type Logger } from '../api/log';
import { RUN_PLAN_PROMPT, type ChatMode } from '../shared/chatModes';
import type { ErrorPresentation, QueuedView, TurnView } from '../shared/protocol';
import type { TurnCheckpoint } from '../checkpoints/workspaceCheckpoints';
import { NO_TOOLS, type ToolRunner } from '../tools/types';
import { promptWithAttachments, type Attachment } from './attachments';
import { checkpointBeforeChanges } from './checkpointingTools';
import { Conversation, isRestorable, toTurnView, type Turn } from './conversation';
import { earlierVersion } from './conversationBranch';
import { editedPrompt } from './promptEdit';
import type { PromptImage } from './promptImages';
import { plainPrompt, type Prompt } from './prompts';
import { PromptQueue, type QueuedPrompt } from './promptQueue';
import type { SonnetConfig } from './settings';
import type { MessagesApi } from './toolLoop';
import { runTurn, type ChatUpdate } from './turnRun';
import { compactNow } from './compactCommand';
import { contextMeterOf } from './contextMeter';
import { toolsOfMode } from './modeTools';
import type { ContextMeterView } from '../shared/protocol';

export type { MessagesApi } from './toolLoop';
export type { ChatUpdate } from './turnRun';

/** Where the chat's updates go (the Chat view in the editor, a recorder in tests). */
export interface ChatSink {
  post(update: ChatUpdate): void;
  /** The whole conversation changed (a new chat): show `snapshot()` afresh. */
  refresh(): void;
}

export interface ChatControllerOptions {
  sink: ChatSink;
  /** Read at each request, so a changed setting applies to the next one. */
  readConfig: () => SonnetConfig;
  /** The stored key, or one the user is asked for now; undefined if they decline. */
  resolveApiKey: () => Promise<string | undefined>;
  createClient: (options: ClientOptions) => MessagesApi;
  /** The tools the model may call; none when absent. */
  tools?: ToolRunner;
  /** Requests, tool calls and failures (see `src/api/log.ts`). */
  log?: Logger;
  /**
   * Snapshots the workspace before a turn's first changing tool, and keeps what an edit tool is about
   * to change where the snapshot does not cover it (under the record `record`); none when absent.
   */
  checkpoints?: {
    take(conversationId: string, label: string): Promise<TurnCheckpoint>;
    keepBeforeEdit(conversationId: string, checkpoint: TurnCheckpoint, record: string, file: string, before: Uint8Array | undefined): Promise<void>;
  };
  onBusyChange?(busy: boolean): void;
  /**
   * A conversation was put on screen (`opened`), one of its turns started or ended (done, stopped or
   * failed), or a running turn received the first of its answer or more since the last report
   * (`turnProgress`, then at most every `progressIntervalMs`): the moments it is saved. `branched`: a
   * copy of the conversation on screen, as it was before an edit or a regenerated answer replaced some
   * of its turns, to be saved too. `rewound`: turns were dropped from the conversation on screen.
   */
  onConversationChange?(conversation: Conversation, event: ConversationEvent): void;
  /** The queued message changed (absent: sent or cancelled), to keep it through a window reload. */
  onQueueChange?(queued: QueuedPrompt | undefined): void;
  /** "Accept all edits in this chat" was chosen on a card of the conversation on screen. */
  onApprovalsChange?(): void;
  /** How often a running turn's progress is reported; 3 s when absent. */
  progressIntervalMs?: number;
}

export type ConversationEvent = 'opened' | 'turnStarted' | 'turnProgress' | 'turnEnded' | 'branched' | 'rewound';

/**
 * A window closed or reloaded while an answer streams ends the extension host before the turn ends:
 * what arrived is saved as it begins, then every few seconds, so at most that much is lost.
 */
const PROGRESS_INTERVAL_MS = 3000;

export interface ChatSnapshot {
  conversationId: string;
  turns: TurnView[];
  busy: boolean;
  queued?: QueuedView;
  context?: ContextMeterView;
}

/** Whether the update brings some of the answer itself: text, thinking, a tool call, a block of another kind. */
function isContent(update: ChatUpdate): boolean {
  switch (update.type) {
    case 'textDelta':
    case 'thinkingDelta':
    case 'toolCall':
      return true;
    case 'blockStart':
      // A text or thinking block starts empty; its first delta is what there is to save.
      return update.block.kind !== 'text' && update.block.kind !== 'thinking';
    default:
      return false;
  }
}

const HELD_STOPPED = 'Not sent: the answer was stopped.';
const HELD_FAILED = 'Not sent: the answer failed.';
const HELD_OPENED = 'Not sent: another conversation was opened.';

/**
 * Routes between the view, the turn and the history: one turn at a time (its life is `runTurn`'s),
 * streamed to the sink, with the moments to save reported. Stop keeps what had arrived; a failure
 * keeps the prompt in the conversation with an error card, and `retry` sends it again. A message sent
 * while a turn runs waits in the queue and is sent once that turn is done; a turn that stops or fails
 * holds it, until Send or ×.
 */
export class ChatController {
  private conversation = new Conversation();
  private active: { turn: Turn; abort: AbortController } | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly queue = new PromptQueue();
  /** Stop and send: the queued message goes once the turn being stopped has ended. */
  private sendQueuedAfterStop = false;

  constructor(private readonly options: ChatControllerOptions) {}

  private get log(): Logger {
    return this.options.log ?? SILENT_LOG;
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The conversation on screen. */
  get current(): Conversation {
    return this.conversation;
  }

  snapshot(): ChatSnapshot {
    const queued = this.queue.view();
    const context = this.contextMeter(this.conversation);
    return { conversationId: this.conversation.id, turns: this.conversation.view(), busy: this.busy, ...(queued ? { queued } : {}), ...(context ? { context } : {}) };
  }

  /** The header's meter for `conversation`; none while a setting cannot be read (the next turn says why). */
  private contextMeter(conversation: Conversation): ContextMeterView | undefined {
    try {
      const config = this.options.readConfig();
      const tools = toolsOfMode(this.options.tools ?? NO_TOOLS, conversation.mode ?? config.defaultMode);
      return contextMeterOf(conversation, { ...config, thinking: conversation.thinking ?? config.thinking }, tools.definitions());
    } catch (error) {
      this.log.warn(`No context meter: ${describeError(error)}`);
      return undefined;
    }
  }

  private postContext(conversation: Conversation, post: (update: ChatUpdate) => void): void {
    const context = this.contextMeter(conversation);
    if (context) post({ type: 'context', context });
  }

  /**
   * Sonnet: Compact Conversation: the conversation on screen compacted now (Stop stops it); false while
   * a turn runs or there is no turn yet.
   */
  compact(): boolean {
    const anchor = this.conversation.lastTurn;
    if (this.busy || !anchor) return false;
    const abort = new AbortController();
    this.active = { turn: anchor, abort };
    const conversation = this.conversation;
    const post = (update: ChatUpdate) => {
      if (this.conversation === conversation) this.options.sink.post(update);
    };
    this.setBusy(true, post);
    const { readConfig, resolveApiKey, createClient } = this.options;
    this.running = compactNow({ conversation, readConfig, resolveApiKey, createClient, signal: abort.signal, log: this.log, post })
      .catch((error: unknown) => this.log.error(`Compaction ended with an unexpected error: ${describeError(error)}`))
      .finally(() => {
        if (this.active?.turn === anchor) {
          this.active = undefined;
          this.setBusy(false, post);
        }
        this.notifyChange(conversation, 'turnEnded');
        this.postContext(conversation, post);
      });
    return true;
  }

  /** Starts a turn; false (and nothing happens) while another is running. */
  send(prompt: Prompt): boolean {
    if (this.busy || (prompt.content.trim() === '' && !prompt.images?.length)) return false;
    const turn = this.conversation.addTurn(prompt);
    this.start(turn);
    return true;
  }

  /**
   * What the user wrote in the view, with the attachments it takes: sent now, or queued while a turn
   * runs (added to the message already queued, if there is one). False if there is nothing to send.
   */
  submit(text: string, attachments: readonly Attachment[] = [], images: readonly PromptImage[] = []): boolean {
    if (text.trim() === '' && attachments.length === 0 && images.length === 0) return false;
    if (!this.busy) return this.send(promptWithAttachments(text, attachments, images));
    const refused = this.queue.add(text, attachments, images);
    if (refused) {
      this.options.sink.post({ type: 'sendRefused', text, reason: refused });
      return false;
    }
    this.postQueue();
    return true;
  }

  /** The queued message now: after stopping the running turn (Stop and send), if there is one. */
  sendQueued(): boolean {
    if (!this.queue.waiting) return false;
    if (!this.busy) return this.sendNextQueued();
    this.sendQueuedAfterStop = true;
    return this.stop();
  }

  /** The queued message, taken out of the queue unsent (the view puts its text back into the input). */
  cancelQueued(): QueuedPrompt | undefined {
    const cancelled = this.queue.take();
    if (cancelled) this.postQueue();
    return cancelled;
  }

  /**
   * Replaces turn `turnId` and every later one with a new turn, asking again: with `text` as its
   * prompt (an edit, keeping any attached code, with `added` attached too), or the same prompt. The conversation as it was is
   * saved as its own (`branched`). Not while a turn runs.
   */
  resend(turnId: string, text?: string, added: readonly Attachment[] = []): boolean {
    const turn = this.conversation.findTurn(turnId);
    if (this.busy || !turn) return false;
    const prompt = text === undefined ? turn.prompt : editedPrompt(turn.prompt, text, added);
    if (!prompt) return false;
    this.notifyChange(earlierVersion(this.conversation), 'branched');
    this.conversation.removeFrom(turn);
    const replacement = this.conversation.addTurn(prompt);
    this.options.sink.refresh();
    this.start(replacement);
    return true;
  }

  /**
   * The conversation back to before turn `turnId` (a restore of its checkpoint asked for it): that turn
   * and every later one are dropped, the conversation as it was saved as its own (`branched`). Not while
   * a turn runs.
   */
  dropFrom(turnId: string): boolean {
    const turn = this.conversation.findTurn(turnId);
    if (this.busy || !turn) return false;
    this.notifyChange(earlierVersion(this.conversation), 'branched');
    this.conversation.removeFrom(turn);
    this.options.sink.refresh();
    this.notifyChange(this.conversation, 'rewound');
    return true;
  }

  /** `resend` with the prompt edited to `text`; if it was not sent, why (undefined: sent). */
  editPrompt(turnId: string, text: string, added: readonly Attachment[] = []): string | undefined {
    if (this.resend(turnId, text, added)) return undefined;
    if (this.busy) return 'Not sent: an answer started meanwhile. Enter sends the edit once it ends.';
    if (!this.conversation.findTurn(turnId)) return 'Not sent: that prompt is no longer in this conversation. Your edit is back in the input box.';
    return 'Not sent: this prompt cannot be edited.';
  }

  /** A new answer to the last turn's prompt, in place of its answer. */
  regenerate(turnId: string): boolean {
    return this.conversation.lastTurn?.id === turnId && this.resend(turnId);
  }

  /** Sends the last turn again, if it failed. */
  retry(turnId?: string): boolean {
    const turn = this.conversation.lastTurn;
    if (this.busy || !turn || turn.answer.status !== 'failed' || (turnId !== undefined && turn.id !== turnId)) return false;
    this.conversation.restart(turn);
    this.start(turn);
    return true;
  }

  /** The mode of the conversation on screen, from its next turn on. */
  setMode(mode: ChatMode): void {
    this.conversation.mode = mode;
  }

  /**
   * A Plan answer's "Run this plan": the conversation switches to Agent and asks for the plan to be
   * carried out. Only for the last turn, answered in Plan mode, and not while a turn runs.
   */
  runPlan(turnId: string): boolean {
    const turn = this.conversation.lastTurn;
    if (this.busy || turn?.id !== turnId || turn.mode !== 'plan' || turn.answer.status !== 'done') return false;
    this.conversation.mode = 'agent';
    return this.send(plainPrompt(RUN_PLAN_PROMPT));
  }

  /** The last turn's error card, if it failed. */
  lastFailure(): { turnId: string; error: ErrorPresentation } | undefined {
    const turn = this.conversation.lastTurn;
    if (turn?.answer.status !== 'failed' || !turn.answer.error) return undefined;
    return { turnId: turn.id, error: turn.answer.error };
  }

  /** Settles when no turn is running, e.g. after `stop()`, once the stopped answer is recorded (and any queued one sent after it). */
  async whenIdle(): Promise<void> {
    let awaited: Promise<void>;
    do {
      awaited = this.running;
      await awaited;
    } while (awaited !== this.running);
  }

  stop(): boolean {
    if (!this.active) return false;
    this.active.abort.abort();
    return true;
  }

  newChat(): void {
    this.open(new Conversation());
  }

  /** Shows `conversation` (a new one, or one reopened from the history); a turn still running stops. */
  open(conversation: Conversation): void {
    const wasBusy = this.stop();
    // The stopped run finishes in the background; it reports to the old conversation, not this one.
    this.active = undefined;
    this.conversation = conversation;
    if (wasBusy) {
      this.sendQueuedAfterStop = false;
      this.queue.hold(HELD_OPENED);
    }
    if (wasBusy) this.options.onBusyChange?.(false);
    this.options.sink.refresh();
    this.options.onConversationChange?.(conversation, 'opened');
  }

  private start(turn: Turn): void {
    const abort = new AbortController();
    this.active = { turn, abort };
    const conversation = this.conversation;
    let progressed = false;
    const progress = setInterval(() => {
      if (!progressed) return;
      progressed = false;
      this.notifyChange(conversation, 'turnProgress');
    }, this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
    let contentArrived = false;
    // Updates from a run whose conversation was replaced by a new chat go nowhere.
    const post = (update: ChatUpdate) => {
      progressed = true;
      if (this.conversation === conversation) this.options.sink.post(update);
      // The first of the answer is saved at once: a reload in its first seconds keeps it.
      if (!contentArrived && isContent(update)) {
        contentArrived = true;
        progressed = false;
        this.notifyChange(conversation, 'turnProgress');
      }
    };
    post({ type: 'turnStarted', turn: toTurnView(turn) });
    this.notifyChange(conversation, 'turnStarted');
    this.setBusy(true, post);
    const { readConfig, resolveApiKey, createClient, tools = NO_TOOLS } = this.options;
    const turnTools = this.withCheckpoint(tools, conversation, turn);
    const onApprovalsChange = () => {
      if (this.conversation === conversation) this.options.onApprovalsChange?.();
    };
    const onRequestsEnded = () => this.postContext(conversation, post);
    const onCompacted = () => {
      this.notifyChange(conversation, 'turnProgress');
      onRequestsEnded();
    };
    this.running = runTurn({ conversation, turn, readConfig, tools: turnTools, resolveApiKey, createClient, signal: abort.signal, log: this.log, post, onApprovalsChange, onCompacted, onRequestsEnded })
      // `run` reports every failure of the request itself; this is a bug in a sink, kept off the floor.
      .catch((error: unknown) => this.log.error(`A turn ended with an unexpected error: ${describeError(error)}`))
      .finally(() => {
        clearInterval(progress);
        // Idle first: whatever saving the turn does, it never leaves the chat busy.
        const ended = this.active?.turn === turn;
        if (ended) {
          this.active = undefined;
          this.setBusy(false, post);
        }
        if (isRestorable(turn)) post({ type: 'restorable', turnId: turn.id });
        // Also when the conversation was replaced meanwhile: its stopped answer is saved all the same.
        this.notifyChange(conversation, 'turnEnded');
        if (ended) this.afterTurn(turn);
      });
  }

  /** The turn's tools, taking the turn's checkpoint (kept on the turn, saved with it) before the first change. */
  private withCheckpoint(tools: ToolRunner, conversation: Conversation, turn: Turn): ToolRunner {
    const { checkpoints } = this.options;
    if (!checkpoints) return tools;
    const take = async () => {
      // A retried turn keeps the checkpoint of before its first attempt, which may have changed files.
      if (turn.checkpoint) return;
      try {
        const started = performance.now();
        turn.checkpoint = await checkpoints.take(conversation.id, `before turn ${turn.id}`);
        this.log.info(`Checkpoint of turn ${turn.id}: ${turn.checkpoint.folders.length} folders in ${Math.round(performance.now() - started)} ms`);
        for (const note of turn.checkpoint.notes) this.log.warn(`Checkpoint of turn ${turn.id}: ${note}`);
      } catch (error) {
        this.log.error(`The checkpoint of turn ${turn.id} failed: ${describeError(error)}`);
      }
    };
    // Turn ids are unique across conversations (they start with the conversation's): the record's name.
    const keep = async (file: string, before: Uint8Array | undefined) => {
      if (!turn.checkpoint) return;
      try {
        await checkpoints.keepBeforeEdit(conversation.id, turn.checkpoint, turn.id, file, before);
      } catch (error) {
        this.log.error(`Keeping ${file} for the checkpoint of turn ${turn.id} failed: ${describeError(error)}`);
      }
    };
    return checkpointBeforeChanges(tools, take, keep);
  }

  /**
   * The queued message goes after an answer that is done (or stopped to send it); otherwise it is
   * held. A held one waits for Send or ×, also through a retried answer.
   */
  private afterTurn(turn: Turn): void {
    const stopAndSend = this.sendQueuedAfterStop;
    this.sendQueuedAfterStop = false;
    if (!this.queue.waiting || (this.queue.held && !stopAndSend)) return;
    if (stopAndSend || turn.answer.status === 'done') {
      this.sendNextQueued();
      return;
    }
    this.queue.hold(turn.answer.status === 'failed' ? HELD_FAILED : HELD_STOPPED);
    this.postQueue();
  }

  private sendNextQueued(): boolean {
    const next = this.queue.take();
    if (!next) return false;
    this.postQueue();
    return this.send(promptWithAttachments(next.text, next.attachments, next.images));
  }

  private postQueue(): void {
    const queued = this.queue.view();
    this.options.sink.post({ type: 'queued', ...(queued ? { queued } : {}) });
    this.options.onQueueChange?.(this.queue.peek());
  }

  /** A listener that throws (a save that failed at once) must not stop the turn that reports to it. */
  private notifyChange(conversation: Conversation, event: ConversationEvent): void {
    try {
      this.options.onConversationChange?.(conversation, event);
    } catch (error) {
      this.log.error(`Saving after "${event}" failed: ${describeError(error)}`);
    }
  }

  private setBusy(busy: boolean, post: (update: ChatUpdate) => void): void {
    this.options.onBusyChange?.(busy);
    post({ type: 'busy', busy });
  }
}
