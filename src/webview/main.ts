/**
 * The Chat view's page. The host owns the conversation; this script renders what it is told and
 * reports what the user does. Plain DOM, no framework; model text enters as text nodes or as the
 * markdown renderer's escaped HTML.
 */
import './markdown/markdown.css';
import { dispatchMessage, type HostToWebview, type MessageHandlers } from '../shared/protocol';
import { AttachmentChips } from './attachmentChips';
import { handleAnswerClicks } from './answerClicks';
import { ChatHeader } from './chatHeader';
import { showCompaction } from './compactionUpdates';
import { ContextMeter } from './contextMeter';
import { Composer } from './composer';
import { required } from './dom';
import { aroundFrameWork } from './frameWork';
import { HistoryPanel } from './historyPanel';
import { ImageInput } from './imageInput';
import { setImagesUri } from './imageThumbnails';
import { JumpToLatest } from './jumpToLatest';
import { MentionDrop } from './mentionDrop';
import { MentionHighlight } from './mentionHighlight';
import { MentionPicker } from './mentionPicker';
import { McpNotices } from './mcpNotices';
import { ModeControls } from './modeControls';
import { QueuedChip } from './queuedChip';
import type { TurnListeners } from './turnElement';
import { TurnList } from './turnList';
import { host } from './vscodeApi';

const conversation = required<HTMLElement>('#conversation');
const emptyState = required<HTMLElement>('#empty');
const announcer = required<HTMLElement>('#announcer');

function announce(text: string): void {
  announcer.textContent = text;
}

const composer = new Composer({
  form: required('#composer'),
  prompt: required('#prompt'),
  send: required('#send'),
  stop: required('#stop'),
  attachFile: required('#attach-file'),
  attachSelection: required('#attach-selection'),
  thinking: required('#thinking-toggle'),
});

new MentionHighlight(required('#prompt'));
const mentionPicker = new MentionPicker(required('#prompt'), announce);
const mentionDrop = new MentionDrop(required('#prompt'));

const modeControls = new ModeControls(required('#mode-picker'), required('#auto-approving'));

const header = new ChatHeader(
  { balance: required('#balance'), refresh: required('#refresh-balance'), total: required('.conversation-total') },
  () => host.postMessage({ type: 'refreshBalance' }),
);

const meter = new ContextMeter(required('#context-meter'));

const attachments = new AttachmentChips(
  required('#attachments'),
  (id) => host.postMessage({ type: 'removeAttachment', id }),
  required('#prompt'),
);

const imageInput = new ImageInput(required('#prompt'), () => attachments.imageCount);

const queuedChip = new QueuedChip({
  send: () => host.postMessage({ type: 'sendQueued' }),
  cancel: (text) => {
    composer.putBack(text);
    composer.focus();
    host.postMessage({ type: 'cancelQueued' });
  },
});
required('#composer').before(queuedChip.element);

const mcpNotices = new McpNotices({
  restart: (server) => host.postMessage({ type: 'restartMcpServer', server }),
  showLog: () => host.postMessage({ type: 'action', action: 'showLog' }),
});
queuedChip.element.before(mcpNotices.element);

const history = new HistoryPanel(
  { panel: required('#history'), list: required('#history-list'), newChat: required('#history-new-chat'), back: required('#history-back') },
  {
    open: (id) => host.postMessage({ type: 'openConversation', id }),
    rename: (id) => host.postMessage({ type: 'renameConversation', id }),
    remove: (id) => host.postMessage({ type: 'deleteConversation', id }),
    newChat: () => host.postMessage({ type: 'newChat' }),
    closed: () => {
      conversation.hidden = false;
      composer.focus();
    },
  },
);

/** The panel takes the conversation's place (the view's title bar opens it: Sonnet: Show History). */
function showHistory(): void {
  conversation.hidden = true;
  history.open();
  host.postMessage({ type: 'showHistory' });
}

handleAnswerClicks(announce);

// ---------------------------------------------------------------------------------------------------
// The conversation

const turnListeners: TurnListeners = {
  onAction: (action, turnId) => host.postMessage(action === 'retry' ? { type: 'retry', turnId } : { type: 'action', action, turnId }),
  onApprove: (turnId, toolUseId, approved, always) => host.postMessage({ type: 'approveTool', turnId, toolUseId, approved, ...(always ? { always } : {}) }),
  onEdit: (turnId, text) => composer.editPrompt(turnId, text),
  onRegenerate: (turnId) => host.postMessage({ type: 'regenerate', turnId }),
  onRestore: (turnId) => host.postMessage({ type: 'restoreCheckpoint', turnId }),
  onRunPlan: (turnId) => host.postMessage({ type: 'runPlan', turnId }),
  onCopy: (markdown) => {
    host.postMessage({ type: 'codeAction', action: 'copy', code: markdown, language: 'markdown' });
    announce('Copied');
  },
};

const turns = new TurnList(conversation, turnListeners, (before) => host.postMessage({ type: 'showEarlierTurns', before }));

/** Whether the reader is following the end of the conversation (then new text keeps it in view). */
function isFollowingEnd(): boolean {
  return conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 48;
}

function scrollToEnd(): void {
  conversation.scrollTop = conversation.scrollHeight;
}

const jumpToLatest = new JumpToLatest(conversation, isFollowingEnd, scrollToEnd, () => composer.focus());

// ---------------------------------------------------------------------------------------------------
// Deltas, applied once per animation frame however many arrive

interface PendingDelta {
  turnId: string;
  index: number;
  kind: 'text' | 'thinking';
  text: string;
}

const pendingDeltas: PendingDelta[] = [];
let frame: number | undefined;

function queueDelta(delta: PendingDelta): void {
  const last = pendingDeltas[pendingDeltas.length - 1];
  if (last && last.turnId === delta.turnId && last.index === delta.index && last.kind === delta.kind) last.text += delta.text;
  else pendingDeltas.push({ ...delta });
  frame ??= requestAnimationFrame(flushDeltas);
}

function flushDeltas(): void {
  if (frame !== undefined) cancelAnimationFrame(frame);
  frame = undefined;
  if (pendingDeltas.length === 0) return;
  const follow = isFollowingEnd();
  const height = conversation.scrollHeight;
  for (const { turnId, index, kind, text } of pendingDeltas.splice(0)) {
    const view = turns.get(turnId);
    if (kind === 'text') view?.appendText(index, text);
    else view?.appendThinking(index, text);
  }
  jumpToLatest.afterChange(follow, height, scrollToEnd);
}

// Rendering left for later frames keeps the end in view the same way.
aroundFrameWork((run) => {
  const follow = isFollowingEnd();
  const height = conversation.scrollHeight;
  run();
  jumpToLatest.afterChange(follow, height, scrollToEnd);
});

// ---------------------------------------------------------------------------------------------------
// Messages from the host

const handlers: MessageHandlers<HostToWebview> = {
  state: (message) => {
    setImagesUri(message.imagesUri);
    // A conversation was opened or the view reloaded: show it, not the history.
    history.close();
    turns.showConversation(message.turns, message.earlier?.count ?? 0);
    emptyState.hidden = !turns.isEmpty;
    header.showConversation(message.turns, message.earlier?.usage);
    meter.show(message.context);
    scrollToEnd();
    composer.setBusy(message.busy);
    composer.restoreDraft(message.draft, message.editing, message.draftSavedAt);
    turns.setBusy(message.busy);
    queuedChip.setBusy(message.busy);
    queuedChip.show(message.queued);
    composer.setThinking(message.settings.thinking);
    modeControls.show(message.settings);
    attachments.render(message.attachments);
  },
  turnStarted: ({ turn }) => {
    turns.add(turn);
    emptyState.hidden = true;
    header.setTurnUsage(turn.id, turn.answer.usage);
    scrollToEnd();
  },
  blockStart: ({ turnId, index, block }) => {
    turns.get(turnId)?.startBlock(index, block);
    if (block.kind === 'toolUse' && block.call.status === 'awaitingApproval') announce(`${block.call.name} needs your approval: ${block.call.summary}`);
  },
  textDelta: ({ turnId, index, text }) => queueDelta({ turnId, index, kind: 'text', text }),
  thinkingDelta: ({ turnId, index, text }) => queueDelta({ turnId, index, kind: 'thinking', text }),
  retrying: ({ turnId, attempt, delayMs, reason }) => turns.get(turnId)?.showRetrying(attempt, delayMs, reason),
  turnFinished: ({ turnId, status, usage, note }) => {
    turns.get(turnId)?.finish(status, usage, note);
    header.setTurnUsage(turnId, usage);
    announce(status === 'stopped' ? 'Answer stopped.' : 'Answer complete.');
  },
  turnFailed: ({ turnId, error }) => {
    turns.get(turnId)?.fail(error);
    announce(`${error.title}. ${error.message}`);
  },
  restorable: ({ turnId }) => turns.get(turnId)?.setRestorable(true),
  busy: ({ busy }) => {
    composer.setBusy(busy);
    turns.setBusy(busy);
    queuedChip.setBusy(busy);
  },
  queued: ({ queued }) => {
    queuedChip.show(queued);
    if (queued) announce(queued.held ?? 'Message queued: sent when this answer ends.');
  },
  toolCall: ({ turnId, index, call }) => {
    turns.get(turnId)?.updateToolCall(index, call);
    if (call.status === 'awaitingApproval') announce(`${call.name} needs your approval: ${call.summary}`);
  },
  attachments: ({ attachments: chips }) => {
    attachments.render(chips);
  },
  imageRefused: ({ name, reason }) => imageInput.refused(name, reason),
  imageAttached: ({ name, duplicate }) => imageInput.attached(name, duplicate),
  sendRefused: ({ text, reason }) => {
    composer.putBack(text);
    imageInput.tell(reason);
  },
  imageFile: ({ name, mediaType, data }) => imageInput.addFileData(name, mediaType, data),
  history: ({ conversations, activeId }) => history.update(conversations, activeId),
  balance: ({ balance }) => header.showBalance(balance),
  settings: ({ settings }) => {
    composer.setThinking(settings.thinking);
    modeControls.show(settings);
  },
  putBack: ({ text }) => composer.putBack(text),
  editRefused: ({ turnId, text, reason }) => {
    composer.editRefused(turnId, text, reason, turns.get(turnId) !== undefined);
    announce(reason);
  },
  focus: ({ target }) => (target === 'history' ? showHistory() : composer.focus()),
  compaction: (message) => showCompaction(turns.get(message.turnId), header, message, announce),
  context: ({ context }) => meter.show(context),
  mentionItems: ({ requestId, items }) => mentionPicker.show(requestId, items),
  droppedMentions: ({ mentions }) => mentionDrop.insert(mentions),
  earlierTurns: (message) => {
    const count = message.turns.length;
    if (turns.showEarlier(message.before, message.turns, message.earlier)) announce(count === 1 ? 'Showing 1 earlier turn.' : `Showing ${count} earlier turns.`);
  },
  mcpNotice: ({ server, message }) => mcpNotices.show(server, message),
};

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (!message || typeof message.type !== 'string' || !Object.hasOwn(handlers, message.type)) return;
  if (message.type === 'textDelta' || message.type === 'thinkingDelta') {
    dispatchMessage(handlers, message);
    return;
  }
  // Deltas already queued belong before whatever comes next.
  flushDeltas();
  const follow = isFollowingEnd();
  const height = conversation.scrollHeight;
  dispatchMessage(handlers, message);
  jumpToLatest.afterChange(follow, height, scrollToEnd);
});

// Start: the draft is already back (Composer); ask the host for the conversation.
host.postMessage({ type: 'ready' });
