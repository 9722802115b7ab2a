import './controls.css';
import type { QueuedView } from '../shared/protocol';
import { codicon, element, iconButton, textButton } from './dom';

export interface QueuedChipListeners {
  /** Send it now (stopping the answer first, if one streams). */
  send(): void;
  /** Not to be sent: its text goes back into the input box. */
  cancel(text: string): void;
}

/**
 * The message sent while an answer streams, under the conversation until it is sent: its text, when it
 * goes, and Stop and Send (or Send Now, when it was held) and × (back into the input box).
 */
export class QueuedChip {
  readonly element = element('section', 'queued-message');
  private queued: QueuedView | undefined;
  private busy = false;

  constructor(private readonly listeners: QueuedChipListeners) {
    this.element.setAttribute('aria-label', 'Queued message');
    this.element.hidden = true;
  }

  show(queued: QueuedView | undefined): void {
    this.queued = queued;
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private render(): void {
    const hadFocus = this.element.contains(document.activeElement);
    const queued = this.queued;
    this.element.hidden = !queued;
    this.element.classList.toggle('held', queued?.held !== undefined);
    if (!queued) {
      this.element.replaceChildren();
      return;
    }
    const status = element('div', 'queued-status');
    status.append(codicon(queued.held ? 'warning' : 'clock'), element('span', undefined, queued.held ?? 'Queued: sent when this answer ends'));
    const text = element('div', 'queued-text', queued.text);
    const attached = queued.attachments.length > 0 ? [element('div', 'queued-attachments', `With ${queued.attachments.map((a) => a.label).join(', ')}`)] : [];
    const send = this.busy ? textButton('debug-stop', 'Stop and Send', 'button secondary') : textButton('send', 'Send Now', 'button secondary');
    send.classList.add('queued-send');
    send.addEventListener('click', () => this.listeners.send());
    const cancel = iconButton('close', 'Cancel queued message (back into the input box)');
    cancel.classList.add('queued-cancel');
    cancel.addEventListener('click', () => this.listeners.cancel(queued.text));
    const actions = element('div', 'queued-actions');
    actions.append(send, cancel);
    this.element.replaceChildren(status, text, ...attached, actions);
    if (hadFocus) send.focus();
  }
}
