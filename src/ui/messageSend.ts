/**
 * A message sent from the view: the chips above the input are taken at once (the page cleared the
 * text then, so chips added while the mentions are read belong to the next message), then the
 * message's mentions are read, and only then is it submitted.
 */
import type { Attachment } from '../chat/attachments';
import type { PromptImage } from '../chat/promptImages';
import type { ChatMentions } from './chatMentions';
import type { EditorAttachments } from './editorAttachments';

export type Submit = (text: string, attachments: readonly Attachment[], images: readonly PromptImage[]) => boolean;

export function sendMessage(text: string, chips: EditorAttachments, mentions: ChatMentions, submit: Submit): void {
  chips.send(text, (typed, attached, images) => {
    mentions.send(typed, (mentioned) => {
      // Not taken (nothing to send): the chips go back above the input.
      if (!submit(typed, [...attached, ...mentioned], images)) chips.restore(attached, images);
    });
    return true;
  });
}
