// Minimal extension for the harness self-test (test/e2e/harness.e2e.ts). Plain JS, no build step.
const vscode = require('vscode');

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  /** @type {vscode.WebviewView | undefined} */
  let view;
  // Messages posted before the webview's script runs are lost: queue them until it says 'ready'.
  let ready = false;
  const queue = [];
  const post = (msg) => (ready && view ? view.webview.postMessage(msg) : queue.push(msg));

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('smoke.view', {
      resolveWebviewView(webviewView) {
        view = webviewView;
        webviewView.webview.options = { enableScripts: true };
        webviewView.webview.html = `<!DOCTYPE html><html><body>
<textarea id="prompt" rows="3"></textarea><button id="send">Send</button>
<pre id="log"></pre>
<script>
  const vscode = acquireVsCodeApi();
  const log = document.getElementById('log');
  window.addEventListener('message', (e) => { log.textContent += e.data.text + '\\n'; });
  vscode.postMessage({ type: 'ready' });
  document.getElementById('send').addEventListener('click', () => {
    vscode.postMessage({ text: document.getElementById('prompt').value });
  });
</script></body></html>`;
        ready = false;
        webviewView.onDidDispose(() => { view = undefined; ready = false; });
        webviewView.webview.onDidReceiveMessage((m) => {
          if (m.type === 'ready') {
            ready = true;
            for (const q of queue.splice(0)) webviewView.webview.postMessage(q);
            return;
          }
          post({ text: 'echo: ' + m.text });
          vscode.window.showInformationMessage('Smoke view got: ' + m.text);
        });
      },
    }),
    vscode.commands.registerCommand('smoke.hello', () => vscode.window.showInformationMessage('Hello from the smoke extension')),
    vscode.commands.registerCommand('smoke.ask', async () => {
      const answer = await vscode.window.showInputBox({ prompt: 'Say something', placeHolder: 'anything' });
      const pick = await vscode.window.showQuickPick(['red', 'green', 'blue'], { placeHolder: 'Pick a colour' });
      vscode.window.showInformationMessage(`You said: ${answer} (${pick})`);
    }),
    vscode.commands.registerCommand('smoke.setting', () =>
      vscode.window.showInformationMessage(`greeting=${vscode.workspace.getConfiguration('smoke').get('greeting')}`),
    ),
    vscode.commands.registerCommand('smoke.env', () => vscode.window.showInformationMessage(`SMOKE_TOKEN=${process.env.SMOKE_TOKEN}`)),
    vscode.commands.registerCommand('smoke.echoSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const text = editor.document.getText(editor.selection);
      await vscode.commands.executeCommand('smoke.view.focus');
      post({ text: `selection(${editor.document.languageId}): ${text}` });
      vscode.window.showInformationMessage(`Selected ${text.split('\n').length} lines of ${editor.document.languageId}`);
    }),
  );
}

module.exports = { activate, deactivate() {} };
