import './controls.css';
import { element, textButton } from './dom';

/**
 * "Jump to latest", over the bottom of the conversation while the reader has scrolled up and more
 * has arrived below; it goes once they are back at the end, by scrolling or by pressing it.
 */
export class JumpToLatest {
  private readonly anchor = element('div', 'jump-to-latest-anchor');
  private readonly button = textButton('arrow-down', 'Jump to Latest', 'button secondary jump-to-latest');

  constructor(
    private readonly conversation: HTMLElement,
    private readonly atEnd: () => boolean,
    scrollToEnd: () => void,
    /** Where the keyboard goes once the button is gone. */
    afterJump: () => void,
  ) {
    this.button.title = 'Jump to the latest message';
    this.button.hidden = true;
    this.anchor.append(this.button);
    conversation.after(this.anchor);
    this.button.addEventListener('click', () => {
      scrollToEnd();
      this.button.hidden = true;
      afterJump();
    });
    conversation.addEventListener('scroll', () => {
      if (!this.button.hidden && this.atEnd()) this.button.hidden = true;
    }, { passive: true });
  }

  /** The conversation may have grown: the end kept in view if the reader follows it, the button offered if not. */
  afterChange(followed: boolean, heightBefore: number, scrollToEnd: () => void): void {
    if (followed) scrollToEnd();
    else if (this.conversation.scrollHeight > heightBefore && !this.conversation.hidden && !this.atEnd()) this.button.hidden = false;
  }
}
