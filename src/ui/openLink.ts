import * as vscode from 'vscode';
import { externalUrl } from '../shared/externalUrl';
import { parseMentions } from '../shared/mentions';

/** Longest link text quoted back in a refusal. */
const SHOWN_LENGTH = 120;

/**
 * Opens a link clicked in the Chat view: a web link in the browser; an @-mention of a sent turn
 * (`@src/a.ts`) with `openMention`, which confines it to the workspace. Any other link is refused.
 */
export async function openLink(href: string, openMention: (path: string) => Promise<void>): Promise<void> {
  const mention = parseMentions(href)[0];
  if (mention?.kind === 'path' && mention.start === 0 && mention.end === href.length) return openMention(mention.path);
  const url = externalUrl(href);
  if (!url) {
    const shown = href.length > SHOWN_LENGTH ? `${href.slice(0, SHOWN_LENGTH)}…` : href;
    void vscode.window.showWarningMessage(`Sonnet Chat opens only web (http, https) links, so it did not open "${shown}".`);
    return;
  }
  // VS Code asks before opening a site the user has not trusted yet.
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
  if (!opened) void vscode.window.showWarningMessage(`Sonnet Chat: the link was not opened: ${url}`);
}
