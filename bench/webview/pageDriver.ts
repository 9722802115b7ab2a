/**
 * Runs inside the harness page, before the page's own script: stands in for the VS Code webview API
 * (`acquireVsCodeApi`) and gives the bench a handle (`window.benchDriver`) to post the host's
 * messages as VS Code does (as `message` events), to wait for rendering, and to read the result.
 * Bundled by esbuild and added with `page.addInitScript`, so the page's CSP does not apply to it.
 */
import { renderMarkdown } from '../../src/webview/markdown';

interface BenchWindow extends Window {
  acquireVsCodeApi(): unknown;
  benchDriver: typeof driver;
}

const benchWindow = window as unknown as BenchWindow;
const sentToHost: Array<{ type: string }> = [];
let savedState: unknown;
let loaded: unknown[] = [];
const longTasks: number[] = [];

benchWindow.acquireVsCodeApi = () => ({
  postMessage: (message: { type: string }) => void sentToHost.push(message),
  getState: () => savedState,
  setState: (state: unknown) => void (savedState = state),
});

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** A new task, without the 4 ms clamp nested timeouts get. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

/**
 * Markup as laid out: wrappers do not count. Those are the elements with `display: contents`, and the
 * Chat view's chunks of a long answer, which lay out as their blocks would without them (a chunk starts
 * only where no margin collapses across its edge; see markdownBlock.ts).
 */
function serialize(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return (node.textContent ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (!(node instanceof Element)) return '';
  const inner = Array.from(node.childNodes, serialize).join('');
  if (node.classList.contains('md-chunk') || getComputedStyle(node).display === 'contents') return inner;
  const attributes = Array.from(node.attributes, (a) => ` ${a.name}="${a.value}"`).sort().join('');
  return `<${node.localName}${attributes}>${inner}</${node.localName}>`;
}

const driver = {
  /** Whether the page's script has started and asked the host for its state. */
  ready: () => sentToHost.some((message) => message.type === 'ready'),

  /** Keeps the messages in the page, so handing them over is not part of what is measured. */
  load(messages: unknown[]): number {
    loaded = messages;
    return loaded.length;
  },

  /**
   * Posts the loaded messages as fast as the page takes them, `perTask` per task (VS Code delivers
   * each as its own `message` event), then waits until the page has rendered the last one.
   */
  async post(perTask: number): Promise<void> {
    for (let i = 0; i < loaded.length; i += perTask) {
      for (const message of loaded.slice(i, i + perTask)) window.postMessage(message, '*');
      await nextTask();
    }
    await driver.settle();
  },

  /**
   * Every posted message handled, and two frames rendered after the last. When an answer finished
   * (`turnFinished`) or was restored (`state` with turns), also until all of it is on the page: the
   * Chat view renders a long one over several frames, and it stays `aria-busy` until then.
   */
  async settle(): Promise<void> {
    await nextTask();
    const complete = (message: { type?: string; turns?: unknown[] }) => message.type === 'turnFinished' || (message.type === 'state' && (message.turns?.length ?? 0) > 0);
    if (loaded.some((message) => complete(message as { type?: string }))) {
      while (document.querySelector('.turn[aria-busy="true"]')) await nextFrame();
    }
    await nextFrame();
    await nextFrame();
    await nextTask();
  },

  serialize: (selector: string) => Array.from(document.querySelectorAll(selector), serialize).join('\n'),

  /**
   * `text` as `renderMarkdown` renders it in one go, into an element like the view's text blocks at
   * the end of the page (`body > .markdown`), laid out by the page's styles: what a streamed or restored
   * block must end as. Rendered in a task of its own, as a message would be, and laid out and painted
   * before this resolves.
   */
  async renderOneShot(text: string): Promise<void> {
    await nextTask();
    const block = document.createElement('div');
    block.className = 'block text markdown';
    block.innerHTML = renderMarkdown(text);
    document.body.append(block);
    await nextFrame();
    await nextFrame();
  },

  count: (selector: string) => document.querySelectorAll(selector).length,
  longTasks: () => [...longTasks],
  clearLongTasks: () => void (longTasks.length = 0),
};

benchWindow.benchDriver = driver;
