// Activates the extensions named in the `benchTimer.extensions` setting, one after the other, and
// logs how long each took, as the extension host sees it: loading the code, running `activate()`,
// and the host's own work around them (the same for every extension).
// The log line reaches the workbench's console, where the bench reads it.
const vscode = require('vscode');

exports.activate = function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('benchTimer.measure', async () => {
      const times = {};
      for (const id of vscode.workspace.getConfiguration('benchTimer').get('extensions', [])) {
        const extension = vscode.extensions.getExtension(id);
        if (!extension) throw new Error(`no extension ${id}`);
        if (extension.isActive) throw new Error(`${id} was already active`);
        const start = performance.now();
        await extension.activate();
        times[id] = performance.now() - start;
      }
      console.log(`bench-activation ${JSON.stringify(times)}`);
    }),
  );
};
