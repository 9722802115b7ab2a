import './controls.css';
import type { ToolCallStatus, ToolCallView } from '../shared/protocol';
import { readableStart } from '../shared/readableCut';
import { codicon, element, textButton } from './dom';

const STATUS: Record<ToolCallStatus, { icon: string; label: string; spin?: boolean }> = {
  running: { icon: 'loading', label: 'Running', spin: true },
  awaitingApproval: { icon: 'shield', label: 'Waiting for your approval' },
  done: { icon: 'check', label: 'Done' },
  failed: { icon: 'error', label: 'Failed' },
  rejected: { icon: 'circle-slash', label: 'Rejected' },
  cancelled: { icon: 'stop-circle', label: 'Cancelled' },
};

export type ApprovalListener = (toolUseId: string, approved: boolean, always: boolean) => void;

/**
 * A tool call in an answer: one line (status, tool, what it acts on) that expands to the arguments
 * and the result as the model got it (a screenful, then Show All); Accept and Reject below it while it
 * waits for the user's approval.
 */
export class ToolCallCard {
  readonly element = element('div', 'tool-call');
  private readonly details = element('details');
  private readonly approval = element('div', 'tool-approval');
  /** The user asked for the whole result; it stays whole when the card updates. */
  private wholeResult = false;

  constructor(
    call: ToolCallView,
    private readonly onApprove: ApprovalListener,
  ) {
    this.element.append(this.details, this.approval);
    this.update(call);
  }

  /** Shows the call's latest state; whether the card is expanded stays as the user left it. */
  update(call: ToolCallView): void {
    const { icon, label, spin } = STATUS[call.status];
    this.element.dataset.toolUseId = call.id;
    this.element.dataset.status = call.status;
    this.element.toggleAttribute('data-input-cut-off', call.inputCutOff === true);

    const statusIcon = codicon(icon);
    statusIcon.classList.add('tool-status');
    if (spin) statusIcon.classList.add('codicon-modifier-spin');
    const summary = element('summary');
    summary.title = label;
    summary.append(
      statusIcon,
      element('span', 'tool-name', call.name),
      element('span', 'tool-summary', call.summary),
      ...(call.inputCutOff ? [element('span', 'tool-cut-off', 'input cut off')] : []),
      element('span', 'visually-hidden', `, ${label}`),
    );

    const body = element('div', 'tool-body');
    const inputLabel = call.inputCutOff ? 'Input, cut off before it was complete: only its complete values are shown' : 'Input';
    body.append(element('div', 'tool-label', inputLabel), element('pre', 'tool-input', call.input));
    if (call.result !== undefined) body.append(...this.resultElements(call, call.result));

    const hadFocus = this.element.contains(document.activeElement);
    const open = this.details.open;
    this.details.replaceChildren(summary, body);
    this.details.open = open;
    this.showApproval(call);
    // A keyboard user who just answered stays on the card rather than falling back to the page.
    if (hadFocus && !this.element.contains(document.activeElement)) summary.focus();
  }

  private resultElements(call: ToolCallView, result: string): HTMLElement[] {
    const kind = call.status === 'failed' ? 'Error' : 'Result';
    const label = element('div', 'tool-label', call.resultSummary ? `${kind}: ${call.resultSummary}` : kind);
    const start = readableStart(result);
    const text = element('pre', 'tool-result', this.wholeResult || !start.cut ? result : start.text);
    if (this.wholeResult || !start.cut) return [label, text];
    const lines = start.totalLines === 1 ? 'the whole line' : `all ${start.totalLines} lines`;
    const showAll = textButton('unfold', `Show All (${start.totalLines === 1 ? '1 line' : `${start.totalLines} lines`})`, 'button secondary tool-show-all');
    showAll.setAttribute('aria-label', `Show ${lines} of the ${call.name} ${kind.toLowerCase()}`);
    showAll.addEventListener('click', () => {
      this.wholeResult = true;
      text.textContent = result;
      showAll.remove();
      text.tabIndex = -1;
      text.focus();
    });
    return [label, text, showAll];
  }

  private showApproval(call: ToolCallView): void {
    this.approval.replaceChildren();
    this.approval.hidden = call.status !== 'awaitingApproval';
    if (this.approval.hidden) return;
    // The host's own question (e.g. why a file that may hold secrets needs consent) says the most.
    const question =
      call.question ?? (call.changesFiles ? 'Sonnet wants to change files. Review the change, then:' : 'Sonnet wants to run this tool:');
    const accept = textButton('check', 'Accept', 'button primary');
    accept.dataset.approve = 'true';
    const reject = textButton('close', 'Reject', 'button secondary');
    reject.dataset.approve = 'false';
    // A command's "Always allow `npm test …`": approves, and adds the rule to the user's settings.
    const always = call.alwaysAllow === undefined ? [] : [textButton('check-all', `Always allow ${call.alwaysAllow} …`, 'button secondary')];
    // An edit's "Accept all edits in this chat": approves, and the chat's later edits apply without a card.
    if (call.acceptAllEdits) always.push(textButton('check-all', 'Accept all edits in this chat', 'button secondary'));
    for (const button of always) button.dataset.approve = 'always';
    const buttons = [accept, ...always, reject];
    for (const button of buttons) {
      button.setAttribute('aria-label', `${button.textContent} ${call.name}: ${call.summary}`);
      button.addEventListener('click', () => {
        // One answer per call: the host's update replaces the buttons. The focus moves to the card's
        // line first, as a disabled button would drop it.
        this.details.querySelector('summary')?.focus();
        for (const each of buttons) each.disabled = true;
        this.onApprove(call.id, button !== reject, always.includes(button));
      });
    }
    this.approval.append(element('span', 'tool-question', question), ...buttons);
  }
}
