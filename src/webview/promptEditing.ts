import './controls.css';
import type { EditingView } from '../shared/protocol';
import { codicon, element, iconButton } from './dom';
import { host } from './vscodeApi';

const EDITING = 'Editing prompt — later turns will be replaced';

/**
 * An earlier prompt being edited in the input box, under a banner that says what sending it does.
 * The draft the box held is put aside and comes back when the edit is sent or cancelled (Escape, ×).
 * An edit is not sent while an answer streams: the host would refuse it. One it refuses all the same
 * (an answer started meanwhile) comes back here with the reason. The edit and the draft put aside are
 * saved with the view's state (`state`), so hiding or reloading the view keeps both, and the banner.
 */
export class PromptEditing {
  private editing: EditingView | undefined;
  private busy = false;
  /** Why the host did not send this edit when it was last sent. */
  private refusal: string | undefined;
  private readonly banner = element('div', 'editing-banner');
  private readonly note = element('span', 'editing-note');

  constructor(
    form: HTMLFormElement,
    private readonly prompt: HTMLTextAreaElement,
    private readonly onTextChange: () => void,
  ) {
    this.banner.id = 'editing-banner';
    this.banner.hidden = true;
    const cancel = iconButton('close', 'Cancel editing (Escape)');
    cancel.addEventListener('click', () => {
      this.cancel();
      prompt.focus();
    });
    this.banner.append(codicon('edit'), this.note, cancel);
    form.prepend(this.banner);
  }

  get active(): boolean {
    return this.editing !== undefined;
  }

  /** What to save with the draft: the turn edited and the draft put aside. */
  get state(): EditingView | undefined {
    return this.editing && { ...this.editing };
  }

  start(turnId: string, text: string, refusal?: string): void {
    this.resume({ turnId, draft: this.editing?.draft ?? this.prompt.value });
    this.refusal = refusal;
    this.render();
    this.prompt.value = text;
    this.prompt.focus();
    this.prompt.setSelectionRange(text.length, text.length);
    this.onTextChange();
  }

  /** An edit saved with the view's state: the box already holds its text. */
  resume(editing: EditingView): void {
    this.editing = editing;
    this.banner.hidden = false;
    this.prompt.setAttribute('aria-describedby', this.banner.id);
    this.render();
  }

  /** Leaves editing without touching the box: a newer draft replaces it. */
  discard(): void {
    this.editing = undefined;
    this.refusal = undefined;
    this.banner.hidden = true;
    this.prompt.removeAttribute('aria-describedby');
  }

  send(): void {
    const text = this.prompt.value;
    if (!this.editing || this.busy || text.trim() === '') return;
    host.postMessage({ type: 'editPrompt', turnId: this.editing.turnId, text });
    this.end();
  }

  cancel(): void {
    this.end();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private end(): void {
    if (!this.editing) return;
    this.prompt.value = this.editing.draft;
    this.discard();
    this.onTextChange();
  }

  private render(): void {
    this.note.textContent = this.refusal ?? (this.busy ? `${EDITING} (Enter sends it once this answer ends)` : EDITING);
  }
}
