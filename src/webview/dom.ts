/** Small DOM helpers. Text only ever enters the page through `textContent` or text nodes. */

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function codicon(name: string): HTMLSpanElement {
  const icon = element('span', `codicon codicon-${name}`);
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** A button showing only an icon: its label is its accessible name and its tooltip. */
export function iconButton(icon: string, label: string, className = 'icon-button'): HTMLButtonElement {
  const button = element('button', className);
  button.type = 'button';
  button.title = label;
  button.setAttribute('aria-label', label);
  button.append(codicon(icon));
  return button;
}

/** A button with an icon and a text label. */
export function textButton(icon: string, label: string, className: string): HTMLButtonElement {
  const button = element('button', className);
  button.type = 'button';
  button.append(codicon(icon), element('span', undefined, label));
  return button;
}

/** Text with `backtick` spans as inline code, for the user's own words (not markdown, not HTML). */
export function appendInlineCode(parent: HTMLElement, text: string): void {
  text.split(/(`[^`\n]+`)/).forEach((part, i) => {
    if (part === '') return;
    if (i % 2 === 1) parent.append(element('code', undefined, part.slice(1, -1)));
    else parent.append(document.createTextNode(part));
  });
}

export function required<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`Sonnet Chat: the page has no ${selector}`);
  return found;
}
