import { CODE_ACTIONS } from '../shared/protocol';
import { vscodeLanguageId } from './markdown';
import { MarkdownBlock } from './markdownBlock';
import { host } from './vscodeApi';

/** How long the Copy button shows a check mark. */
const COPIED_MS = 1500;

/**
 * Clicks in rendered answers: a code block's toolbar, and links. Both are handled by delegation, as
 * the markup comes from the renderer and is replaced while it streams.
 *
 * Links never navigate the page: the host opens http(s) ones in the browser. The listener
 * sits on the document so that it runs before VS Code's own link handler on the window, which would
 * otherwise open the link too.
 */
export function handleAnswerClicks(announce: (text: string) => void): void {
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element)) return;
    const button = event.target.closest<HTMLButtonElement>('button[data-code-action]');
    if (button) {
      runCodeAction(button, announce);
      return;
    }
    const link = event.target.closest('a');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const href = link.getAttribute('href');
    // `#fragment` links have nowhere to go: rendered headings carry no ids.
    if (href && !href.startsWith('#')) host.postMessage({ type: 'openLink', href });
  });
  // A middle click would open the link in a browser tab of the webview itself.
  document.addEventListener('auxclick', (event) => {
    if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
  });
}

function runCodeAction(button: HTMLButtonElement, announce: (text: string) => void): void {
  const action = CODE_ACTIONS.find((known) => known === button.dataset.codeAction);
  const index = Number(button.closest<HTMLElement>('.code-block')?.dataset.codeIndex);
  const block = MarkdownBlock.containing(button)?.codeBlock(index);
  if (!action || !block) return;
  host.postMessage({ type: 'codeAction', action, code: block.code, language: vscodeLanguageId(block.lang) });
  if (action === 'copy') {
    button.classList.replace('codicon-copy', 'codicon-check');
    setTimeout(() => button.classList.replace('codicon-check', 'codicon-copy'), COPIED_MS);
    announce('Code copied.');
  }
}
