import './mcpNotices.css';
import { codicon, element, iconButton, textButton } from './dom';

export interface McpNoticeListeners {
  restart(server: string): void;
  showLog(): void;
}

/**
 * What went wrong with an MCP server (it did not start, crashed, timed out), above the input, one
 * notice per server: the message, Restart, Show Log and × (dismiss). A server that runs again takes
 * its notice away. Nothing of the conversation depends on it.
 */
export class McpNotices {
  readonly element = element('section', 'mcp-notices');
  private readonly notices = new Map<string, HTMLElement>();

  constructor(private readonly listeners: McpNoticeListeners) {
    this.element.setAttribute('aria-label', 'MCP server problems');
    this.element.hidden = true;
  }

  show(server: string, message: string | undefined): void {
    const old = this.notices.get(server);
    const hadFocus = old?.contains(document.activeElement) === true;
    if (message === undefined) {
      old?.remove();
      this.notices.delete(server);
    } else {
      const notice = this.notice(server, message);
      if (old) old.replaceWith(notice);
      else this.element.append(notice);
      this.notices.set(server, notice);
      if (hadFocus) notice.querySelector<HTMLElement>('.mcp-restart')?.focus();
    }
    this.element.hidden = this.notices.size === 0;
  }

  private notice(server: string, message: string): HTMLElement {
    const notice = element('div', 'mcp-notice');
    notice.setAttribute('role', 'alert');
    notice.dataset.server = server;
    const text = element('div', 'mcp-notice-text');
    text.append(codicon('warning'), element('span', undefined, message));
    const restart = textButton('debug-restart', 'Restart', 'button secondary');
    restart.classList.add('mcp-restart');
    restart.setAttribute('aria-label', `Restart MCP server ${server}`);
    restart.addEventListener('click', () => {
      // Pressed, the notice goes: a new one comes if the restart fails too.
      this.show(server, undefined);
      this.listeners.restart(server);
    });
    const log = textButton('output', 'Show Log', 'button secondary');
    log.addEventListener('click', () => this.listeners.showLog());
    const dismiss = iconButton('close', `Dismiss the notice about MCP server ${server}`);
    dismiss.addEventListener('click', () => this.show(server, undefined));
    const actions = element('div', 'mcp-notice-actions');
    actions.append(restart, log, dismiss);
    notice.append(text, actions);
    return notice;
  }
}
