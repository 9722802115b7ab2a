import './controls.css';
import { element, iconButton } from './dom';

/** How long Copy shows a check mark. */
const COPIED_MS = 1500;

/**
 * The row under a finished answer: Copy (the answer as markdown), on the last answer Regenerate, and on
 * a turn that changed files Restore checkpoint.
 * Its own row, so it never covers the answer's text.
 */
export class AnswerToolbar {
  readonly element = element('div', 'answer-toolbar');
  private readonly regenerate = iconButton('refresh', 'Regenerate answer', 'icon-button turn-control');
  private readonly restore = iconButton('discard', 'Restore checkpoint: undo this turn’s changes', 'icon-button turn-control');

  constructor(actions: { copy(): void; regenerate(): void; restore(): void }) {
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Answer actions');
    this.element.hidden = true;
    const copy = iconButton('copy', 'Copy answer as Markdown');
    copy.addEventListener('click', () => {
      actions.copy();
      const icon = copy.querySelector('.codicon');
      icon?.classList.replace('codicon-copy', 'codicon-check');
      setTimeout(() => icon?.classList.replace('codicon-check', 'codicon-copy'), COPIED_MS);
    });
    this.regenerate.addEventListener('click', () => actions.regenerate());
    this.regenerate.hidden = true;
    this.restore.addEventListener('click', () => actions.restore());
    this.restore.hidden = true;
    this.element.append(copy, this.regenerate, this.restore);
  }

  /** The answer has ended. */
  show(): void {
    this.element.hidden = false;
  }

  setLatest(latest: boolean): void {
    this.regenerate.hidden = !latest;
  }

  setEnabled(enabled: boolean): void {
    this.regenerate.disabled = !enabled;
    this.restore.disabled = !enabled;
  }

  /** Only a turn that changed files and kept a checkpoint of them can be restored. */
  setRestorable(restorable: boolean): void {
    this.restore.hidden = !restorable;
  }
}
