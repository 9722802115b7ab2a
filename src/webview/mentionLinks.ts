import { mentionText, parseMentions } from '../shared/mentions';
import { appendInlineCode, codicon, element } from './dom';

/** Codicons of the special mentions, in the picker and in sent turns. */
export const SPECIAL_ICONS: Record<string, string> = { problems: 'warning', selection: 'selection', terminal: 'terminal', changes: 'git-compare' };

/**
 * The user's own words with their @-mentions: a path as a link that opens it (the answer link
 * handler sends its `@path` to the host, which confines it to the workspace), a special mention as a
 * label; the rest as text with `backtick` spans as inline code.
 */
export function appendWithMentions(parent: HTMLElement, text: string): void {
  let at = 0;
  for (const mention of parseMentions(text)) {
    appendInlineCode(parent, text.slice(at, mention.start));
    at = mention.end;
    if (mention.kind === 'special') {
      const label = element('span', 'mention-label');
      label.append(codicon(SPECIAL_ICONS[mention.name]), document.createTextNode(`@${mention.name}`));
      parent.append(label);
      continue;
    }
    const link = element('a', 'mention-link');
    link.setAttribute('href', mentionText(mention.path));
    link.title = `Open ${mention.path}`;
    link.append(codicon(mention.path.endsWith('/') ? 'folder' : 'file'), document.createTextNode(text.slice(mention.start, mention.end)));
    parent.append(link);
  }
  appendInlineCode(parent, text.slice(at));
}
