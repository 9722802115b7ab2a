import type { EditingView } from '../shared/protocol';
import { PromptEditing } from './promptEditing';
import { PromptRecall, recallDirection } from './promptRecall';
import { host, saveState } from './vscodeApi';

export interface ComposerElements {
  form: HTMLFormElement;
  prompt: HTMLTextAreaElement;
  send: HTMLButtonElement;
  stop: HTMLButtonElement;
  attachFile: HTMLButtonElement;
  attachSelection: HTMLButtonElement;
  thinking: HTMLButtonElement;
}

/**
 * The input box and its buttons. Enter sends (while an answer streams, the host queues the message),
 * Shift+Enter adds a line, Escape (anywhere in the view) or Stop stops the answer, Up and Down recall
 * sent prompts. While an earlier prompt is edited here, Enter sends the edit and Escape cancels it. The draft is kept in the view's state at
 * every keystroke and sent to the host shortly after, so hiding or reloading the view loses none of it.
 */
export class Composer {
  private busy = false;
  private thinking = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly recall: PromptRecall;
  private readonly editing: PromptEditing;

  constructor(private readonly elements: ComposerElements) {
    const { form, prompt, stop, attachFile, attachSelection, thinking } = elements;
    const saved = host.getState();
    // Text typed before this script ran (the input shows at once) is newer than any saved draft.
    const typedEarly = prompt.value !== '';
    if (!typedEarly) prompt.value = saved?.draft ?? '';
    this.recall = new PromptRecall(saved?.sentPrompts ?? []);
    this.editing = new PromptEditing(form, prompt, () => this.saveDraft(true));
    if (saved?.editing && !typedEarly) this.editing.resume(saved.editing);
    if (typedEarly) this.saveDraft(true);

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    prompt.addEventListener('input', () => {
      this.recall.reset();
      this.saveDraft();
    });
    prompt.addEventListener('keydown', (event) => this.onKeyDown(event));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy && !event.defaultPrevented) {
        event.preventDefault();
        this.stop();
      }
    });
    stop.addEventListener('click', () => {
      this.stop();
      prompt.focus();
    });
    attachFile.addEventListener('click', () => host.postMessage({ type: 'attach', what: 'file' }));
    attachSelection.addEventListener('click', () => host.postMessage({ type: 'attach', what: 'selection' }));
    thinking.addEventListener('click', () => {
      // Shown at once; the host keeps the choice for this conversation and as the default for new chats.
      this.setThinking(!this.thinking);
      host.postMessage({ type: 'setThinking', enabled: this.thinking });
    });
    // Disabled in the page's HTML: until now Enter and the button would have done nothing.
    elements.send.disabled = false;
  }

  /**
   * The host's copy of the draft (and of the edit it is), used when the page has none of its own (a
   * fresh page), or an older one: browser-based VS Code may bring a page back from a reload with a
   * state saved long before (seen in code-server: a prompt typed and sent since came back).
   */
  restoreDraft(draft: string, editing: EditingView | undefined, savedAt = 0): void {
    const { prompt } = this.elements;
    const own = prompt.value !== '' || this.editing.active;
    if (own && savedAt <= (host.getState()?.draftSavedAt ?? 0)) return;
    if (!own && draft === '') return;
    if (this.editing.active) this.editing.discard();
    prompt.value = draft;
    if (editing) this.editing.resume(editing);
    saveState({ draft, editing, draftSavedAt: savedAt });
  }

  /** Text that was not sent after all (a cancelled or reloaded queued message), before whatever the box holds. */
  putBack(text: string): void {
    const { prompt } = this.elements;
    prompt.value = prompt.value.trim() === '' ? text : `${text}\n\n${prompt.value}`;
    this.saveDraft(true);
  }

  /**
   * An edit the host did not send: edited again, saying why, while the page still shows its turn;
   * otherwise back into the box as text.
   */
  editRefused(turnId: string, text: string, reason: string, turnShown: boolean): void {
    if (turnShown) this.editing.start(turnId, text, reason);
    else this.putBack(text);
  }

  /** Edit turn `turnId`'s prompt here, starting from `text`; the draft comes back after. */
  editPrompt(turnId: string, text: string): void {
    this.editing.start(turnId, text);
  }

  setBusy(busy: boolean): void {
    const { send, stop, prompt } = this.elements;
    this.busy = busy;
    this.editing.setBusy(busy);
    const stopHadFocus = document.activeElement === stop;
    send.hidden = busy;
    stop.hidden = !busy;
    if (stopHadFocus && !busy) prompt.focus();
  }

  setThinking(enabled: boolean): void {
    this.thinking = enabled;
    const { thinking } = this.elements;
    thinking.setAttribute('aria-pressed', String(enabled));
    thinking.title = enabled ? 'Extended Thinking: On' : 'Extended Thinking: Off';
  }

  focus(): void {
    this.elements.prompt.focus();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { prompt } = this.elements;
    // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.send();
      return;
    }
    if (event.key === 'Escape' && this.editing.active) {
      event.preventDefault();
      this.editing.cancel();
      return;
    }
    if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const direction = recallDirection(event.key, {
      value: prompt.value,
      selectionStart: prompt.selectionStart,
      selectionEnd: prompt.selectionEnd,
      recalling: this.recall.recalling,
    });
    const text = direction === 'previous' ? this.recall.previous(prompt.value) : direction === 'next' ? this.recall.next() : undefined;
    if (text === undefined) return;
    event.preventDefault();
    prompt.value = text;
    // Older prompts are a further Up away; the caret at the start keeps it so for multi-line ones.
    const caret = direction === 'previous' ? 0 : text.length;
    prompt.setSelectionRange(caret, caret);
    this.saveDraft();
  }

  private send(): void {
    const { prompt } = this.elements;
    const text = prompt.value;
    if (this.editing.active) {
      this.editing.send();
      return;
    }
    // While an answer streams the host queues it (attachments too); it says so with `queued`.
    // Images alone are a message too.
    if (text.trim() === '' && !this.elements.form.querySelector('.image-chip')) return;
    host.postMessage({ type: 'send', text });
    this.recall.remember(text);
    saveState({ sentPrompts: [...this.recall.entries] });
    prompt.value = '';
    this.saveDraft(true);
  }

  private stop(): void {
    if (this.busy) host.postMessage({ type: 'stop' });
  }

  private saveDraft(immediately = false): void {
    const text = this.elements.prompt.value;
    const editing = this.editing.state;
    const savedAt = Date.now();
    saveState({ draft: text, editing, draftSavedAt: savedAt });
    clearTimeout(this.draftTimer);
    const post = () => host.postMessage({ type: 'draftChanged', text, savedAt, ...(editing ? { editing } : {}) });
    if (immediately) post();
    else this.draftTimer = setTimeout(post, 300);
  }
}
