import * as vscode from 'vscode';
import { externalUrl } from '../shared/externalUrl';

/** Longest link text quoted back in a refusal. */
const SHOWN_LENGTH = 120;

/** Opens a link clicked in the Chat view in the browser; any other link is refused. */
export async function openLink(href: string): Promise<void> {
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
