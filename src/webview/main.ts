/**
 * The Chat view's page. The host owns the conversation; this script renders what it is told and
 * reports what the user does. Plain DOM, no framework; model text enters only as text nodes.
 */
import { dispatchMessage, type ErrorAction, type HostToWebview, type MessageHandlers, type TurnView } from '../shared/protocol';
import { required } from './dom';
import { TurnElement } from './turnElement';
import { host } from './vscodeApi';

const conversation = required<HTMLElement>('#conversation');
const emptyState = required<HTMLElement>('#empty');
const announcer = required<HTMLElement>('#announcer');
const composer = required<HTMLFormElement>('#composer');
const prompt = required<HTMLTextAreaElement>('#prompt');
const sendButton = required<HTMLButtonElement>('#send');
const stopButton = required<HTMLButtonElement>('#stop');

const turns = new Map<string, TurnElement>();
let busy = false;

// ---------------------------------------------------------------------------------------------------
// Rendering

function onAction(action: ErrorAction, turnId: string): void {
  host.postMessage(action === 'retry' ? { type: 'retry', turnId } : { type: 'action', action, turnId });
}

/** Whether the reader is following the end of the conversation (then new text keeps it in view). */
function isFollowingEnd(): boolean {
  return conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 48;
}

function scrollToEnd(): void {
  conversation.scrollTop = conversation.scrollHeight;
}

function announce(text: string): void {
  announcer.textContent = text;
}

function addTurn(turn: TurnView): void {
  const view = TurnElement.from(turn, onAction);
  const existing = turns.get(turn.id);
  if (existing) {
    // A retried turn replaces its previous attempt in place.
    existing.user.replaceWith(view.user);
    existing.assistant.replaceWith(view.assistant);
  } else {
    for (const older of turns.values()) older.disableRetry();
    conversation.append(view.user, view.assistant);
  }
  turns.set(turn.id, view);
  emptyState.hidden = true;
}

function renderAll(all: TurnView[]): void {
  for (const view of turns.values()) view.remove();
  turns.clear();
  all.forEach(addTurn);
  emptyState.hidden = all.length > 0;
  scrollToEnd();
}

function setBusy(value: boolean): void {
  busy = value;
  const stopHadFocus = document.activeElement === stopButton;
  sendButton.hidden = value;
  stopButton.hidden = !value;
  if (stopHadFocus && !value) prompt.focus();
}

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
  for (const { turnId, index, kind, text } of pendingDeltas.splice(0)) {
    const view = turns.get(turnId);
    if (kind === 'text') view?.appendText(index, text);
    else view?.appendThinking(index, text);
  }
  if (follow) scrollToEnd();
}

// ---------------------------------------------------------------------------------------------------
// Messages from the host

const handlers: MessageHandlers<HostToWebview> = {
  state: (message) => {
    renderAll(message.turns);
    setBusy(message.busy);
    // The page's own draft (kept across hiding) wins over the host's copy.
    if (prompt.value === '' && message.draft) prompt.value = message.draft;
  },
  turnStarted: ({ turn }) => {
    addTurn(turn);
    scrollToEnd();
  },
  blockStart: ({ turnId, index, block }) => turns.get(turnId)?.startBlock(index, block),
  textDelta: ({ turnId, index, text }) => queueDelta({ turnId, index, kind: 'text', text }),
  thinkingDelta: ({ turnId, index, text }) => queueDelta({ turnId, index, kind: 'thinking', text }),
  retrying: ({ turnId, attempt, delayMs, reason }) => turns.get(turnId)?.showRetrying(attempt, delayMs, reason),
  turnFinished: ({ turnId, status, usage, note }) => {
    turns.get(turnId)?.finish(status, usage, note);
    announce(status === 'stopped' ? 'Answer stopped.' : 'Answer complete.');
  },
  turnFailed: ({ turnId, error }) => {
    turns.get(turnId)?.fail(error);
    announce(`${error.title}. ${error.message}`);
  },
  busy: ({ busy: value }) => setBusy(value),
};

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (!message || typeof message.type !== 'string' || !Object.hasOwn(handlers, message.type)) return;
  // Deltas already queued belong before whatever comes next.
  if (message.type !== 'textDelta' && message.type !== 'thinkingDelta') flushDeltas();
  const follow = isFollowingEnd();
  dispatchMessage(handlers, message);
  if (follow && message.type !== 'textDelta' && message.type !== 'thinkingDelta') scrollToEnd();
});

// ---------------------------------------------------------------------------------------------------
// The input box

let draftTimer: ReturnType<typeof setTimeout> | undefined;

function saveDraft(immediately = false): void {
  const text = prompt.value;
  host.setState({ draft: text });
  clearTimeout(draftTimer);
  const post = () => host.postMessage({ type: 'draftChanged', text });
  if (immediately) post();
  else draftTimer = setTimeout(post, 300);
}

function send(): void {
  const text = prompt.value;
  if (busy || text.trim() === '') return;
  host.postMessage({ type: 'send', text });
  prompt.value = '';
  saveDraft(true);
}

function stop(): void {
  if (busy) host.postMessage({ type: 'stop' });
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});

prompt.addEventListener('input', () => saveDraft());

prompt.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition is neither.
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && busy) {
    event.preventDefault();
    stop();
  }
});

stopButton.addEventListener('click', () => {
  stop();
  prompt.focus();
});

// ---------------------------------------------------------------------------------------------------
// Start: restore the draft at once, then ask the host for the conversation.

prompt.value = host.getState()?.draft ?? '';
host.postMessage({ type: 'ready' });
