/**
 * Calls waiting for the user's Accept or Reject, by `tool_use` id. The answer may come from the tool
 * card in the Chat view or from the diff editor's title bar; the first one counts.
 */
export type ApprovalAnswer = 'approved' | 'rejected' | 'cancelled';

/** An answer, and whether the user chose to always allow calls like this one (a command's rule). */
export interface ApprovalChoice {
  answer: ApprovalAnswer;
  always: boolean;
}

export class ApprovalBroker {
  private readonly waiting = new Map<string, (choice: ApprovalChoice) => void>();

  /** Resolves with the user's answer, or `cancelled` when `signal` fires (the turn was stopped). */
  async wait(id: string, signal: AbortSignal): Promise<ApprovalAnswer> {
    return (await this.waitForChoice(id, signal)).answer;
  }

  /** `wait`, with whether the user chose "Always allow". */
  waitForChoice(id: string, signal: AbortSignal): Promise<ApprovalChoice> {
    this.waiting.get(id)?.({ answer: 'cancelled', always: false });
    return new Promise((resolve) => {
      const finish = (choice: ApprovalChoice) => {
        if (this.waiting.get(id) !== finish) return;
        this.waiting.delete(id);
        signal.removeEventListener('abort', onAbort);
        resolve(choice);
      };
      const onAbort = () => finish({ answer: 'cancelled', always: false });
      this.waiting.set(id, finish);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** False when nothing waits under `id` (answered already, or stopped). `always` only counts with `approved`. */
  answer(id: string, approved: boolean, always = false): boolean {
    const finish = this.waiting.get(id);
    finish?.({ answer: approved ? 'approved' : 'rejected', always: approved && always });
    return finish !== undefined;
  }
}
