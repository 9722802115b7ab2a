/**
 * The reference the webview figure is compared with: the same page and styles, but an answer
 * re-rendered whole on every delta (`renderMarkdown` of the text so far into `innerHTML`), the way a
 * chat view without an incremental renderer works, keeping the end in view.
 *
 * With `?stride=k` only every k-th delta is rendered, marked `naive-render` so the bench can scale the
 * cost of those renders by k: rendering all 20,000 prefixes of 100 KB would take many minutes.
 */
import { renderMarkdown } from '../../src/webview/markdown';
import type { HostToWebview } from '../../src/shared/protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

interface Block {
  element: HTMLElement;
  text: string;
}

const conversation = document.querySelector('#conversation')!;
const answers = new Map<string, HTMLElement>();
const blocks = new Map<string, Block>();
const stride = Number(new URLSearchParams(location.search).get('stride') ?? 1);
let deltas = 0;

function render(block: Block): void {
  block.element.innerHTML = renderMarkdown(block.text);
  conversation.scrollTop = conversation.scrollHeight;
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'turnStarted': {
      const turn = document.createElement('div');
      turn.className = 'turn assistant';
      const answer = document.createElement('div');
      answer.className = 'answer';
      turn.append(answer);
      conversation.append(turn);
      answers.set(message.turn.id, answer);
      return;
    }
    case 'blockStart': {
      const element = document.createElement('div');
      element.className = 'block text markdown';
      answers.get(message.turnId)!.append(element);
      blocks.set(`${message.turnId}/${message.index}`, { element, text: '' });
      return;
    }
    case 'textDelta': {
      const block = blocks.get(`${message.turnId}/${message.index}`)!;
      block.text += message.text;
      if (++deltas % stride !== 0) return;
      performance.mark('naive-render');
      render(block);
      return;
    }
    case 'turnFinished':
      // The deltas after the last sampled one: the page ends showing the whole answer.
      if (deltas % stride !== 0) for (const block of blocks.values()) render(block);
      return;
    default:
      return;
  }
});

acquireVsCodeApi().postMessage({ type: 'ready' });
