/**
 * Which turns of a conversation the Chat view shows. Every turn shown is DOM the page builds on
 * restore, lays out and keeps in memory while the next answer streams, so a long conversation would
 * make the view slow whatever the reader looks at. The view shows the latest turns only, as many as
 * fit a window (a number of turns and of characters, whichever is reached first), and the earlier
 * ones a window at a time when the reader asks. The host windows what it sends; the page windows
 * what it keeps as new turns arrive.
 *
 * Pure: no `vscode`, no DOM.
 */
import type { EarlierTurns, TurnView } from './protocol';
import { sumUsage } from './usageSum';

export interface TurnWindow {
  turns: number;
  /** Characters of text (prompts, answers, reasoning): what the page's DOM and layout grow with. */
  chars: number;
}

/** About 15 screens of long answers, or a day's worth of short questions. */
export const TURN_WINDOW: TurnWindow = { turns: 30, chars: 80_000 };

/** The characters of text a turn shows. */
export function turnSize(turn: TurnView): number {
  return turn.answer.blocks.reduce((sum, block) => sum + ('text' in block ? block.text.length : 0), turn.prompt.text.length);
}

/**
 * How many of the last turns fit the window, given every turn's size, oldest first. The last turn is
 * always shown, however long.
 */
export function fittingTurnCount(sizes: readonly number[], window: TurnWindow = TURN_WINDOW): number {
  let count = 0;
  let chars = 0;
  for (let i = sizes.length - 1; i >= 0 && count < window.turns; i--) {
    chars += sizes[i];
    if (count > 0 && chars > window.chars) break;
    count++;
  }
  return count;
}

/** The latest turns that fit the window, and what the ones before them add up to (absent if none). */
export function latestTurns(turns: readonly TurnView[], window: TurnWindow = TURN_WINDOW): { turns: TurnView[]; earlier?: EarlierTurns } {
  const first = turns.length - fittingTurnCount(turns.map(turnSize), window);
  if (first === 0) return { turns: [...turns] };
  const usage = sumUsage(turns.slice(0, first).flatMap((turn) => [turn.answer.usage, turn.compaction?.usage].filter((usage) => usage !== undefined)));
  return { turns: turns.slice(first), earlier: usage ? { count: first, usage } : { count: first } };
}
