/**
 * The one message protocol between the extension host and the Chat webview. Both sides import it, so
 * the compiler checks every `postMessage` and every handler; the host also validates what arrives
 * (`parseWebviewMessage`), because a webview is untrusted input.
 *
 * No API key, nor anything a key could be read from, ever crosses this protocol.
 *
 * This module is pure TypeScript: no `vscode`, no DOM, no Node.
 */

import { CHAT_MODES, type ChatMode } from './chatModes';

// ---------------------------------------------------------------------------------------------------
// What the view shows

/** What an error card's buttons can do; the host carries each one out. */
export type ErrorAction = 'setApiKey' | 'topUp' | 'retry' | 'openSettings' | 'showLog';

export const ERROR_ACTIONS: readonly ErrorAction[] = ['setApiKey', 'topUp', 'retry', 'openSettings', 'showLog'];

/** A failure as a person reads it: what happened, and the buttons that fix it. */
export interface ErrorPresentation {
  title: string;
  message: string;
  actions: ErrorAction[];
  /** The setting `openSettings` should show, e.g. `sonnet.model`; all of ours when absent. */
  setting?: string;
}

/** Code the user sent from an editor, shown as a compact reference instead of the code itself. */
export interface CodeReference {
  /** Workspace-relative when the file is in the workspace. */
  path: string;
  languageId: string;
  /** 1-based and inclusive. */
  startLine: number;
  endLine: number;
}

export interface PromptView {
  /** What the user's bubble shows; spans in backticks render as inline code. */
  text: string;
  reference?: CodeReference;
  /** The text an Edit of this prompt starts from (what the user typed); absent when it cannot be edited. */
  editText?: string;
  /** The images sent with it, before its text. */
  images?: ImageView[];
}

/** An image of a prompt (or a chip): its file in the history's image folder (see `imagesUri`), named by its content. */
export interface ImageView {
  file: string;
  /** The name it was pasted or dropped with. */
  name: string;
  width: number;
  height: number;
  /** Its file was gone when the conversation was opened: the model was told so instead. */
  missing?: boolean;
}

/** Where a tool call is in its life; `awaitingApproval` shows Accept and Reject. */
export type ToolCallStatus = 'running' | 'awaitingApproval' | 'done' | 'failed' | 'rejected' | 'cancelled';

/** A tool the model called, as the view shows it: what it did, to what, and how it went. */
export interface ToolCallView {
  /** The `tool_use` block's id. */
  id: string;
  name: string;
  /** One line naming what the call acts on, e.g. `src/app.ts, lines 1–40`. */
  summary: string;
  /** The arguments as pretty JSON, shortened when long. */
  input: string;
  status: ToolCallStatus;
  /** Whether it changes files (and so asks for approval). */
  changesFiles: boolean;
  /** The result or the error as the model got it, once there is one (the card cuts it for reading). */
  result?: string;
  /** While it waits for approval: the command rule an "Always allow" choice would add (`npm test`). */
  alwaysAllow?: string;
  /** While an edit waits for approval: the card offers "Accept all edits in this chat" (answered with `always`). */
  acceptAllEdits?: boolean;
  /** A few words on the result, e.g. `3 matches in 2 files`. */
  resultSummary?: string;
  /** While awaiting approval: what the user is asked, e.g. why a file needs their consent. */
  question?: string;
  /** The model's input was cut off (by `max_tokens`, say): `input` holds only its complete values. */
  inputCutOff?: boolean;
}

/** One content block of an answer, as the view renders it. */
export type BlockView =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string }
  | { kind: 'redactedThinking' }
  | { kind: 'toolUse'; call: ToolCallView }
  /** A block type this version does not know; shown as a note, never dropped silently. */
  | { kind: 'other'; type: string };

export type AnswerStatus = 'streaming' | 'done' | 'stopped' | 'failed';

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  credits: number;
  /** `provider` when the provider said what it charged, `computed` from the price table otherwise. */
  creditsSource: 'provider' | 'computed';
}

export interface AnswerView {
  status: AnswerStatus;
  /** In the order the model produced them; the index is the one deltas refer to. */
  blocks: BlockView[];
  usage?: UsageView;
  /** Why the answer ended early, e.g. the `maxTokens` limit. */
  note?: string;
  error?: ErrorPresentation;
}

/** One exchange: the user's prompt and the answer to it. */
export interface TurnView {
  id: string;
  prompt: PromptView;
  answer: AnswerView;
  /** Said before the answer when older turns were left out to fit the context window. */
  contextNote?: string;
  /** The turn changed files and kept a checkpoint of them: its toolbar offers Restore checkpoint. */
  restorable?: boolean;
  /** The mode the turn ran in; absent in conversations saved before there were modes. */
  mode?: ChatMode;
  /** The conversation was compacted after this turn: the card shown after its answer. */
  compaction?: CompactionView;
}

/** A compaction's card: the summary that replaced the older turns in what is sent, and what it cost. */
export interface CompactionView {
  summary: string;
  /** How many turns from the first it stands for. */
  coveredTurns: number;
  usage?: UsageView;
  /** Shown before the turn's answer (done before its request), else after it (on demand). */
  beforeAnswer?: boolean;
}

/** The header's context meter: the last request's tokens and the next one's estimate, against the window. */
export interface ContextMeterView {
  window: number;
  /** What the provider counted for the last request (input, cache read and cache creation). */
  lastRequestTokens?: number;
  /** The next request's estimate, split by what takes the room; `total` is their sum. */
  next: { systemAndTools: number; history: number; attachments: number; toolResults: number; images: number; total: number };
}

/** Context the user attached to the next prompt (the active file, or a selection), shown as a chip. */
export interface AttachmentView {
  id: string;
  /** e.g. `src/app.ts` or `src/app.ts:12-30`. */
  label: string;
  kind: 'file' | 'selection' | 'image';
  /** For an image: its thumbnail. */
  image?: ImageView;
}

/** An entry of the @ picker: a workspace file or folder (its path, as mentions write it), or a special mention. */
export interface MentionItemView {
  kind: 'file' | 'folder' | 'special';
  /** The path (folders end with `/`) or the special mention's name, without the `@`. */
  value: string;
  /** What a special mention attaches, or `folder`; empty for files. */
  detail: string;
}

/** A saved conversation in the history list. */
export interface ConversationSummary {
  id: string;
  title: string;
  /** Milliseconds since the epoch. */
  updatedAt: number;
  turnCount: number;
}

/** The account balance from `GET /credits`, or why it could not be read. */
export type BalanceView = { status: 'known'; credits: number } | { status: 'unknown'; reason: string };

/**
 * The turns before those a message holds, which the host left out so a long conversation costs the
 * view only its latest turns (see `turnWindow.ts`); the view offers to show them.
 */
export interface EarlierTurns {
  count: number;
  /** Their answers' usage summed, so the conversation's total stays whole. */
  usage?: UsageView;
}

/**
 * The message the user sent while an answer streamed: sent when that answer is done. `held` says why
 * it was not sent (that answer stopped or failed): then it waits for Send or ×.
 */
export interface QueuedView {
  text: string;
  attachments: AttachmentView[];
  held?: string;
}

/** An earlier prompt being edited in the input box: the turn it replaces, and the draft put aside meanwhile. */
export interface EditingView {
  turnId: string;
  draft: string;
}

/** The toggles the view offers, as they stand for the conversation shown. */
export interface ViewSettings {
  thinking: boolean;
  mode: ChatMode;
  /** What runs without a click (the "Auto-approving" badge); absent when nothing does. */
  autoApproving?: AutoApprovingView;
}

export interface AutoApprovingView {
  /** "Accept all edits in this chat" was chosen; the badge's click turns it off. */
  editsInChat: boolean;
  /** `sonnet.tools.autoApproveEdits`. */
  editsAlways: boolean;
  /** Allow rules of `sonnet.tools.commandRules`. */
  commandRules: number;
}

// ---------------------------------------------------------------------------------------------------
// Host -> webview

export type HostToWebview =
  /** Everything the view shows, sent whenever it (re)loads, so hiding or reloading it loses nothing. */
  | {
      type: 'state';
      conversationId: string;
      /** The latest turns; absent `earlier`, the whole conversation. */
      turns: TurnView[];
      earlier?: EarlierTurns;
      busy: boolean;
      draft: string;
      /** Set while `draft` is an edit of an earlier prompt. */
      editing?: EditingView;
      /** When the page saved `draft` (its clock): the newer of it and the page's own state wins. */
      draftSavedAt?: number;
      attachments: AttachmentView[];
      settings: ViewSettings;
      queued?: QueuedView;
      /** Where the images' files are, as the page may load them (`<img src="${imagesUri}/${file}">`). */
      imagesUri?: string;
      context?: ContextMeterView;
    }
  /** A new turn, or a retried one (same id: the view replaces it). */
  | { type: 'turnStarted'; turn: TurnView }
  | { type: 'blockStart'; turnId: string; index: number; block: BlockView }
  | { type: 'textDelta'; turnId: string; index: number; text: string }
  | { type: 'thinkingDelta'; turnId: string; index: number; text: string }
  /** A failed attempt will be retried by the client after `delayMs`; nothing has streamed yet. */
  | { type: 'retrying'; turnId: string; attempt: number; delayMs: number; reason: string }
  | { type: 'turnFinished'; turnId: string; status: 'done' | 'stopped'; usage?: UsageView; note?: string }
  /** The error card; any partial answer already shown stays. */
  | { type: 'turnFailed'; turnId: string; error: ErrorPresentation }
  /** The ended turn changed files and kept a checkpoint: show its Restore checkpoint button. */
  | { type: 'restorable'; turnId: string }
  | { type: 'busy'; busy: boolean }
  /** The tool block at `index` changed (status, result). */
  | { type: 'toolCall'; turnId: string; index: number; call: ToolCallView }
  | { type: 'attachments'; attachments: AttachmentView[] }
  /** The saved conversations, newest first, whenever the list changes or the view asks. */
  | { type: 'history'; conversations: ConversationSummary[]; activeId: string }
  | { type: 'balance'; balance: BalanceView }
  | { type: 'settings'; settings: ViewSettings }
  /** The queued message changed (queued, extended, held, sent or cancelled: then absent). */
  | { type: 'queued'; queued?: QueuedView }
  /** The turns just before turn `before`, as asked with `showEarlierTurns`; `earlier` still precede them. */
  | { type: 'earlierTurns'; before: string; turns: TurnView[]; earlier: number }
  /**
   * Text for the input box, before whatever it holds (after a blank line): a queued message a reload
   * kept from being sent. The page's `draftChanged` that holds it tells the host it has it.
   */
  | { type: 'putBack'; text: string }
  /** The host did not send an edit (`editPrompt`): why, and the edit, so it is not lost. */
  | { type: 'editRefused'; turnId: string; text: string; reason: string }
  /** A command showed the view: put the keyboard in the input, or open the history panel. */
  | { type: 'focus'; target: FocusTarget }
  /** An image the page sent (`attachImage`, `attachImageFile`) was not attached: why. */
  | { type: 'imageRefused'; name: string; reason: string }
  /** An image the page sent (`attachImage`) was taken: a new chip, or (`duplicate`) the same image is on one already. */
  | { type: 'imageAttached'; name: string; duplicate: boolean }
  /** A message (`send`) the host did not queue, its attachments still on the chips: its text goes back into the box, saying why. */
  | { type: 'sendRefused'; text: string; reason: string }
  /** The bytes of an image file dragged from the Explorer (`readImageFile`), for the page to scale like a pasted one. */
  | { type: 'imageFile'; name: string; mediaType: string; data: string }
  /**
   * At turn `turnId` (before its answer, or after it): a compaction runs (`running`), is done
   * (`compaction`), or ended without one (neither); `note` says why one asked for was not done.
   */
  | { type: 'compaction'; turnId: string; beforeAnswer?: boolean; running?: boolean; compaction?: CompactionView; note?: string }
  | { type: 'context'; context: ContextMeterView }
  /** The @ picker's entries for the query of `mentionQuery` number `requestId`. */
  | { type: 'mentionItems'; requestId: number; items: MentionItemView[] }
  /** Files and folders dropped on the view (`dropUris`), as mentions to put at the caret. */
  | { type: 'droppedMentions'; mentions: string[] }
  /** An MCP server failed, crashed or timed out (`message`, with Restart), or runs again (no `message`: the notice goes). */
  | { type: 'mcpNotice'; server: string; message?: string };

/** Where a command that shows the view puts the keyboard. */
export type FocusTarget = 'input' | 'history';

/** The deltas, which the host may merge before posting (see `DeltaCoalescer`). */
export type DeltaMessage = Extract<HostToWebview, { type: 'textDelta' | 'thinkingDelta' }>;

// ---------------------------------------------------------------------------------------------------
// Webview -> host

export type WebviewToHost =
  /** The script has loaded and listens; the host answers with `state`. */
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  /** The queued message now: after stopping the answer that streams, if one does. */
  | { type: 'sendQueued' }
  /** The queued message is not to be sent; the page has put its text back into the input box. */
  | { type: 'cancelQueued' }
  /** Replaces turn `turnId` and every later one with `text` as its prompt (see `PromptView.editText`). */
  | { type: 'editPrompt'; turnId: string; text: string }
  /** A new answer to the last turn's prompt, in place of the one it has. */
  | { type: 'regenerate'; turnId: string }
  /** The turn's Restore checkpoint button: the host confirms (files, diffs) and restores. */
  | { type: 'restoreCheckpoint'; turnId: string }
  | { type: 'retry'; turnId: string }
  | { type: 'action'; action: ErrorAction; turnId?: string }
  | { type: 'newChat' }
  /** The unsent text of the input box, so the host can restore it with `state`. */
  | { type: 'draftChanged'; text: string; editing?: EditingView; savedAt?: number }
  /** The user's answer to a changing tool call awaiting approval. */
  | { type: 'approveTool'; turnId: string; toolUseId: string; approved: boolean; always?: boolean }
  /**
   * A code block's toolbar: copy it, insert it at the editor's cursor, or open it in a new editor.
   * `language` is the VS Code language id the page made of the fence's language (`ts` → `typescript`).
   */
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  /** A link in an answer; the host opens http(s) links only. */
  | { type: 'openLink'; href: string }
  | { type: 'attach'; what: 'file' | 'selection' }
  | { type: 'removeAttachment'; id: string }
  | { type: 'showHistory' }
  | { type: 'openConversation'; id: string }
  /** The host asks for the new title. */
  | { type: 'renameConversation'; id: string }
  /** The host asks for confirmation. */
  | { type: 'deleteConversation'; id: string }
  | { type: 'setThinking'; enabled: boolean }
  /** The mode picker: the conversation's mode from its next turn on. */
  | { type: 'setMode'; mode: ChatMode }
  /** A Plan answer's "Run this plan": the conversation switches to Agent and is asked to carry it out. */
  | { type: 'runPlan'; turnId: string }
  /** The "Auto-approving" badge: edits of this chat ask again. */
  | { type: 'stopAutoApprovingEdits' }
  | { type: 'refreshBalance' }
  /** The turns before turn `before`, the first the view shows; the host answers with `earlierTurns`. */
  | { type: 'showEarlierTurns'; before: string }
  /** An image pasted or dropped, scaled by the page: base64 `data` of type `mediaType`. The host checks it again and answers `imageAttached` or `imageRefused`. */
  | { type: 'attachImage'; name: string; mediaType: string; data: string }
  /** An image file dragged from the Explorer: the host answers with its bytes (`imageFile`) or `imageRefused`. */
  | { type: 'readImageFile'; uri: string }
  /** An image of the transcript, opened in an editor. */
  | { type: 'openImage'; file: string }
  /** What the @ picker should list for `query` (typed after the `@`); answered with `mentionItems` and the same id. */
  | { type: 'mentionQuery'; requestId: number; query: string }
  /** Files or folders dropped on the view (their URIs); answered with `droppedMentions`. */
  | { type: 'dropUris'; uris: string[] }
  /** An MCP server notice's Restart. */
  | { type: 'restartMcpServer'; server: string };

export type CodeAction = 'copy' | 'insert' | 'open';

export const CODE_ACTIONS: readonly CodeAction[] = ['copy', 'insert', 'open'];

// ---------------------------------------------------------------------------------------------------
// Type helpers

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;

/**
 * One handler per message type. A handler table typed with it stops compiling when a message is added
 * to the union and not handled.
 */
export type MessageHandlers<U extends { type: string }> = {
  [T in U['type']]: (message: MessageOf<U, T>) => void;
};

/** Calls the handler for `message.type`. */
export function dispatchMessage<U extends { type: string }>(handlers: MessageHandlers<U>, message: U): void {
  const handler = handlers[message.type as U['type']] as (message: U) => void;
  handler(message);
}

/** Longest prompt or draft accepted from the view: far beyond the context window, short of abuse. */
const MAX_TEXT_LENGTH = 2_000_000;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
}

/** An image's base64: at most 3.75 MB decoded (see `MAX_IMAGE_BYTES`), with room for a few bytes over, which the host refuses with a message. */
function isImageData(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 5_100_000;
}

/** Ids, labels and links: short strings. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 4096;
}

type Fields = Record<string, unknown>;

/** Most files one drop attaches. */
const MAX_DROPPED = 100;

/**
 * How each message from the view is checked, by type. A mapped type over the union: a message added
 * to `WebviewToHost` without its parser here stops the build, instead of being dropped at run time.
 */
const PARSERS: { [T in WebviewToHost['type']]: (message: Fields) => MessageOf<WebviewToHost, T> | undefined } = {
  ready: () => ({ type: 'ready' }),
  stop: () => ({ type: 'stop' }),
  sendQueued: () => ({ type: 'sendQueued' }),
  cancelQueued: () => ({ type: 'cancelQueued' }),
  editPrompt: (m) => (isId(m.turnId) && isText(m.text) ? { type: 'editPrompt', turnId: m.turnId, text: m.text } : undefined),
  regenerate: (m) => (isId(m.turnId) ? { type: 'regenerate', turnId: m.turnId } : undefined),
  restoreCheckpoint: (m) => (isId(m.turnId) ? { type: 'restoreCheckpoint', turnId: m.turnId } : undefined),
  newChat: () => ({ type: 'newChat' }),
  showHistory: () => ({ type: 'showHistory' }),
  refreshBalance: () => ({ type: 'refreshBalance' }),
  send: (m) => (isText(m.text) ? { type: 'send', text: m.text } : undefined),
  draftChanged: (m) => {
    if (!isText(m.text) || (m.savedAt !== undefined && !Number.isFinite(m.savedAt))) return undefined;
    const savedAt = typeof m.savedAt === 'number' ? { savedAt: m.savedAt } : {};
    if (m.editing === undefined) return { type: 'draftChanged', text: m.text, ...savedAt };
    const editing = m.editing as Fields | null;
    return isId(editing?.turnId) && isText(editing.draft)
      ? { type: 'draftChanged', text: m.text, editing: { turnId: editing.turnId, draft: editing.draft }, ...savedAt }
      : undefined;
  },
  retry: (m) => (isId(m.turnId) ? { type: 'retry', turnId: m.turnId } : undefined),
  approveTool: (m) =>
    isId(m.turnId) && isId(m.toolUseId) && typeof m.approved === 'boolean'
      ? { type: 'approveTool', turnId: m.turnId, toolUseId: m.toolUseId, approved: m.approved, ...(m.always === true ? { always: true } : {}) }
      : undefined,
  codeAction: (m) => {
    const action = CODE_ACTIONS.find((known) => known === m.action);
    return action && isText(m.code) && isId(m.language) ? { type: 'codeAction', action, code: m.code, language: m.language } : undefined;
  },
  openLink: (m) => (isId(m.href) ? { type: 'openLink', href: m.href } : undefined),
  attach: (m) => (m.what === 'file' || m.what === 'selection' ? { type: 'attach', what: m.what } : undefined),
  showEarlierTurns: (m) => (isId(m.before) ? { type: 'showEarlierTurns', before: m.before } : undefined),
  mentionQuery: (m) => (Number.isSafeInteger(m.requestId) && isId(m.query) ? { type: 'mentionQuery', requestId: m.requestId as number, query: m.query } : undefined),
  dropUris: (m) => (Array.isArray(m.uris) && m.uris.length <= MAX_DROPPED && m.uris.every(isId) ? { type: 'dropUris', uris: m.uris } : undefined),
  removeAttachment: (m) => (isId(m.id) ? { type: 'removeAttachment', id: m.id } : undefined),
  openConversation: (m) => (isId(m.id) ? { type: 'openConversation', id: m.id } : undefined),
  renameConversation: (m) => (isId(m.id) ? { type: 'renameConversation', id: m.id } : undefined),
  deleteConversation: (m) => (isId(m.id) ? { type: 'deleteConversation', id: m.id } : undefined),
  setThinking: (m) => (typeof m.enabled === 'boolean' ? { type: 'setThinking', enabled: m.enabled } : undefined),
  setMode: (m) => {
    const mode = CHAT_MODES.find((known) => known === m.mode);
    return mode ? { type: 'setMode', mode } : undefined;
  },
  runPlan: (m) => (isId(m.turnId) ? { type: 'runPlan', turnId: m.turnId } : undefined),
  attachImage: (m) =>
    isId(m.name) && isId(m.mediaType) && isImageData(m.data) ? { type: 'attachImage', name: m.name, mediaType: m.mediaType, data: m.data } : undefined,
  readImageFile: (m) => (isId(m.uri) ? { type: 'readImageFile', uri: m.uri } : undefined),
  openImage: (m) => (isId(m.file) ? { type: 'openImage', file: m.file } : undefined),
  stopAutoApprovingEdits: () => ({ type: 'stopAutoApprovingEdits' }),
  action: (m) => {
    const action = ERROR_ACTIONS.find((known) => known === m.action);
    if (!action) return undefined;
    if (m.turnId === undefined) return { type: 'action', action };
    return isId(m.turnId) ? { type: 'action', action, turnId: m.turnId } : undefined;
  },
  restartMcpServer: (m) => (isId(m.server) ? { type: 'restartMcpServer', server: m.server } : undefined),
};

/** The message, if `value` is a well-formed `WebviewToHost`; undefined otherwise. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const message = value as Fields;
  const type = message.type;
  if (typeof type !== 'string' || !Object.hasOwn(PARSERS, type)) return undefined;
  return PARSERS[type as WebviewToHost['type']](message);
}
