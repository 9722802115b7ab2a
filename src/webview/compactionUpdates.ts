/** A `compaction` message from the host, shown after its turn and counted in the header's total. */
import type { HostToWebview } from '../shared/protocol';
import type { ChatHeader } from './chatHeader';
import { compactionCard, compactionNote, compactionRunning } from './compactionCard';
import type { TurnElement } from './turnElement';

export function showCompaction(
  view: TurnElement | undefined,
  header: ChatHeader,
  message: Extract<HostToWebview, { type: 'compaction' }>,
  announce: (text: string) => void,
): void {
  const before = message.beforeAnswer === true;
  if (message.running) {
    view?.showCompaction(compactionRunning(), before);
    announce('Compacting the conversation…');
  } else if (message.compaction) {
    view?.showCompaction(compactionCard(message.compaction), before);
    header.setCompactionUsage(message.turnId, message.compaction.usage);
    announce('Conversation compacted.');
  } else if (message.note) {
    view?.showCompaction(compactionNote(message.note), before);
    announce(message.note);
  } else {
    view?.showCompaction(undefined, before);
  }
}
