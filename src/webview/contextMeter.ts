/**
 * The header's context meter: "42K" with a small bar for its share of the 200K window, the last request's tokens (as the
 * provider counted them) beside the next one's estimate, and the estimate's split in the tooltip and
 * the accessible text.
 */
import type { ContextMeterView } from '../shared/protocol';
import { element } from './dom';

export class ContextMeter {
  private readonly label = element('span', 'context-meter-label');
  private readonly fill = element('span', 'context-meter-fill');

  constructor(private readonly node: HTMLElement) {
    const bar = element('span', 'context-meter-bar');
    bar.setAttribute('aria-hidden', 'true');
    bar.append(this.fill);
    node.append(this.label, bar);
    node.setAttribute('role', 'meter');
    node.tabIndex = 0;
  }

  show(context: ContextMeterView | undefined): void {
    this.node.hidden = context === undefined;
    if (!context) return;
    const { next, window } = context;
    const share = Math.min(1, next.total / window);
    // The header has room for the tokens and the bar; the window and the split are in the tooltip.
    this.label.textContent = shortTokens(next.total);
    this.fill.style.width = `${Math.round(share * 100)}%`;
    this.node.classList.toggle('high', share >= 0.8);
    this.node.setAttribute('aria-valuemin', '0');
    this.node.setAttribute('aria-valuemax', String(window));
    this.node.setAttribute('aria-valuenow', String(Math.min(window, next.total)));
    const text = meterText(context);
    this.node.setAttribute('aria-valuetext', text);
    this.node.setAttribute('aria-label', 'Context window');
    this.node.title = text;
  }
}

/** 42K, 1.2K, 950: the header has room for a few characters. */
export function shortTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  const thousands = tokens / 1000;
  return `${thousands < 10 ? thousands.toFixed(1).replace(/\.0$/, '') : Math.round(thousands)}K`;
}

/** The tooltip and the accessible text: the next request's estimate, its parts, and the last request. */
export function meterText({ window, lastRequestTokens, next }: ContextMeterView): string {
  const n = (tokens: number) => tokens.toLocaleString('en-US');
  const lines = [
    `Next request: about ${n(next.total)} of ${n(window)} tokens (${Math.round((next.total / window) * 100)}% of the context window)`,
    `System prompt and tools: ${n(next.systemAndTools)}`,
    `History: ${n(next.history)}`,
    `Attachments: ${n(next.attachments)}`,
    `Tool results: ${n(next.toolResults)}`,
  ];
  if (next.images > 0) lines.push(`Images: ${n(next.images)}`);
  if (lastRequestTokens !== undefined) lines.push(`Last request: ${n(lastRequestTokens)} tokens`);
  return lines.join('\n');
}
