/**
 * Calls waiting for the user's Accept or Reject, by `tool_use` id. The answer may come from the tool
 * card in the Chat view or from the diff editor's title bar; the first one counts.
 */
export type ApprovalAnswer = 'approved' | 'rejected' | 'cancelled';

export class ApprovalBroker {
  private readonly waiting = new Map<string, (answer: ApprovalAnswer) => void>();

  /** Resolves with the user's answer, or `cancelled` when `signal` fires (the turn was stopped). */
  wait(id: string, signal: AbortSignal): Promise<ApprovalAnswer> {
    this.waiting.get(id)?.('cancelled');
    return new Promise((resolve) => {
      const finish = (answer: ApprovalAnswer) => {
        if (this.waiting.get(id) !== finish) return;
        this.waiting.delete(id);
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      };
      const onAbort = () => finish('cancelled');
      this.waiting.set(id, finish);
      if (signal.aborted) finish('cancelled');
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** False when nothing waits under `id` (answered already, or stopped). */
  answer(id: string, approved: boolean): boolean {
    const finish = this.waiting.get(id);
    finish?.(approved ? 'approved' : 'rejected');
    return finish !== undefined;
  }
}
