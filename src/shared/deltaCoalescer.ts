import type { DeltaMessage, HostToWebview } from './protocol';

function isDelta(message: HostToWebview): message is DeltaMessage {
  return message.type === 'textDelta' || message.type === 'thinkingDelta';
}

/**
 * Merges consecutive deltas for the same block into one message per short interval, so a fast
 * stream costs the webview tens of messages a second rather than thousands. The first delta after a
 * quiet spell goes at once (the first word of an answer is never held back); those that follow within
 * the interval are merged and sent when it ends. Any other message first flushes the pending delta, so
 * the order the view sees is the order things happened.
 *
 * No `vscode` import: it only needs a function that sends.
 */
export class DeltaCoalescer {
  private pending: DeltaMessage | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (message: HostToWebview) => void,
    private readonly intervalMs = 16,
  ) {}

  post(message: HostToWebview): void {
    if (!isDelta(message)) {
      this.flush();
      this.send(message);
      return;
    }
    if (this.timer === undefined) {
      this.send(message);
      this.startInterval();
      return;
    }
    const pending = this.pending;
    if (pending && pending.type === message.type && pending.turnId === message.turnId && pending.index === message.index) {
      pending.text += message.text;
    } else {
      this.sendPending();
      this.pending = { ...message };
    }
  }

  /** While deltas keep coming, one merged message per interval; the first quiet interval ends it. */
  private startInterval(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return;
      this.sendPending();
      this.startInterval();
    }, this.intervalMs);
  }

  flush(): void {
    this.cancelTimer();
    this.sendPending();
  }

  private sendPending(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.send(pending);
  }

  /** Drops the pending delta: the view is about to receive a snapshot that already contains it. */
  discard(): void {
    this.cancelTimer();
    this.pending = undefined;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
