import { MODE_NAMES, type ChatMode } from '../shared/chatModes';
import type { AnswerStatus, BlockView, ErrorAction, ErrorPresentation, ToolCallView, TurnView, UsageView } from '../shared/protocol';
import { AnswerToolbar } from './answerToolbar';
import { compactionCard } from './compactionCard';
import { codicon, element, iconButton, textButton } from './dom';
import { promptImages } from './imageThumbnails';
import { appendWithMentions } from './mentionLinks';
import { MarkdownBlock } from './markdownBlock';
import { ToolCallCard } from './toolCallCard';
import { usageText } from './usage';

const ACTION_LABELS: Record<ErrorAction, { label: string; icon: string }> = {
  setApiKey: { label: 'Set API Key', icon: 'key' },
  topUp: { label: 'Top Up / Check Credits', icon: 'credit-card' },
  retry: { label: 'Retry', icon: 'refresh' },
  openSettings: { label: 'Open Settings', icon: 'gear' },
  showLog: { label: 'Show Log', icon: 'output' },
};

/** What the user does in a turn, reported to the page. */
export interface TurnListeners {
  onAction(action: ErrorAction, turnId: string): void;
  onApprove(turnId: string, toolUseId: string, approved: boolean, always: boolean): void;
  /** Edit the prompt, starting from `text`. */
  onEdit(turnId: string, text: string): void;
  onRegenerate(turnId: string): void;
  onRestore(turnId: string): void;
  /** Copy the answer: its text blocks, as the model wrote them. */
  onCopy(markdown: string): void;
  /** A Plan answer's "Run this plan". */
  onRunPlan(turnId: string): void;
}

/**
 * The DOM of one turn: the user's bubble and the assistant's answer. Answer text is markdown, rendered
 * incrementally while it streams (see `MarkdownBlock`); thinking is plain text, extended in place.
 */
export class TurnElement {
  readonly user: HTMLElement;
  readonly assistant: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly toolbar: AnswerToolbar;
  private editButton: HTMLButtonElement | undefined;
  private mode: ChatMode | undefined;
  /** On a Plan answer that is done, while it is the last. */
  private runPlanButton: HTMLButtonElement | undefined;
  private latest = false;
  private thinking: { section: HTMLDetailsElement; body: HTMLElement } | undefined;
  /** Once the user opens or closes the thinking section, it stays as they left it. */
  private thinkingToggledByUser = false;
  private readonly markdown = new Map<number, MarkdownBlock>();
  private readonly thinkingText = new Map<number, Text>();
  private readonly toolCards = new Map<number, ToolCallCard>();
  private errorCard: HTMLElement | undefined;
  /** After the answer: the compaction card, the line while one runs, or the note why one was not done. */
  private compaction: HTMLElement | undefined;
  private streaming = true;
  /** Characters of text shown (prompt, answer, reasoning), as `turnSize` counts them for the turn window. */
  private shownText = 0;

  constructor(
    readonly id: string,
    private readonly listeners: TurnListeners,
  ) {
    this.user = element('div', 'turn user');
    this.assistant = element('div', 'turn assistant');
    this.answer = element('div', 'answer');
    this.progress = element('div', 'progress');
    this.footer = element('div', 'footer');
    for (const node of [this.user, this.assistant]) node.dataset.turnId = id;
    this.toolbar = new AnswerToolbar({ copy: () => listeners.onCopy(this.answerMarkdown()), regenerate: () => listeners.onRegenerate(id), restore: () => listeners.onRestore(id) });
    this.assistant.append(this.header('sparkle', 'Sonnet'), this.answer, this.progress, this.footer, this.toolbar.element);
  }

  /** Builds the whole turn from a snapshot (a new turn, a retried one, or a restored view). */
  static from(turn: TurnView, listeners: TurnListeners): TurnElement {
    const view = new TurnElement(turn.id, listeners);
    view.showPrompt(turn);
    if (turn.contextNote) view.showContextNote(turn.contextNote);
    if (turn.restorable) view.setRestorable(true);
    if (turn.compaction) view.showCompaction(compactionCard(turn.compaction), turn.compaction.beforeAnswer === true);
    const { status, usage, note, error } = turn.answer;
    view.streaming = status === 'streaming';
    turn.answer.blocks.forEach((block, index) => {
      if (block) view.startBlock(index, block);
    });
    if (status === 'streaming') view.setStreaming(turn.answer.blocks.length > 0);
    else if (status === 'failed') view.fail(error ?? { title: 'Request failed', message: '', actions: [] });
    else view.finish(status, usage, note);
    return view;
  }

  private header(icon: string, name: string): HTMLElement {
    const header = element('div', 'turn-header');
    header.append(codicon(icon), element('span', undefined, name));
    return header;
  }

  private showPrompt(turn: TurnView): void {
    const body = element('div', 'prompt');
    appendWithMentions(body, turn.prompt.text);
    this.shownText += turn.prompt.text.length;
    if (turn.prompt.reference) body.title = `${turn.prompt.reference.path} (${turn.prompt.reference.languageId})`;
    const header = this.header('account', 'You');
    this.mode = turn.mode;
    if (turn.mode) {
      const label = element('span', 'turn-mode', MODE_NAMES[turn.mode]);
      label.title = `Asked in ${MODE_NAMES[turn.mode]} mode`;
      header.append(label);
    }
    const { editText } = turn.prompt;
    if (editText !== undefined) {
      this.editButton = iconButton('edit', 'Edit prompt and resend', 'icon-button turn-control');
      this.editButton.addEventListener('click', () => this.listeners.onEdit(this.id, editText));
      header.append(this.editButton);
    }
    this.user.append(header, body);
    if (turn.prompt.images?.length) body.before(promptImages(turn.prompt.images));
  }

  /** The answer's text blocks as the model wrote them, in order; tool calls and reasoning left out. */
  answerMarkdown(): string {
    return [...this.markdown.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, markdown]) => markdown.text.trim())
      .filter((text) => text !== '')
      .join('\n\n');
  }

  /** Only the last answer can be regenerated. */
  setLatest(latest: boolean): void {
    this.latest = latest;
    this.toolbar.setLatest(latest);
    if (this.runPlanButton) this.runPlanButton.hidden = !latest;
  }

  setRestorable(restorable: boolean): void {
    this.toolbar.setRestorable(restorable);
  }

  /** Edit and Regenerate wait while an answer streams. */
  setControlsEnabled(enabled: boolean): void {
    if (this.editButton) this.editButton.disabled = !enabled;
    if (this.runPlanButton) this.runPlanButton.disabled = !enabled;
    this.toolbar.setEnabled(enabled);
  }

  /** Why the model does not see the whole conversation, said before its answer. */
  private showContextNote(text: string): void {
    const note = element('div', 'context-note');
    note.append(codicon('info'), element('span', undefined, text));
    this.answer.before(note);
  }

  /** Screen readers wait for the whole answer rather than read each fragment. */
  private setStreaming(started: boolean): void {
    this.assistant.setAttribute('aria-busy', 'true');
    if (!started) this.setProgress('Waiting for Sonnet…', true);
  }

  private setProgress(text: string | undefined, spinning = false): void {
    this.progress.replaceChildren();
    if (text === undefined) return;
    const icon = codicon('loading');
    if (spinning) icon.classList.add('codicon-modifier-spin');
    this.progress.append(icon, element('span', undefined, text));
  }

  startBlock(index: number, block: BlockView): void {
    this.setProgress(undefined);
    if ('text' in block) this.shownText += block.text.length;
    // A block starts once the ones before it are complete.
    for (const [earlier, markdown] of this.markdown) if (earlier < index) markdown.finish();
    switch (block.kind) {
      case 'text': {
        const markdown = this.streaming ? MarkdownBlock.streaming(block.text) : MarkdownBlock.complete(block.text);
        this.markdown.set(index, markdown);
        this.answer.append(markdown.element);
        if (block.text) this.collapseThinking();
        return;
      }
      case 'thinking': {
        const node = document.createTextNode(block.text);
        this.thinkingText.set(index, node);
        const container = element('div', 'thinking-block');
        container.append(node);
        this.thinkingSection().append(container);
        return;
      }
      case 'redactedThinking':
        this.thinkingSection().append(element('div', 'thinking-block redacted', 'Part of the reasoning was redacted by the provider.'));
        return;
      case 'toolUse': {
        const card = new ToolCallCard(block.call, (toolUseId, approved, always) => this.listeners.onApprove(this.id, toolUseId, approved, always));
        this.toolCards.set(index, card);
        this.answer.append(card.element);
        return;
      }
      case 'other':
        this.answer.append(element('div', 'block note', `This answer contains a “${block.type}” block, which this version cannot show.`));
        return;
    }
  }

  /** A frame's worth of text for the block at `index`. */
  appendText(index: number, text: string): void {
    this.shownText += text.length;
    this.markdown.get(index)?.append(text);
    this.collapseThinking();
  }

  appendThinking(index: number, text: string): void {
    this.shownText += text.length;
    this.thinkingText.get(index)?.appendData(text);
  }

  get textLength(): number {
    return this.shownText;
  }

  updateToolCall(index: number, call: ToolCallView): void {
    const card = this.toolCards.get(index);
    if (card) card.update(call);
    else this.startBlock(index, { kind: 'toolUse', call });
  }

  /** The section is created open, so the reasoning can be followed; it folds once the answer starts. */
  private thinkingSection(): HTMLElement {
    if (!this.thinking) {
      const section = element('details', 'thinking');
      section.open = this.streaming;
      const summary = element('summary');
      summary.append(codicon('lightbulb'), element('span', undefined, 'Thinking'));
      // A click on the summary (keyboard included) is the user's; `open` set by code is not.
      summary.addEventListener('click', () => {
        this.thinkingToggledByUser = true;
      });
      const body = element('div', 'thinking-body');
      section.append(summary, body);
      this.answer.before(section);
      this.thinking = { section, body };
    }
    return this.thinking.body;
  }

  private collapseThinking(): void {
    const section = this.thinking?.section;
    if (section?.open && !this.thinkingToggledByUser) section.open = false;
  }

  showRetrying(attempt: number, delayMs: number, reason: string): void {
    const seconds = Math.max(1, Math.round(delayMs / 1000));
    this.setProgress(`${reason} Retrying in ${seconds} s (attempt ${attempt})…`, true);
  }

  private settle(): void {
    this.streaming = false;
    this.toolbar.show();
    for (const markdown of this.markdown.values()) markdown.finish();
    // Screen readers wait until the whole answer is on the page, however many frames that takes (a
    // long restored answer too).
    this.assistant.setAttribute('aria-busy', 'true');
    void Promise.all([...this.markdown.values()].map((markdown) => markdown.rendered)).then(() => this.assistant.removeAttribute('aria-busy'));
    this.setProgress(undefined);
  }

  finish(status: Exclude<AnswerStatus, 'failed' | 'streaming'>, usage: UsageView | undefined, note: string | undefined): void {
    this.settle();
    this.assistant.classList.toggle('stopped', status === 'stopped');
    if (status === 'stopped') this.footer.append(element('div', 'note', 'Stopped.'));
    if (note) this.footer.append(element('div', 'note', note));
    if (usage) this.footer.append(usageElement(usage));
    if (status === 'done' && this.mode === 'plan') this.showRunPlan();
  }

  /** Switches the conversation to Agent and asks for the plan to be carried out. */
  private showRunPlan(): void {
    this.runPlanButton = textButton('play', 'Run this plan', 'button primary run-plan');
    this.runPlanButton.title = 'Switch to Agent mode and carry out this plan';
    this.runPlanButton.hidden = !this.latest;
    this.runPlanButton.addEventListener('click', () => this.listeners.onRunPlan(this.id));
    this.footer.append(this.runPlanButton);
  }

  fail(error: ErrorPresentation): void {
    this.settle();
    this.assistant.classList.add('failed');
    this.errorCard = errorCard(error, (action) => this.listeners.onAction(action, this.id));
    this.footer.append(this.errorCard);
  }

  /** Only the last turn can be retried; older cards lose the button. */
  disableRetry(): void {
    this.errorCard?.querySelector('button[data-action="retry"]')?.remove();
  }

  /** The compaction's card, the line while one runs, or a note; before the answer or after it; undefined removes it. */
  showCompaction(node: HTMLElement | undefined, beforeAnswer: boolean): void {
    this.compaction?.remove();
    this.compaction = node;
    if (node && beforeAnswer) this.answer.before(node);
    else if (node) this.assistant.append(node);
  }

  remove(): void {
    this.user.remove();
    this.assistant.remove();
  }

  /** The keyboard focus to the start of the turn, leaving the scroll position alone. */
  focusStart(): void {
    this.user.tabIndex = -1;
    this.user.focus({ preventScroll: true });
  }
}

function usageElement(usage: UsageView): HTMLElement {
  const node = element('div', 'usage', usageText(usage));
  node.title =
    usage.creditsSource === 'provider'
      ? 'Tokens, and the credits the provider charged for this answer.'
      : 'Tokens, and the credits worked out from the price table (the provider did not report its charge).';
  return node;
}

function errorCard(error: ErrorPresentation, onAction: (action: ErrorAction) => void): HTMLElement {
  const card = element('div', 'error-card');
  card.setAttribute('role', 'alert');
  const title = element('div', 'error-title');
  title.append(codicon('error'), element('span', undefined, error.title));
  const actions = element('div', 'error-actions');
  // Every card can open the log: what the request did, and the failure's details.
  const offered = [...error.actions.filter((action) => action !== 'showLog'), 'showLog' as const];
  offered.forEach((action, i) => {
    const { label, icon } = ACTION_LABELS[action];
    const button = textButton(icon, label, i === 0 && action !== 'showLog' ? 'button primary' : 'button secondary');
    button.dataset.action = action;
    button.addEventListener('click', () => onAction(action));
    actions.append(button);
  });
  card.append(title, element('p', 'error-message', error.message), actions);
  return card;
}
