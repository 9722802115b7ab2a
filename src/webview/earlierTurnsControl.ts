import { element, textButton } from './dom';

/**
 * "Show earlier turns", at the top of a conversation longer than the view shows (see `turnWindow.ts`),
 * with how many turns are not shown. The host sends them; until it has, further clicks do nothing.
 */
export class EarlierTurnsControl {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly count: HTMLElement;

  constructor(onShow: () => void) {
    this.element = element('div', 'earlier-turns');
    this.element.hidden = true;
    this.button = textButton('fold-up', 'Show earlier turns', 'button secondary');
    this.count = element('span', 'earlier-turns-count');
    this.count.id = 'earlier-turns-count';
    this.button.setAttribute('aria-describedby', this.count.id);
    this.element.append(this.button, this.count);
    this.button.addEventListener('click', () => {
      // Not `disabled`: that would take the keyboard focus away from the button.
      if (this.button.getAttribute('aria-disabled') === 'true') return;
      this.button.setAttribute('aria-disabled', 'true');
      onShow();
    });
  }

  /** `count` turns come before those shown; the control hides when there are none. */
  show(count: number): void {
    this.element.hidden = count === 0;
    this.count.textContent = count === 1 ? '1 turn not shown' : `${count.toLocaleString('en-US')} turns not shown`;
    this.button.removeAttribute('aria-disabled');
  }

  get hasFocus(): boolean {
    return this.element.contains(document.activeElement);
  }
}
