import './controls.css';
import { codicon, element, iconButton } from './dom';
import { host } from './vscodeApi';

const EDITING = 'Editing prompt — later turns will be replaced';

/**
 * An earlier prompt being edited in the input box, under a banner that says what sending it does.
 * The draft the box held is put aside and comes back when the edit is sent or cancelled (Escape, ×).
 * An edit is not sent while an answer streams: the host would refuse it, and the text would be lost.
 */
export class PromptEditing {
  private editing: { turnId: string; draft: string } | undefined;
  private busy = false;
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

  start(turnId: string, text: string): void {
    this.editing = { turnId, draft: this.editing?.draft ?? this.prompt.value };
    this.prompt.value = text;
    this.banner.hidden = false;
    this.prompt.setAttribute('aria-describedby', this.banner.id);
    this.render();
    this.prompt.focus();
    this.prompt.setSelectionRange(text.length, text.length);
    this.onTextChange();
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
    this.editing = undefined;
    this.banner.hidden = true;
    this.prompt.removeAttribute('aria-describedby');
    this.onTextChange();
  }

  private render(): void {
    this.note.textContent = this.busy ? `${EDITING} (Enter sends it once this answer ends)` : EDITING;
  }
}
