import { mentionEndingAt, parseMentions } from '../shared/mentions';
import { element } from './dom';

/**
 * The @-mentions of the input box drawn as chips: the textarea keeps plain text (so drafts, the
 * queue, editing and recall work as before, and screen readers read it as typed), and a mirror of it
 * behind, with the same font, wrapping and scroll, paints a chip under each mention. Backspace at a
 * chip's end removes the whole mention.
 */
export class MentionHighlight {
  private readonly mirror = element('div', 'prompt-highlight');

  constructor(private readonly prompt: HTMLTextAreaElement) {
    this.mirror.setAttribute('aria-hidden', 'true');
    prompt.before(this.mirror);
    prompt.addEventListener('input', () => this.render());
    prompt.addEventListener('scroll', () => (this.mirror.scrollTop = prompt.scrollTop));
    prompt.addEventListener('keydown', (event) => this.onKeyDown(event));
    // Text set by the page's own code (a draft restored, a recalled prompt) fires no input event.
    const value = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
    Object.defineProperty(prompt, 'value', {
      configurable: true,
      get: () => value.get!.call(prompt) as string,
      set: (text: string) => {
        value.set!.call(prompt, text);
        this.render();
      },
    });
    this.render();
  }

  render(): void {
    const text = this.prompt.value;
    const parts: Node[] = [];
    let at = 0;
    for (const mention of parseMentions(text)) {
      parts.push(document.createTextNode(text.slice(at, mention.start)), element('mark', `mention-chip ${mention.kind}`, text.slice(mention.start, mention.end)));
      at = mention.end;
    }
    // A final line break needs a character after it to take up its line, as it does in the textarea.
    parts.push(document.createTextNode(`${text.slice(at)}\u200b`));
    this.mirror.replaceChildren(...parts);
    this.mirror.scrollTop = this.prompt.scrollTop;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { prompt } = this;
    if (event.key !== 'Backspace' || event.isComposing || event.ctrlKey || event.altKey || event.metaKey || prompt.selectionStart !== prompt.selectionEnd) return;
    const mention = mentionEndingAt(prompt.value, prompt.selectionStart);
    if (!mention) return;
    event.preventDefault();
    prompt.setSelectionRange(mention.start, mention.end);
    // As an edit of the text, so Undo brings the mention back.
    if (!document.execCommand('delete')) {
      prompt.setRangeText('', mention.start, mention.end, 'end');
      prompt.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
}

/** Puts `text` in place of the input's `start`..`end` as typing would (Undo takes it back), the caret after it. */
export function replaceInPrompt(prompt: HTMLTextAreaElement, start: number, end: number, text: string): void {
  prompt.focus();
  prompt.setSelectionRange(start, end);
  if (!document.execCommand('insertText', false, text)) {
    prompt.setRangeText(text, start, end, 'end');
    prompt.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
