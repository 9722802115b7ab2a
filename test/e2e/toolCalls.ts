// A tool call in the Chat view, as the e2e files that play the model drive it: the card that asks,
// and the tool_result the next request carries.
import type { Locator } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/mockProvider';
import type { ChatView } from './sonnet';

/** The tool_result in the request's last message, if it carries one. */
export function toolResultOf(request: RecordedRequest): { content: unknown; is_error?: boolean } | undefined {
  const last = request.body.messages.at(-1);
  return Array.isArray(last.content) ? last.content.find((block: { type: string }) => block.type === 'tool_result') : undefined;
}

/** Sends `prompt` and waits for the card of the call the model answers with to ask for approval. */
export async function sendAndAwaitApproval(chat: ChatView, prompt: string): Promise<Locator> {
  await chat.send(prompt);
  const card = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
  await card.waitFor();
  return card;
}

/** Accepts the call, presses Stop once it runs, and waits until it is cancelled and the turn has ended. */
export async function acceptThenStop(chat: ChatView, card: Locator): Promise<void> {
  await card.locator('button[data-approve="true"]').click();
  await chat.lastAnswer.locator('.tool-call[data-status="running"]').waitFor();
  await chat.frame.locator('#stop').click();
  await chat.lastAnswer.locator('.tool-call[data-status="cancelled"]').waitFor();
  await chat.waitForAnswerToSettle();
}
