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

/** `prompt` with its typed text replaced by `text`, the attached code kept; undefined if it cannot be edited. */
export function editedPrompt(prompt: Prompt, text: string): Prompt | undefined {
  const part = typedPart(prompt);
  if (!part || text.trim() === '') return undefined;
  return {
    text: `${text}${part.bubbleEnd}`,
    content: `${part.contentStart}${text}`,
    ...(prompt.reference ? { reference: prompt.reference } : {}),
    ...(prompt.images ? { images: prompt.images } : {}),
  };
}
