import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce for each page load: only the script tag carrying it may run. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The Chat view's page: static markup the script fills in, under a CSP that allows nothing but the
 * extension's own styles, fonts and images, and the one script with the nonce. No inline styles or
 * handlers, so the policy needs no `unsafe-*`. `dist/webview.css` is the stylesheet the script's
 * bundle imports (the markdown renderer's).
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
  <link rel="stylesheet" href="${resource('dist', 'webview.css')}">
  <title>Sonnet Chat</title>
</head>
<body>
  <header class="chat-header">
    <span id="balance" class="balance" title="Not checked yet.">Balance: …</span>
    <button type="button" id="refresh-balance" class="icon-button" title="Refresh Balance" aria-label="Refresh balance">
      <span class="codicon codicon-refresh" aria-hidden="true"></span>
    </button>
    <span class="conversation-total" hidden></span>
    <span id="context-meter" class="context-meter" hidden></span>
  </header>
  <main id="conversation" role="log" aria-live="polite" aria-label="Conversation">
    <section id="empty" class="empty-state" aria-labelledby="empty-title">
      <span class="codicon codicon-comment-discussion" aria-hidden="true"></span>
      <h2 id="empty-title">Ask Sonnet anything about your code.</h2>
      <ul class="capabilities">
        <li><span class="codicon codicon-lightbulb" aria-hidden="true"></span><span>Select code and choose <strong>Explain Selection</strong> from the editor's menu (<kbd>Ctrl+Alt+E</kbd>), or run <strong>Sonnet: Ask Sonnet</strong> from the Command Palette.</span></li>
        <li><span class="codicon codicon-file-add" aria-hidden="true"></span><span>Attach the active file or the selection with the buttons under the input.</span></li>
        <li><span class="codicon codicon-tools" aria-hidden="true"></span><span>Sonnet reads and searches your workspace on its own; every change it proposes opens in a diff and waits for your <strong>Accept</strong>.</span></li>
        <li><span class="codicon codicon-keyboard" aria-hidden="true"></span><span><kbd>Ctrl+Alt+J</kbd> (<kbd>Cmd+Alt+J</kbd> on macOS) brings you back to this input from anywhere.</span></li>
      </ul>
      <p class="hint">Enter sends, Shift+Enter adds a line, Up recalls your last message, Escape stops the answer.</p>
    </section>
  </main>
  <section id="history" class="history" aria-labelledby="history-title" hidden>
    <div class="history-header">
      <button type="button" id="history-back" class="icon-button" title="Back to the Conversation" aria-label="Back to the conversation">
        <span class="codicon codicon-arrow-left" aria-hidden="true"></span>
      </button>
      <h2 id="history-title">History</h2>
      <span class="spacer"></span>
      <button type="button" id="history-new-chat" class="button primary">
        <span class="codicon codicon-add" aria-hidden="true"></span><span>New Chat</span>
      </button>
    </div>
    <ul id="history-list" class="history-list" aria-label="Saved conversations"></ul>
  </section>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
  <form id="composer" class="composer">
    <div id="attachments" class="attachments" role="list" aria-label="Attached context" hidden></div>
    <div class="prompt-field">
      <textarea id="prompt" rows="2" placeholder="Ask Sonnet… (@ to mention a file)" aria-label="Message to Sonnet"></textarea>
    </div>
    <div class="composer-actions">
      <button type="button" id="attach-file" class="icon-button" title="Attach Active File" aria-label="Attach active file">
        <span class="codicon codicon-file-add" aria-hidden="true"></span>
      </button>
      <button type="button" id="attach-selection" class="icon-button" title="Attach Selection" aria-label="Attach selection">
        <span class="codicon codicon-list-selection" aria-hidden="true"></span>
      </button>
      <button type="button" id="thinking-toggle" class="icon-button toggle" title="Extended Thinking: Off" aria-label="Extended thinking" aria-pressed="false">
        <span class="codicon codicon-lightbulb" aria-hidden="true"></span>
      </button>
      <select id="mode-picker" class="mode-picker" aria-label="Mode" title="Mode: Agent">
        <option value="ask">Ask</option>
        <option value="agent">Agent</option>
        <option value="plan">Plan</option>
      </select>
      <button type="button" id="auto-approving" class="auto-approving" hidden>
        <span class="codicon codicon-pass-filled" aria-hidden="true"></span><span>Auto-approving</span>
      </button>
      <span class="spacer"></span>
      <button type="submit" id="send" class="icon-button" disabled title="Send (Enter)" aria-label="Send">
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
