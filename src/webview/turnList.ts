import type { TurnView } from '../shared/protocol';
import { fittingTurnCount } from '../shared/turnWindow';
import { EarlierTurnsControl } from './earlierTurnsControl';
import { TurnElement, type TurnListeners } from './turnElement';

/**
 * The turns the conversation shows, oldest first, after the control for the earlier ones. The host
 * sends only the latest turns (see `turnWindow.ts`); as new ones arrive, the oldest shown leave the
 * DOM the same way, so a long conversation costs the page what the window holds, not its history.
 * The host sends the earlier turns again when the reader asks for them.
 */
export class TurnList {
  private shown: TurnElement[] = [];
  private readonly byId = new Map<string, TurnElement>();
  /** Turns before the first shown. */
  private earlier = 0;
  private readonly control: EarlierTurnsControl;
  /** While an answer streams, the turns' Edit and Regenerate wait. */
  private busy = false;

  /** `container` scrolls, and holds the turns after whatever it already holds. */
  constructor(
    private readonly container: HTMLElement,
    private readonly listeners: TurnListeners,
    onShowEarlier: (before: string) => void,
  ) {
    this.control = new EarlierTurnsControl(() => {
      if (this.shown.length > 0) onShowEarlier(this.shown[0].id);
    });
    container.append(this.control.element);
  }

  get(id: string): TurnElement | undefined {
    return this.byId.get(id);
  }

  get isEmpty(): boolean {
    return this.shown.length === 0;
  }

  /** Another conversation, or the view reloaded: `turns` are its latest, `earlier` turns precede them. */
  showConversation(turns: readonly TurnView[], earlier: number): void {
    for (const view of this.shown) view.remove();
    this.shown = [];
    this.byId.clear();
    this.setEarlier(earlier);
    for (const turn of turns) this.add(turn);
  }

  /** A new turn, after the others (the oldest may leave the DOM), or a retried one, in its place. */
  add(turn: TurnView): void {
    const view = TurnElement.from(turn, this.listeners);
    const existing = this.byId.get(turn.id);
    if (existing) {
      existing.user.replaceWith(view.user);
      existing.assistant.replaceWith(view.assistant);
      this.shown[this.shown.indexOf(existing)] = view;
    } else {
      for (const older of this.shown) {
        older.disableRetry();
        older.setLatest(false);
      }
      this.container.append(view.user, view.assistant);
      this.shown.push(view);
    }
    view.setLatest(this.shown.at(-1) === view);
    view.setControlsEnabled(!this.busy);
    this.byId.set(turn.id, view);
    this.keepWindow();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    for (const view of this.shown) view.setControlsEnabled(!busy);
  }

  /**
   * The turns just before `before`, from the host; ignored (false) unless `before` is still the first
   * turn shown. What the reader sees stays where it is: the turns appear above it.
   */
  showEarlier(before: string, turns: readonly TurnView[], earlier: number): boolean {
    const first = this.shown[0];
    if (!first || first.id !== before) return false;
    const views = turns.map((turn) => {
      const view = TurnElement.from(turn, this.listeners);
      view.disableRetry();
      view.setControlsEnabled(!this.busy);
      this.byId.set(turn.id, view);
      return view;
    });
    const top = first.user.getBoundingClientRect().top;
    this.insertQuietly(() => first.user.before(...views.flatMap((view) => [view.user, view.assistant])));
    this.container.scrollTop += first.user.getBoundingClientRect().top - top;
    this.shown.unshift(...views);
    const hadFocus = this.control.hasFocus;
    this.setEarlier(earlier);
    // The control is gone with the last earlier turn: the keyboard goes on from the first one.
    if (hadFocus && earlier === 0) this.shown[0]?.focusStart();
    return true;
  }

  /**
   * The conversation is a live region, there for the answer as it streams: turns brought back would
   * be read out whole, up to a window of them. The caller announces them briefly instead.
   */
  private insertQuietly(insert: () => void): void {
    const live = this.container.getAttribute('aria-live');
    this.container.setAttribute('aria-live', 'off');
    insert();
    // Screen readers take in the change after this task; the region is polite again after they have.
    requestAnimationFrame(() => requestAnimationFrame(() => live === null ? this.container.removeAttribute('aria-live') : this.container.setAttribute('aria-live', live)));
  }

  /** The oldest turns beyond the window leave the DOM; the control brings them back. */
  private keepWindow(): void {
    const leaving = this.shown.length - fittingTurnCount(this.shown.map((view) => view.textLength));
    if (leaving <= 0) return;
    for (const view of this.shown.splice(0, leaving)) {
      view.remove();
      this.byId.delete(view.id);
    }
    this.setEarlier(this.earlier + leaving);
  }

  private setEarlier(count: number): void {
    this.earlier = count;
    this.control.show(count);
  }
}
