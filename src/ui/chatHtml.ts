import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce for each page load: only the script tag carrying it may run. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The Chat view's page: static markup the script fills in, under a CSP that allows nothing but the
 * extension's own styles, fonts and images, and the one script with the nonce. No inline styles or
 * handlers, so the policy needs no `unsafe-*`.
 */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string): string {
  const resource = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${resource('dist', 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${resource('media', 'chat.css')}">
  <title>Sonnet Chat</title>
</head>
<body>
  <main id="conversation" role="log" aria-live="polite" aria-label="Conversation">
    <div id="empty" class="empty-state">
      <span class="codicon codicon-comment-discussion" aria-hidden="true"></span>
      <p>Ask Sonnet anything about your code.</p>
      <p class="hint">Enter sends, Shift+Enter adds a line, Escape stops the answer.</p>
    </div>
  </main>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
  <form id="composer" class="composer">
    <textarea id="prompt" rows="2" placeholder="Ask Sonnet…" aria-label="Message to Sonnet"></textarea>
    <div class="composer-actions">
      <button type="submit" id="send" class="icon-button" title="Send (Enter)" aria-label="Send">
        <span class="codicon codicon-send" aria-hidden="true"></span>
      </button>
      <button type="button" id="stop" class="icon-button" title="Stop (Escape)" aria-label="Stop" hidden>
        <span class="codicon codicon-debug-stop" aria-hidden="true"></span>
      </button>
    </div>
  </form>
  <script nonce="${nonce}" src="${resource('dist', 'webview.js')}"></script>
</body>
</html>`;
}
