/**
 * The card after the turn where the conversation was compacted: what the summary stands for and what
 * it cost, the summary itself behind a disclosure (markdown, through the view's sanitizing renderer);
 * while it runs, a line saying so; a note when one asked for was not done.
 */
import type { CompactionView } from '../shared/protocol';
import { codicon, element } from './dom';
import { renderMarkdown } from './markdown';
import { usageText } from './usage';

export function compactionCard(compaction: CompactionView): HTMLElement {
  const card = element('details', 'compaction-card');
  const summary = element('summary');
  const turns = compaction.coveredTurns === 1 ? '1 earlier turn' : `${compaction.coveredTurns} earlier turns`;
  summary.append(codicon('fold'), element('span', 'compaction-title', 'Conversation compacted'), element('span', 'compaction-detail', `${turns} summarized`));
  const body = element('div', 'compaction-body markdown');
  // The renderer escapes all text and writes no attribute a script could use (see markdownBlock.ts).
  body.innerHTML = renderMarkdown(compaction.summary);
  card.append(summary, body);
  if (compaction.usage) card.append(element('div', 'usage', usageText(compaction.usage)));
  return card;
}

export function compactionRunning(): HTMLElement {
  const line = element('div', 'compaction-card running');
  line.setAttribute('role', 'status');
  const icon = codicon('loading');
  icon.classList.add('codicon-modifier-spin');
  line.append(icon, element('span', undefined, 'Compacting the conversation…'));
  return line;
}

export function compactionNote(text: string): HTMLElement {
  const note = element('div', 'context-note compaction-note');
  note.append(codicon('info'), element('span', undefined, text));
  return note;
}
