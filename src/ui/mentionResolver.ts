/**
 * The @-mentions of a message turned into attachments at send time, under the tools' rules: paths
 * confined to the workspace (`..`, absolute paths and links that lead out refused), files that may hold
 * secrets read only with the user's consent, binary and huge files refused, text capped with a note.
 * A mention that cannot be attached becomes a note attachment saying why, so the message still goes.
 */
import * as vscode from 'vscode';
import { capAttachment, type Attachment } from '../chat/attachments';
import { mentionText, parseMentions, SPECIAL_MENTIONS, type SpecialMention } from '../shared/mentions';
import { ToolError } from '../tools/types';
import { readText, resolveTarget, secretQuestion, statOf, type WorkspaceTarget } from '../tools/vscode/workspace';

/** What a special mention or a folder listing gives: text to attach (with what was left out of it), or why there is none. */
export type MentionContent = { text: string; languageId: string; description: string; leftOut?: string } | { note: string };

export interface MentionSources {
  /** `@problems`, `@selection`, `@terminal`, `@changes`. */
  special(name: SpecialMention): Promise<MentionContent>;
  /** A folder's files (ignore rules applied, capped), as a listing. */
  listFolder(target: WorkspaceTarget): Promise<MentionContent>;
  /** Asks the user the question the tools ask before reading a file that may hold secrets. */
  consent(question: string): Promise<boolean>;
}

/** The attachments for the mentions in `text`, each mention once, in the order they appear. */
export async function resolveMentions(text: string, sources: MentionSources, nextId: () => string): Promise<Attachment[]> {
  const seen = new Set<string>();
  const attachments: Attachment[] = [];
  for (const mention of parseMentions(text)) {
    const key = mention.kind === 'special' ? mention.name : mention.path;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = mention.kind === 'special' ? `@${mention.name}` : mentionText(mention.path);
    const content = mention.kind === 'special' ? await sources.special(mention.name).catch(failure(label)) : await pathContent(mention.path, sources).catch(failure(label));
    attachments.push(attachmentOf(nextId(), label, content));
  }
  return attachments;
}

function failure(label: string): (error: unknown) => MentionContent {
  return (error) => ({ note: error instanceof ToolError ? error.message : `${label} could not be read: ${error instanceof Error ? error.message : String(error)}` });
}

function attachmentOf(id: string, label: string, content: MentionContent): Attachment {
  if ('note' in content) {
    const source = { code: content.note, path: label, languageId: 'text', startLine: 1, endLine: 1 };
    return { id, kind: 'file', source, label: `${label} (not attached)`, description: `a note: ${label} could not be attached` };
  }
  const lines = content.text.split('\n').length - (content.text.endsWith('\n') ? 1 : 0);
  const capped = capAttachment({ code: content.text, path: label, languageId: content.languageId, startLine: 1, endLine: Math.max(1, lines) });
  const cutNote = [content.leftOut, capped.cutNote].filter(Boolean).join(' ') || undefined;
  return { id, kind: 'file', source: capped.source, ...(cutNote && { cutNote }), label, description: content.description };
}

async function pathContent(path: string, sources: MentionSources): Promise<MentionContent> {
  const target = await resolveTarget(path);
  const question = secretQuestion(target, 'attach');
  if (question && !(await sources.consent(question))) {
    return { note: `${target.display} was not attached: it may hold secrets, and reading it was not allowed.` };
  }
  const stat = await statOf(target.uri);
  if (!stat) return { note: `${target.display} does not exist in the workspace.` };
  if (stat.type & vscode.FileType.Directory) return sources.listFolder(target);
  const text = await readText(target);
  return { text, languageId: languageOf(target.display), description: `\`${target.display}\` (the whole file)` };
}

/** The fence's language, from the file's extension (`ts`); the model reads the path anyway. */
function languageOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 ? path.slice(dot + 1).toLowerCase() : 'text';
}

/** What the model is told a special mention is. */
export function specialDescription(name: SpecialMention): string {
  return `@${name}: ${SPECIAL_MENTIONS[name]}`;
}
