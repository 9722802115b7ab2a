import { Conversation } from './conversation';
import { titleOf } from './conversationJson';

/**
 * A copy of `conversation` as it is, under its own id, to keep in the history when an edit or a
 * regenerated answer replaces some of its turns: what the user received is never lost.
 */
export function earlierVersion(conversation: Conversation): Conversation {
  const copy = new Conversation(undefined, conversation.createdAt);
  copy.title = `${titleOf(conversation)} (earlier version)`;
  copy.calibration = conversation.calibration;
  copy.thinking = conversation.thinking;
  copy.turns.push(...structuredClone(conversation.turns));
  copy.messages.push(...structuredClone(conversation.messages));
  return copy;
}
