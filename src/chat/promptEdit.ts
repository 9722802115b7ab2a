import { attachmentLabel, promptWithAttachments, type Attachment } from './attachments';
import type { Prompt } from './prompts';

/** How an attachment prompt's bubble ends: the typed text, then this line (see `promptWithAttachments`). */
const ATTACHED_LINE = '\n\nAttached: ';

/**
 * The part of a prompt the user typed, where the bubble and the content both hold it as typed: the
 * whole of a plain prompt; the question before the attached code. Undefined for a prompt the user did
 * not type (Explain Selection), or one that is attachments only: those cannot be edited.
 */
function typedPart(prompt: Prompt): { typed: string; bubbleEnd: string; contentStart: string } | undefined {
  if (prompt.text === prompt.content) return prompt.text.trim() === '' ? undefined : { typed: prompt.text, bubbleEnd: '', contentStart: '' };
  const cut = prompt.text.lastIndexOf(ATTACHED_LINE);
  if (cut <= 0) return undefined;
  const typed = prompt.text.slice(0, cut);
  if (!prompt.content.endsWith(`\n\n${typed}`)) return undefined;
  return { typed, bubbleEnd: prompt.text.slice(cut), contentStart: prompt.content.slice(0, prompt.content.length - typed.length) };
}

/** The text an Edit of `prompt` starts from; undefined when it cannot be edited. */
export function editableText(prompt: Prompt): string | undefined {
  return typedPart(prompt)?.typed;
}

/**
 * `prompt` with its typed text replaced by `text`, the attached code kept and `added` attached before
 * it (what mentions new in the edit name); undefined if it cannot be edited.
 */
export function editedPrompt(prompt: Prompt, text: string, added: readonly Attachment[] = []): Prompt | undefined {
  const part = typedPart(prompt);
  if (!part || text.trim() === '') return undefined;
  const addedQuotes = added.length === 0 ? '' : `${promptWithAttachments('', added).content}\n\n`;
  const addedNames = added.map((attachment) => `\`${attachmentLabel(attachment)}\``).join(', ');
  const bubbleEnd = added.length === 0 ? part.bubbleEnd : part.bubbleEnd === '' ? `${ATTACHED_LINE}${addedNames}` : `${part.bubbleEnd}, ${addedNames}`;
  return {
    text: `${text}${bubbleEnd}`,
    content: `${addedQuotes}${part.contentStart}${text}`,
    ...(prompt.reference ? { reference: prompt.reference } : {}),
    ...(prompt.images ? { images: prompt.images } : {}),
  };
}
